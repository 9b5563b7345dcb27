package io.voicedrop.e2e;

import static io.voicedrop.e2e.Pipeline.stack;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voicedrop.adapters.aws.S3PostPolicySigner;
import io.voicedrop.adapters.json.Json;
import io.voicedrop.core.port.UploadFormSigner.UploadForm;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Utilities;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * Browser uploads end to end without a browser: {@code POST /uploads} on the running pipeline, each signed form
 * posted to the emulator's bucket as a browser posts it (multipart, fields in order, the file last), the manifest
 * last, then {@code GET /uploads/{id}} until the job ends and {@code GET /models/{id}/samples} links that serve the
 * very bytes uploaded. The signature is checked against botocore's own SigV4 POST implementation, because moto
 * 5.2.1 checks neither the signature nor any policy condition (key, content type, size range, expiry: it stores
 * whatever a POST sends); the real bucket enforces all of them.
 */
class BrowserUploadFormsTest {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static ApiContract contract;

    @BeforeAll
    static void fetchTheContract() {
        contract = ApiContract.fetch(true);
    }

    @Test
    void theSignatureIsBotocoresForTheSamePolicyWithSessionCredentials() throws Exception {
        Clock clock = Clock.fixed(Instant.parse("2026-11-27T10:15:30.789Z"), ZoneOffset.UTC);
        AwsSessionCredentials creds = AwsSessionCredentials.create("ASIAEXAMPLEKEY" + RUN.toUpperCase(),
                "secret/with+chars" + RUN, "session-token-" + RUN);
        Region region = Region.EU_WEST_1;
        S3PostPolicySigner signer = new S3PostPolicySigner(StaticCredentialsProvider.create(creds), region,
                S3Utilities.builder().region(region).build(), clock);
        UploadForm form = signer.sign("my-bucket", "incoming/a b-" + RUN + "/01-take.wav", "audio/wav", 10, 20,
                Duration.ofHours(1));

        assertEquals("https://my-bucket.s3.eu-west-1.amazonaws.com/", form.url());
        assertEquals(List.of("key", "Content-Type", "x-amz-algorithm", "x-amz-credential", "x-amz-date",
                "x-amz-security-token", "policy", "x-amz-signature"), List.copyOf(form.fields().keySet()));
        assertEquals("20261127T101530Z", form.fields().get("x-amz-date"));
        assertEquals(Instant.parse("2026-11-27T11:15:30Z"), form.expiresAt());
        JsonNode policy = Json.MAPPER.readTree(Base64.getDecoder().decode(form.fields().get("policy")));
        assertEquals("2026-11-27T11:15:30.000Z", policy.path("expiration").asText());
        assertEquals(Json.MAPPER.readTree("""
                [{"bucket": "my-bucket"}, ["eq", "$key", "incoming/a b-%s/01-take.wav"],
                 ["eq", "$Content-Type", "audio/wav"], ["content-length-range", 10, 20],
                 {"x-amz-algorithm": "AWS4-HMAC-SHA256"}, {"x-amz-credential": "%s"},
                 {"x-amz-date": "20261127T101530Z"}, {"x-amz-security-token": "session-token-%s"}]"""
                .formatted(RUN, form.fields().get("x-amz-credential"), RUN)), policy.path("conditions"));

        ObjectNode input = Json.MAPPER.createObjectNode().put("access", creds.accessKeyId())
                .put("secret", creds.secretAccessKey()).put("token", creds.sessionToken()).put("region", region.id())
                .put("date", form.fields().get("x-amz-date")).put("policy", form.fields().get("policy"));
        JsonNode botocore = python("""
                import json, sys
                from botocore.auth import S3SigV4PostAuth
                from botocore.awsrequest import AWSRequest
                from botocore.credentials import Credentials
                a = json.load(sys.stdin)
                auth = S3SigV4PostAuth(Credentials(a['access'], a['secret'], a['token']), 's3', a['region'])
                req = AWSRequest(method='POST', url='https://example')
                req.context['timestamp'] = a['date']
                print(json.dumps({'signature': auth.signature(a['policy'], req), 'scope': auth.scope(req)}))
                """, Json.write(input));
        assertEquals(botocore.path("signature").asText(), form.fields().get("x-amz-signature"));
        assertEquals(botocore.path("scope").asText(), form.fields().get("x-amz-credential"));
    }

    @Test
    void anUploadPostedFormByFormBecomesAModelWhoseSamplesPlayBack() throws Exception {
        byte[] first = Pipeline.speech(31);
        byte[] second = Pipeline.speech(33);
        String body = """
                {"title": "Forms %s", "tags": ["forms-%s"], "language": "en",
                 "files": [{"name": "first take.wav", "size": %d, "text": "First."},
                           {"name": "second.wav", "size": %d, "text": "Second."}]}"""
                .formatted(RUN, RUN, first.length, second.length);
        HttpResponse<String> created = ApiCalls.send("POST", "/uploads", ApiCalls.bearer(stack().apiToken),
                "application/json", body.getBytes(StandardCharsets.UTF_8));
        assertEquals(201, created.statusCode(), created.body());
        JsonNode plan = contract.assertConforms("POST", created);
        String id = plan.path("upload_id").asText();
        JsonNode waiting = contract.assertConforms("GET", Pipeline.get("/uploads/" + id));
        assertEquals("waiting_for_manifest", waiting.path("stage").asText());

        List<byte[]> bytes = List.of(first, second);
        for (int i = 0; i < 2; i++) {
            JsonNode file = plan.path("files").get(i);
            assertEquals(204, post(file.path("form"), bytes.get(i), "x.wav").statusCode());
            HeadObjectResponse head = stack().pipeline.s3().headObject(b -> b.bucket(stack().pipeline.bucket())
                    .key(file.path("key").asText()));
            assertEquals(bytes.get(i).length, head.contentLength());
        }
        assertEquals(plan.path("folder").asText() + "01-first-take.wav", plan.path("files").get(0).path("key").asText());
        assertEquals(List.of(), Pipeline.keysUnder(plan.path("manifest").path("key").asText()),
                "no manifest yet: nothing happens until it is posted");
        byte[] manifest = plan.path("manifest").path("content").asText().getBytes(StandardCharsets.UTF_8);
        assertEquals(204, post(plan.path("manifest").path("form"), manifest, "model.json").statusCode());

        JsonNode progress = null;
        Instant until = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(until)) {
            progress = contract.assertConforms("GET", Pipeline.get("/uploads/" + id));
            if (progress.path("job").path("status").asText().equals("SUCCEEDED")) {
                break;
            }
            Pipeline.sleep(200);
        }
        assertEquals("SUCCEEDED", progress.path("job").path("status").asText(), progress.toString());
        String modelId = progress.path("job").path("model_id").asText();
        assertEquals(1, Pipeline.createCallsFor(progress.path("job").path("job_id").asText()));

        HttpResponse<String> samples = Pipeline.get("/models/" + modelId + "/samples");
        assertEquals(200, samples.statusCode(), samples.body());
        assertEquals("no-store", samples.headers().firstValue("Cache-Control").orElse(null));
        JsonNode listed = contract.assertConforms("GET", samples);
        assertEquals(2, listed.path("samples").size(), listed.toString());
        for (int i = 0; i < 2; i++) {
            JsonNode s = listed.path("samples").get(i);
            assertEquals(List.of("First.", "Second.").get(i), s.path("text").asText());
            HttpResponse<byte[]> audio = HTTP.send(HttpRequest.newBuilder(URI.create(s.path("url").asText())).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, audio.statusCode());
            assertTrue(java.util.Arrays.equals(bytes.get(i), audio.body()), "the link serves the uploaded bytes");
            assertTrue(s.path("url").asText().contains("versionId="), "pinned to the version ingest checked");
        }
        for (String missing : List.of("/models/no-such-" + RUN + "/samples", "/uploads/no-such-" + RUN)) {
            HttpResponse<String> r = Pipeline.get(missing);
            assertEquals(404, r.statusCode(), missing);
            contract.assertConforms("GET", r);
        }
    }

    @Test
    void refusedAndUnauthenticatedRequestsAreDocumented() {
        HttpResponse<String> refused = ApiCalls.send("POST", "/uploads", ApiCalls.bearer(stack().apiToken),
                "application/json", "{\"title\": \"\", \"files\": [{\"name\": \"a.txt\", \"size\": 0}]}"
                        .getBytes(StandardCharsets.UTF_8));
        assertEquals(422, refused.statusCode(), refused.body());
        assertTrue(contract.assertConforms("POST", refused).path("detail").size() >= 3, refused.body());
        HttpResponse<String> text = ApiCalls.send("POST", "/uploads", ApiCalls.bearer(stack().apiToken),
                "text/plain", "hi".getBytes(StandardCharsets.UTF_8));
        assertEquals(415, text.statusCode());
        contract.assertConforms("POST", text);
        for (String path : List.of("/uploads/any-0123456789ab", "/models/any/samples")) {
            HttpResponse<String> r = ApiCalls.get(path, Map.of());
            assertEquals(401, r.statusCode());
            contract.assertConforms("GET", r);
        }
        HttpResponse<String> noKey = ApiCalls.send("POST", "/uploads", Map.of(), "application/json",
                "{}".getBytes(StandardCharsets.UTF_8));
        assertEquals(401, noKey.statusCode());
        HttpResponse<String> page = Pipeline.get("/console/", null);
        assertEquals(200, page.statusCode());
        contract.assertConforms("GET", page);
    }

    /** Posts a signed form as a browser does: every field in order, then the file. */
    private static HttpResponse<String> post(JsonNode form, byte[] file, String filename) throws Exception {
        String boundary = "----voicedrop" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        form.path("fields").fields().forEachRemaining(f -> body.writeBytes(("--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"" + f.getKey() + "\"\r\n\r\n" + f.getValue().asText()
                + "\r\n").getBytes(StandardCharsets.UTF_8)));
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(file);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return HTTP.send(HttpRequest.newBuilder(URI.create(form.path("url").asText()))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode python(String script, String stdin) throws Exception {
        Path file = Files.createTempFile("voicedrop-botocore-", ".py");
        Files.writeString(file, script);
        Process p = new ProcessBuilder(System.getenv().getOrDefault("VOICEDROP_PYTHON", "python3"), file.toString())
                .redirectErrorStream(true).start();
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "python did not finish");
        assertEquals(0, p.exitValue(), "botocore (installed with moto) must run: " + out);
        Files.deleteIfExists(file);
        return Json.MAPPER.readTree(out.lines().reduce((a, b) -> b).orElse("{}"));
    }
}
