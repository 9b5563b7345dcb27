package io.voicedrop.adapters.aws;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The upstream token, read from Secrets Manager on first use (never at start-up, so a SnapStart snapshot holds no
 * secret) and re-read after a few minutes, so a fixed or rotated token is picked up without a redeploy.
 */
public final class SecretsManagerToken implements Supplier<String> {

    private static final Duration REFRESH_AFTER = Duration.ofMinutes(5);

    private final SecretsManagerClient secrets;
    private final String secretId;
    private final Clock clock;
    private String cached;
    private Instant readAt = Instant.MIN;

    public SecretsManagerToken(SecretsManagerClient secrets, String secretId, Clock clock) {
        this.secrets = secrets;
        this.secretId = secretId;
        this.clock = clock;
    }

    @Override
    public synchronized String get() {
        if (cached == null || clock.instant().isAfter(readAt.plus(REFRESH_AFTER))) {
            if (secretId == null || secretId.isBlank()) {
                throw new IllegalStateException("FISH_TOKEN_SECRET_ARN is not set");
            }
            cached = secrets.getSecretValue(b -> b.secretId(secretId)).secretString().trim();
            readAt = clock.instant();
        }
        return cached;
    }
}
