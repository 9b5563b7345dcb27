package io.voicedrop.local;

import java.net.URI;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Supplier;

/** An AWS-protocol endpoint (S3, SQS, DynamoDB, Secrets Manager) that VoiceDrop can run against without an account. */
public interface AwsEmulator extends AutoCloseable {

    /** Environment variable that forces the choice of emulator: {@code moto}, {@code localstack} or {@code auto}. */
    String CHOICE_VARIABLE = "VOICEDROP_EMULATOR";

    URI endpoint();

    String name();

    @Override
    void close();

    /**
     * Picks the emulator. An explicit endpoint (an already running emulator) always wins. Otherwise
     * {@code VOICEDROP_EMULATOR} decides:
     * <ul>
     *   <li>{@code moto}: a moto server started here (needs {@code python3 -m moto.server});</li>
     *   <li>{@code localstack}: LocalStack in Docker through Testcontainers; without a Docker engine this fails with
     *       an explanation, it never falls back silently;</li>
     *   <li>{@code auto} or unset: LocalStack when a Docker engine answers, else moto. If Docker answers but LocalStack
     *       cannot start (image not pullable, auth token refused), a warning names the cause and moto is used.</li>
     * </ul>
     */
    static AwsEmulator start(String explicitEndpoint) {
        return start(explicitEndpoint, System::getenv, LocalStackEmulator::dockerAvailable, LocalStackEmulator::start,
                MotoServer::start);
    }

    /** {@link #start(String)} with its environment and emulators passed in (for tests). */
    static AwsEmulator start(String explicitEndpoint, Function<String, String> env, Supplier<Boolean> dockerAvailable,
                             Supplier<? extends AwsEmulator> localStack, Supplier<? extends AwsEmulator> moto) {
        if (explicitEndpoint != null && !explicitEndpoint.isBlank()) {
            URI uri = URI.create(explicitEndpoint);
            return new AwsEmulator() {
                public URI endpoint() { return uri; }
                public String name() { return "external endpoint " + uri; }
                public void close() { }
            };
        }
        String raw = env.apply(CHOICE_VARIABLE);
        String choice = raw == null || raw.isBlank() ? "auto" : raw.trim().toLowerCase(Locale.ROOT);
        switch (choice) {
            case "moto":
                return moto.get();
            case "localstack":
                if (!dockerAvailable.get()) {
                    throw new IllegalStateException(CHOICE_VARIABLE + "=localstack, but no Docker engine answers "
                            + "(Testcontainers found none: start Docker or set DOCKER_HOST). Use " + CHOICE_VARIABLE
                            + "=moto (or leave it unset) to run against moto instead.");
                }
                return localStack.get();
            case "auto":
                if (!dockerAvailable.get()) {
                    return moto.get();
                }
                try {
                    return localStack.get();
                } catch (RuntimeException e) {
                    org.slf4j.LoggerFactory.getLogger(AwsEmulator.class).warn("Docker answers but LocalStack did not "
                            + "start ({}); using moto. Set {}=localstack to make this an error.", e.getMessage(), CHOICE_VARIABLE);
                    return moto.get();
                }
            default:
                throw new IllegalArgumentException(CHOICE_VARIABLE + " must be moto, localstack or auto, not '" + raw + "'");
        }
    }
}
