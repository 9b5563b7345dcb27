package io.voicedrop.local;

import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Does a Docker engine answer here? Asked cheaply, before Testcontainers is: Testcontainers, finding none, logs an
 * ERROR listing every strategy it tried, and on a machine without Docker (this project's CI, most laptops running
 * the quick start) that is the expected, healthy case, not an error. So the probe looks where Testcontainers would
 * look by default (the Unix sockets of Docker Engine, rootless Docker, Docker Desktop, Colima, Rancher Desktop and
 * OrbStack) and sends {@code GET /_ping}; only when an engine answers is Testcontainers asked. Where Docker is
 * configured explicitly ({@code DOCKER_HOST}, or {@code docker.host} in {@code ~/.testcontainers.properties}) with
 * anything but a Unix socket (TCP, TLS, SSH), the probe cannot tell and leaves the question to Testcontainers: who
 * set that up wants to hear why it fails.
 */
final class DockerProbe {

    /** What the probe found. {@code ask} means: ask Testcontainers (an engine answered, or the probe cannot tell). */
    record Answer(boolean ask, String reason) {
    }

    private static final long PING_TIMEOUT_MS = 1_500;

    private DockerProbe() {
    }

    static Answer probe() {
        return probe(System::getenv, Path.of(System.getProperty("user.home", "/")));
    }

    static Answer probe(Function<String, String> env, Path home) {
        String host = env.apply("DOCKER_HOST");
        if (host == null || host.isBlank()) {
            host = testcontainersProperty(home);
        }
        if (host != null && !host.isBlank()) {
            if (!host.startsWith("unix://")) {
                return new Answer(true, "DOCKER_HOST=" + host);
            }
            Path socket = Path.of(host.substring("unix://".length()));
            return ping(socket) ? new Answer(true, "Docker answers at " + socket)
                    : new Answer(false, "no Docker engine answered at " + socket);
        }
        for (Path socket : defaultSockets(env, home)) {
            if (Files.exists(socket) && ping(socket)) {
                return new Answer(true, "Docker answers at " + socket);
            }
        }
        return new Answer(false, "no Docker engine answered");
    }

    static List<Path> defaultSockets(Function<String, String> env, Path home) {
        List<Path> sockets = new ArrayList<>(List.of(Path.of("/var/run/docker.sock")));
        String runtimeDir = env.apply("XDG_RUNTIME_DIR");
        if (runtimeDir != null && !runtimeDir.isBlank()) {
            sockets.add(Path.of(runtimeDir, "docker.sock"));
        }
        for (String relative : List.of(".docker/run/docker.sock", ".docker/desktop/docker.sock",
                ".colima/default/docker.sock", ".colima/docker.sock", ".rd/docker.sock", ".orbstack/run/docker.sock")) {
            sockets.add(home.resolve(relative));
        }
        return sockets;
    }

    /** {@code docker.host} of {@code ~/.testcontainers.properties}, which Testcontainers reads too. */
    private static String testcontainersProperty(Path home) {
        Path file = home.resolve(".testcontainers.properties");
        if (!Files.isRegularFile(file)) {
            return null;
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (IOException unreadable) {
            return null;
        }
        return p.getProperty("docker.host");
    }

    /** {@code GET /_ping} over the socket: Docker's health check answers {@code 200 OK}. */
    static boolean ping(Path socket) {
        if (!Files.exists(socket)) {
            return false;
        }
        CompletableFuture<Boolean> answer = CompletableFuture.supplyAsync(() -> {
            try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                channel.connect(UnixDomainSocketAddress.of(socket));
                channel.write(ByteBuffer.wrap("GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII)));
                byte[] head = Channels.newInputStream(channel).readNBytes(64);
                String status = new String(head, StandardCharsets.US_ASCII);
                return status.startsWith("HTTP/1.") && status.contains(" 200 ");
            } catch (IOException | RuntimeException noEngine) {
                return false;
            }
        });
        try {
            return answer.get(PING_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (Exception timedOut) {
            answer.cancel(true);
            return false;
        }
    }
}
