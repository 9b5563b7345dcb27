package io.voicedrop.wiring;

import io.voicedrop.config.VoiceDropConfig;
import java.util.Map;

/** A complete configuration whose every endpoint is a port nothing listens on: a real network call fails at once. */
final class UnreachableConfig {

    private UnreachableConfig() {
    }

    static VoiceDropConfig get() {
        return VoiceDropConfig.from(Map.of("BUCKET_NAME", "b", "JOBS_TABLE", "jobs", "MODELS_TABLE", "models",
                "API_KEYS_TABLE", "keys", "JOBS_QUEUE_URL", "http://127.0.0.1:9/000000000000/jobs",
                "FISH_BASE_URL", "http://127.0.0.1:9",
                "FISH_TOKEN_SECRET_ARN", "arn:aws:secretsmanager:eu-west-1:000000000000:secret:t",
                "AWS_ENDPOINT_URL", "http://127.0.0.1:9", "AWS_REGION", "eu-west-1"));
    }
}
