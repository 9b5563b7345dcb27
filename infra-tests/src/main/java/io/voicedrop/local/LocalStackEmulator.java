package io.voicedrop.local;

import java.net.URI;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * LocalStack in Docker through Testcontainers. The default image tag is pinned to the last line that starts
 * without an auth token; newer tags need {@code LOCALSTACK_AUTH_TOKEN}, which is passed through when set.
 */
final class LocalStackEmulator implements AwsEmulator {

    static final String DEFAULT_IMAGE = "localstack/localstack:4.14";

    private final LocalStackContainer container;

    private LocalStackEmulator(LocalStackContainer container) {
        this.container = container;
    }

    static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable noDocker) {
            return false;
        }
    }

    static LocalStackEmulator start() {
        String image = System.getenv().getOrDefault("LOCALSTACK_IMAGE", DEFAULT_IMAGE);
        LocalStackContainer c = new LocalStackContainer(DockerImageName.parse(image).asCompatibleSubstituteFor("localstack/localstack"))
                .withServices("s3", "sqs", "dynamodb", "secretsmanager");
        String token = System.getenv("LOCALSTACK_AUTH_TOKEN");
        if (token != null && !token.isBlank()) {
            c.withEnv("LOCALSTACK_AUTH_TOKEN", token);
        }
        c.start();
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
