package io.voicedrop.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voicedrop.core.model.ApiKey;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class ApiKeysCommandTest {

    private final InMemoryApiKeyStore store = new InMemoryApiKeyStore();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return run(() -> store, args);
    }

    private int run(Supplier<io.voicedrop.core.port.ApiKeyStore> stores, String... args) {
        out.reset();
        err.reset();
        return ApiKeysCommand.run(args, stores, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void createPrintsTheKeyOnceAndStoresOnlyItsHash() {
        assertEquals(0, run("create", "--owner", "alice", "--label", "laptop"));
        String key = out().strip();
        assertFalse(key.isEmpty());
        assertEquals(1, out().lines().count(), "stdout is the key alone, so it can be captured");
        ApiKey stored = store.list().get(0);
        assertEquals(ApiKey.hashOf(key), stored.keyHash());
        assertEquals("alice", stored.owner());
        assertEquals("laptop", stored.label());
        assertTrue(stored.enabled());
        assertEquals(null, stored.plaintext());
        assertTrue(err().contains(stored.keyHash()));
        assertFalse(err().contains(key));
    }

    @Test
    void listShowsHashesNeverKeys() {
        run("create", "--owner", "alice");
        String key = out().strip();
        assertEquals(0, run("list"));
        String line = out().strip();
        String[] cols = line.split("\t", -1);
        assertEquals(ApiKey.hashOf(key), cols[0]);
        assertEquals("enabled", cols[1]);
        assertEquals("alice", cols[3]);
        assertFalse(out().contains(key));
    }

    @Test
    void revokeDisables() {
        run("create", "--owner", "alice");
        String hash = ApiKey.hashOf(out().strip());
        assertEquals(0, run("revoke", hash.substring(0, 10)));
        assertFalse(store.list().get(0).enabled());
        assertEquals(1, run("revoke", "ffffffffffff"));
        assertTrue(err().contains("no key"), err());
    }

    @Test
    void usageErrors() {
        for (List<String> args : List.of(List.<String>of(), List.of("create"), List.of("create", "--owner"),
                List.of("create", "--label", "x"), List.of("create", "--owner", "a", "extra"), List.of("list", "x"),
                List.of("revoke"), List.of("frobnicate"))) {
            assertEquals(2, run(args.toArray(String[]::new)), args.toString());
            assertTrue(err().startsWith("usage:"), err());
        }
        assertTrue(store.list().isEmpty());
    }

    @Test
    void missingConfigurationIsReported() {
        int code = run(() -> {
            throw new IllegalStateException("environment variable API_KEYS_TABLE is not set");
        }, "list");
        assertEquals(2, code);
        assertEquals("environment variable API_KEYS_TABLE is not set", err().strip());
    }
}
