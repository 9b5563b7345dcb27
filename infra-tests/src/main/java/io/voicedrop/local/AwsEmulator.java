package io.voicedrop.local;

import java.net.URI;

/** An AWS-protocol endpoint (S3, SQS, DynamoDB, Secrets Manager) that VoiceDrop can run against without an account. */
public interface AwsEmulator extends AutoCloseable {

    URI endpoint();

    String name();

    @Override
    void close();

    /**
     * Picks the emulator: an explicit endpoint when given, LocalStack through Testcontainers when a Docker engine
     * answers (unless {@code VOICEDROP_EMULATOR=moto}), and otherwise a moto server started here.
     */
    static AwsEmulator start(String explicitEndpoint) {
        if (explicitEndpoint != null && !explicitEndpoint.isBlank()) {
            URI uri = URI.create(explicitEndpoint);
            return new AwsEmulator() {
                public URI endpoint() { return uri; }
                public String name() { return "external endpoint"; }
                public void close() { }
            };
        }
        String choice = System.getenv().getOrDefault("VOICEDROP_EMULATOR", "auto");
        if (!"moto".equalsIgnoreCase(choice) && LocalStackEmulator.dockerAvailable()) {
            return LocalStackEmulator.start();
        }
        return MotoServer.start();
    }
}
