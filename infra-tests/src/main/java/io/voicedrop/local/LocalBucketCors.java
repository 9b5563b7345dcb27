package io.voicedrop.local;

import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CORSRule;

/**
 * The audio bucket's CORS rules as {@code template.yaml} declares them, with the one allowed origin being the local
 * API's (the console's) instead of the deployed API's: the local run admits browser uploads from its own console
 * only, as a deployment does. (moto's server also answers every origin unless started with
 * {@code MOTO_DISABLE_GLOBAL_CORS}; {@code BucketCorsTest} checks these rules on a moto that enforces them.)
 */
final class LocalBucketCors {

    private LocalBucketCors() {
    }

    @SuppressWarnings("unchecked")
    static List<CORSRule> rules(CfnTemplate template, String bucketId, String consoleOrigin) {
        Map<String, Object> bucket = CfnTemplate.properties(template.resourcesOfType("AWS::S3::Bucket").get(bucketId));
        Map<String, Object> cors = (Map<String, Object>) bucket.getOrDefault("CorsConfiguration", Map.of());
        List<Map<String, Object>> rules = (List<Map<String, Object>>) cors.getOrDefault("CorsRules", List.of());
        return rules.stream().map(r -> {
            CORSRule.Builder b = CORSRule.builder().allowedOrigins(consoleOrigin)
                    .allowedMethods(strings(template, r.get("AllowedMethods")));
            if (r.containsKey("Id")) {
                b.id(template.resolveString(r.get("Id")));
            }
            if (r.containsKey("AllowedHeaders")) {
                b.allowedHeaders(strings(template, r.get("AllowedHeaders")));
            }
            if (r.containsKey("ExposedHeaders")) {
                b.exposeHeaders(strings(template, r.get("ExposedHeaders")));
            }
            if (r.containsKey("MaxAge")) {
                b.maxAgeSeconds(Integer.parseInt(template.resolveString(r.get("MaxAge"))));
            }
            return b.build();
        }).toList();
    }

    static void apply(CfnTemplate template, S3Client s3, String bucket, String consoleOrigin) {
        List<CORSRule> rules = rules(template, "AudioBucket", consoleOrigin);
        if (!rules.isEmpty()) {
            s3.putBucketCors(b -> b.bucket(bucket).corsConfiguration(c -> c.corsRules(rules)));
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(CfnTemplate template, Object value) {
        return ((List<Object>) value).stream().map(template::resolveString).toList();
    }
}
