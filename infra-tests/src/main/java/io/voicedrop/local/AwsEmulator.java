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

    /** What it is, for people: {@code moto 5.2.1}, {@code LocalStack localstack/localstack:4.14}. */
    String name();

    /** Why it was chosen, for people (empty when nobody asked). */
    default String reason() {
        return "";
    }

    /** One line for people: {@code moto 5.2.1 on http://127.0.0.1:41234 (no Docker engine answered)}. */
    default String describe() {
        return name() + " on " + endpoint() + (reason().isEmpty() ? "" : " (" + reason() + ")");
    }

    /** The emulator's process on this machine, if it runs as one that this JVM started. */
    default java.util.OptionalLong processId() {
        return java.util.OptionalLong.empty();
    }

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
     * Whether Docker answers is first asked of {@link DockerProbe} (cheap, and silent when there is no Docker), and
     * of Testcontainers only when the probe finds an engine or cannot tell.
     */
    static AwsEmulator start(String explicitEndpoint) {
        DockerProbe.Answer[] probed = new DockerProbe.Answer[1];
        Supplier<Boolean> docker = () -> {
            probed[0] = DockerProbe.probe();
            return probed[0].ask() && LocalStackEmulator.dockerAvailable();
        };
        return start(explicitEndpoint, System::getenv, docker, LocalStackEmulator::start, MotoServer::start,
                () -> probed[0] == null || probed[0].ask() ? "Testcontainers found no Docker engine"
                        : probed[0].reason());
    }

    /** {@link #start(String)} with its environment and emulators passed in (for tests). */
    static AwsEmulator start(String explicitEndpoint, Function<String, String> env, Supplier<Boolean> dockerAvailable,
                             Supplier<? extends AwsEmulator> localStack, Supplier<? extends AwsEmulator> moto) {
        return start(explicitEndpoint, env, dockerAvailable, localStack, moto, () -> "no Docker engine answered");
    }

    private static AwsEmulator start(String explicitEndpoint, Function<String, String> env,
                                     Supplier<Boolean> dockerAvailable, Supplier<? extends AwsEmulator> localStack,
                                     Supplier<? extends AwsEmulator> moto, Supplier<String> whyNoDocker) {
        if (explicitEndpoint != null && !explicitEndpoint.isBlank()) {
            URI uri = URI.create(explicitEndpoint);
            return new AwsEmulator() {
                public URI endpoint() { return uri; }
                public String name() { return "an existing endpoint"; }
                public String reason() { return "--aws-endpoint"; }
                public void close() { }
            };
        }
        String raw = env.apply(CHOICE_VARIABLE);
        String choice = raw == null || raw.isBlank() ? "auto" : raw.trim().toLowerCase(Locale.ROOT);
        switch (choice) {
            case "moto":
                return because(moto.get(), CHOICE_VARIABLE + "=moto");
            case "localstack":
                if (!dockerAvailable.get()) {
                    throw new IllegalStateException(CHOICE_VARIABLE + "=localstack, but no Docker engine answers "
                            + "(" + whyNoDocker.get() + ": start Docker or set DOCKER_HOST). Use " + CHOICE_VARIABLE
                            + "=moto (or leave it unset) to run against moto instead.");
                }
                return because(localStack.get(), CHOICE_VARIABLE + "=localstack");
            case "auto":
                if (!dockerAvailable.get()) {
                    return because(moto.get(), whyNoDocker.get());
                }
                try {
                    return because(localStack.get(), "Docker answers");
                } catch (RuntimeException e) {
                    // Docker is there and was meant to be used: that it failed is worth a warning.
                    org.slf4j.LoggerFactory.getLogger(AwsEmulator.class).warn("Docker answers but LocalStack did not "
                            + "start ({}); using moto. Set {}=localstack to make this an error.", e.getMessage(), CHOICE_VARIABLE);
                    return because(moto.get(), "LocalStack did not start");
                }
            default:
                throw new IllegalArgumentException(CHOICE_VARIABLE + " must be moto, localstack or auto, not '" + raw + "'");
        }
    }

    /** The same emulator, saying why it was chosen. */
    private static AwsEmulator because(AwsEmulator chosen, String why) {
        return new AwsEmulator() {
            public URI endpoint() { return chosen.endpoint(); }
            public String name() { return chosen.name(); }
            public String reason() { return why; }
            public java.util.OptionalLong processId() { return chosen.processId(); }
            public void close() { chosen.close(); }
        };
    }
}
