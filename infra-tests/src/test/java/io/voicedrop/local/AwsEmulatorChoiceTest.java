package io.voicedrop.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** VOICEDROP_EMULATOR forces the emulator; an impossible choice fails loudly instead of being skipped. */
class AwsEmulatorChoiceTest {

    private static AwsEmulator fake(String name) {
        return new AwsEmulator() {
            public URI endpoint() { return URI.create("http://127.0.0.1:1"); }
            public String name() { return name; }
            public void close() { }
        };
    }

    private static final Supplier<AwsEmulator> LOCALSTACK = () -> fake("localstack");
    private static final Supplier<AwsEmulator> MOTO = () -> fake("moto");

    private static String pick(String choice, boolean docker) {
        Map<String, String> env = choice == null ? Map.of() : Map.of(AwsEmulator.CHOICE_VARIABLE, choice);
        return AwsEmulator.start(null, env::get, () -> docker, LOCALSTACK, MOTO).name();
    }

    @Test
    void autoPrefersLocalStackWhenDockerAnswers() {
        assertEquals("localstack", pick(null, true));
        assertEquals("localstack", pick("auto", true));
        assertEquals("moto", pick(null, false));
        assertEquals("moto", pick("AUTO", false));
    }

    @Test
    void motoIsForcedEvenWithDocker() {
        assertEquals("moto", pick("moto", true));
        assertEquals("moto", pick("moto", false));
    }

    @Test
    void localStackIsForcedAndFailsClearlyWithoutDocker() {
        assertEquals("localstack", pick("localstack", true));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> pick("localstack", false));
        assertTrue(e.getMessage().contains("VOICEDROP_EMULATOR=localstack") && e.getMessage().contains("Docker"),
                e.getMessage());
    }

    @Test
    void aForcedLocalStackThatCannotStartIsAnError() {
        Supplier<AwsEmulator> broken = () -> {
            throw new IllegalStateException("LocalStack did not start");
        };
        Map<String, String> env = Map.of(AwsEmulator.CHOICE_VARIABLE, "localstack");
        assertThrows(IllegalStateException.class, () -> AwsEmulator.start(null, env::get, () -> true, broken, MOTO));
        // auto: a warning, then moto
        assertEquals("moto", AwsEmulator.start(null, Map.<String, String>of()::get, () -> true, broken, MOTO).name());
    }

    @Test
    void anUnknownChoiceIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> pick("docker", true));
    }

    @Test
    void anExplicitEndpointWins() {
        Map<String, String> env = Map.of(AwsEmulator.CHOICE_VARIABLE, "localstack");
        AwsEmulator e = AwsEmulator.start("http://127.0.0.1:4566", env::get, () -> false, LOCALSTACK, MOTO);
        assertEquals(URI.create("http://127.0.0.1:4566"), e.endpoint());
    }

    @Test
    void withoutDockerForcingLocalStackReallyFails() {
        // The probe the runner uses: asked first, Testcontainers only when an engine answers (so no ERROR here).
        Supplier<Boolean> docker = () -> DockerProbe.probe().ask() && LocalStackEmulator.dockerAvailable();
        if (docker.get()) {
            return; // this machine has Docker: nothing to check here
        }
        Map<String, String> env = Map.of(AwsEmulator.CHOICE_VARIABLE, "localstack");
        assertThrows(IllegalStateException.class, () -> AwsEmulator.start(null, env::get, docker,
                LocalStackEmulator::start, MOTO));
    }
}
