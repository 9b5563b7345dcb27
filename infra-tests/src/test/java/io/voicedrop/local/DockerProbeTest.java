package io.voicedrop.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cheap Docker probe, against real Unix sockets: one that answers like an engine, one that does not. */
class DockerProbeTest {

    @TempDir
    Path home;

    @Test
    void nothingAnsweringMeansNoDockerAndNoTestcontainersQuestion() {
        DockerProbe.Answer a = DockerProbe.probe(Map.of("XDG_RUNTIME_DIR", home.toString())::get, home);
        // The machine's own /var/run/docker.sock counts too: only assert where this machine has none.
        if (!Files.exists(Path.of("/var/run/docker.sock"))) {
            assertFalse(a.ask(), a.toString());
            assertEquals("no Docker engine answered", a.reason());
        }
    }

    @Test
    void aSocketThatAnswersThePingIsDocker() throws Exception {
        Path socket = home.resolve(".docker/run/docker.sock");
        Files.createDirectories(socket.getParent());
        try (FakeEngine engine = new FakeEngine(socket, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nOK")) {
            DockerProbe.Answer a = DockerProbe.probe(Map.<String, String>of()::get, home);
            assertTrue(a.ask(), a.toString());
            assertTrue(a.reason().contains(socket.toString()), a.reason());
        }
    }

    @Test
    void aSocketThatAnswersSomethingElseIsNotDocker() throws Exception {
        Path socket = home.resolve("other.sock");
        try (FakeEngine engine = new FakeEngine(socket, "HTTP/1.1 404 Not Found\r\n\r\n")) {
            DockerProbe.Answer a = DockerProbe.probe(Map.of("DOCKER_HOST", "unix://" + socket)::get, home);
            assertFalse(a.ask(), a.toString());
            assertEquals("no Docker engine answered at " + socket, a.reason());
        }
    }

    @Test
    void aStaleSocketFileIsNotDocker() throws Exception {
        Path socket = home.resolve("stale.sock");
        Files.createFile(socket);
        assertFalse(DockerProbe.ping(socket));
    }

    @Test
    void anExplicitNonUnixHostIsLeftToTestcontainers() throws IOException {
        assertTrue(DockerProbe.probe(Map.of("DOCKER_HOST", "tcp://10.0.0.5:2376")::get, home).ask());
        Files.writeString(home.resolve(".testcontainers.properties"), "docker.host=tcp\\://127.0.0.1\\:2375\n");
        DockerProbe.Answer fromProperties = DockerProbe.probe(Map.<String, String>of()::get, home);
        assertTrue(fromProperties.ask());
        assertEquals("DOCKER_HOST=tcp://127.0.0.1:2375", fromProperties.reason());
    }

    /** A Unix socket server that answers every connection with {@code reply}. */
    private static final class FakeEngine implements AutoCloseable {
        private final ServerSocketChannel server;
        private final Thread thread;

        FakeEngine(Path socket, String reply) throws IOException {
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(socket));
            thread = new Thread(() -> {
                while (server.isOpen()) {
                    try (SocketChannel c = server.accept()) {
                        c.read(ByteBuffer.allocate(256));
                        c.write(ByteBuffer.wrap(reply.getBytes(StandardCharsets.US_ASCII)));
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
