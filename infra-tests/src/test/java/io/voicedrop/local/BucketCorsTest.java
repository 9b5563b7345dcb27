package io.voicedrop.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voicedrop.adapters.aws.AwsClients;
import io.voicedrop.config.VoiceDropConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CORSRule;

/**
 * The audio bucket admits browser uploads from the console's origin only: in the template, the one origin is the
 * API's own (the {@code ApiUrl} output) unless {@code ConsoleOrigin} names a custom domain, and only POST; on a moto
 * server that enforces bucket CORS rules ({@code MOTO_DISABLE_GLOBAL_CORS}; moto 5.2.1 matches the origin of a
 * preflight, not its method), the local run's rules admit its console and refuse any other origin.
 */
class BucketCorsTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @SuppressWarnings("unchecked")
    @Test
    void theTemplateAdmitsOnlyTheConsolesOriginAndOnlyPost() {
        CfnTemplate template = new CfnTemplate(templatePath(), "stack", "eu-west-1", Map.of());
        Map<String, Object> bucket = CfnTemplate.properties(template.resourcesOfType("AWS::S3::Bucket").get("AudioBucket"));
        List<Map<String, Object>> rules = (List<Map<String, Object>>) ((Map<String, Object>) bucket
                .get("CorsConfiguration")).get("CorsRules");
        assertEquals(1, rules.size(), rules.toString());
        Map<String, Object> rule = rules.get(0);
        assertEquals(List.of("POST"), rule.get("AllowedMethods"));
        assertFalse(rule.containsKey("AllowedHeaders"), "a form post needs no extra request headers");
        List<Object> origins = (List<Object>) rule.get("AllowedOrigins");
        assertEquals(1, origins.size());
        List<Object> choice = (List<Object>) ((Map<String, Object>) origins.get(0)).get("Fn::If");
        assertEquals("HasConsoleOrigin", choice.get(0));
        assertEquals(Map.of("Ref", "ConsoleOrigin"), choice.get(1));
        Map<String, Object> apiUrl = (Map<String, Object>) ((Map<String, Object>) template.section("Outputs")
                .get("ApiUrl")).get("Value");
        assertEquals(apiUrl, choice.get(2), "otherwise the API's own origin, exactly the ApiUrl output");
    }

    @Test
    void anEnforcingEmulatorAdmitsTheConsoleAndRefusesOtherOrigins() throws Exception {
        String console = "http://127.0.0.1:48123";
        try (MotoServer moto = MotoServer.start(Map.of("MOTO_DISABLE_GLOBAL_CORS", "true"))) {
            S3Client s3 = new AwsClients(VoiceDropConfig.from(Map.of("BUCKET_NAME", "b", "JOBS_TABLE", "-",
                    "MODELS_TABLE", "-", "API_KEYS_TABLE", "-", "JOBS_QUEUE_URL", "-",
                    "AWS_ENDPOINT_URL", moto.endpoint().toString(), "AWS_REGION", "us-east-1"))).s3();
            s3.createBucket(b -> b.bucket("cors-bucket"));
            CfnTemplate template = new CfnTemplate(templatePath(), "stack", "us-east-1", Map.of());
            LocalBucketCors.apply(template, s3, "cors-bucket", console);
            List<CORSRule> stored = s3.getBucketCors(b -> b.bucket("cors-bucket")).corsRules();
            assertEquals(List.of(console), stored.get(0).allowedOrigins());
            assertEquals(List.of("POST"), stored.get(0).allowedMethods());

            HttpResponse<String> ok = preflight(moto.endpoint(), console);
            assertEquals(200, ok.statusCode(), ok.body());
            assertEquals(console, ok.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
            assertEquals("POST", ok.headers().firstValue("Access-Control-Allow-Methods").orElse(null));
            HttpResponse<String> evil = preflight(moto.endpoint(), "https://evil.example");
            assertEquals(403, evil.statusCode(), evil.body());
            assertTrue(evil.headers().firstValue("Access-Control-Allow-Origin").isEmpty());
        }
    }

    private static HttpResponse<String> preflight(URI endpoint, String origin) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(endpoint.resolve("/cors-bucket/incoming/x/01-a.wav"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", origin)
                .header("Access-Control-Request-Method", "POST").build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Path templatePath() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("template.yaml"))) {
                return p.resolve("template.yaml");
            }
        }
        throw new IllegalStateException("template.yaml not found");
    }
}
