package io.voicedrop.local;

import java.net.URI;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * LocalStack in Docker through Testcontainers 2 ({@code org.testcontainers.localstack.LocalStackContainer}, module
 * {@code testcontainers-localstack}). The image defaults to {@value #DEFAULT_IMAGE}, the tag this project pins;
 * {@code LOCALSTACK_IMAGE} overrides it (a mirror or a newer tag; it must be a LocalStack image). Newer LocalStack
 * images need an auth token: {@code LOCALSTACK_AUTH_TOKEN} is passed into the container when set, and never logged.
 *
 * <p>Only the four services VoiceDrop uses are started. The endpoint is the container's mapped port on an IP
 * address (Testcontainers resolves the host), so S3 is addressed path-style, as {@code AwsClients} does for any
 * emulator. LocalStack accepts any credentials; with the non-numeric access key {@code test} its account is
 * 000000000000.
 */
final class LocalStackEmulator implements AwsEmulator {

    static final String DEFAULT_IMAGE = "localstack/localstack:4.14";
    static final String[] SERVICES = {"s3", "sqs", "dynamodb", "secretsmanager"};

    private final LocalStackContainer container;

    private LocalStackEmulator(LocalStackContainer container) {
        this.container = container;
    }

    /** Whether Testcontainers finds a Docker engine (socket, DOCKER_HOST, ~/.testcontainers.properties, ...). */
    static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable noDocker) {
            return false;
        }
    }

    static LocalStackEmulator start() {
        String image = System.getenv().getOrDefault("LOCALSTACK_IMAGE", DEFAULT_IMAGE);
        LocalStackContainer c = new LocalStackContainer(
                DockerImageName.parse(image).asCompatibleSubstituteFor("localstack/localstack"))
                .withServices(SERVICES);
        String token = System.getenv("LOCALSTACK_AUTH_TOKEN");
        if (token != null && !token.isBlank()) {
            c.withEnv("LOCALSTACK_AUTH_TOKEN", token.trim());
        }
        try {
            c.start();
        } catch (RuntimeException e) {
            c.stop();
            throw new IllegalStateException("LocalStack (" + image + ") did not start: " + e.getMessage()
                    + (token == null || token.isBlank() ? " (no LOCALSTACK_AUTH_TOKEN is set; newer LocalStack images "
                    + "need one)" : ""), e);
        }
        return new LocalStackEmulator(c);
    }

    @Override
    public URI endpoint() {
        return container.getEndpoint();
    }

    @Override
    public String name() {
        return "LocalStack " + container.getDockerImageName();
    }

    @Override
    public void close() {
        container.stop();
    }
}
