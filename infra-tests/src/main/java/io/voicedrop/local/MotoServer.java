package io.voicedrop.local;

import java.io.File;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * A moto server (Python, moto's {@code moto.server}) on a free loopback port, for machines without Docker.
 * Its output goes to a log file in the temp directory, named in the error if it fails to start. The launcher prints
 * moto's version first, so the runner can say which moto it runs without a second Python start.
 */
public final class MotoServer implements AwsEmulator {

    /**
     * {@code python3 -m moto.server}, after printing {@code moto <version>}, with its DynamoDB made atomic and its
     * transactions linear in what they touch ({@code moto_launcher.py} says how and why).
     */
    private static final String LAUNCHER = launcher();

    private final Process process;
    private final URI endpoint;
    private final Path log;
    private String version = "";

    private MotoServer(Process process, URI endpoint, Path log) {
        this.process = process;
        this.endpoint = endpoint;
        this.log = log;
    }

    public static MotoServer start() {
        return start(java.util.Map.of());
    }

    /** A moto server with extra environment, e.g. {@code MOTO_DISABLE_GLOBAL_CORS=true} to have bucket CORS rules apply. */
    public static MotoServer start(java.util.Map<String, String> environment) {
        int port = freePort();
        String python = System.getenv().getOrDefault("VOICEDROP_PYTHON", "python3");
        try {
            Path log = Files.createTempFile("voicedrop-moto-", ".log");
            ProcessBuilder pb = new ProcessBuilder(python, "-c", LAUNCHER, "-H", "127.0.0.1", "-p",
                    Integer.toString(port)).redirectErrorStream(true).redirectOutput(log.toFile());
            // moto's threaded server holds on to memory in one glibc malloc arena per thread: over a test run its
            // RSS grew to GBs while it held a few tens of MB of data. Two arenas keep the freed memory reusable.
            pb.environment().putIfAbsent("MALLOC_ARENA_MAX", "2");
            pb.environment().putAll(environment);
            Process p = pb.start();
            MotoServer server = new MotoServer(p, URI.create("http://127.0.0.1:" + port), log);
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "moto-stop"));
            server.awaitReady(log.toFile());
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("could not start moto (" + python + " -m moto.server); is moto installed? "
                    + "pip install 'moto[server]'", e);
        }
    }

    private void awaitReady(File log) {
        Instant until = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(until)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("moto exited at start; see " + log);
            }
            try {
                HttpURLConnection c = (HttpURLConnection) endpoint.resolve("/moto-api/").toURL().openConnection();
                c.setConnectTimeout(500);
                c.setReadTimeout(2000);
                if (c.getResponseCode() < 500) {
                    version = readVersion(log.toPath());
                    return;
                }
            } catch (IOException notYet) {
                // keep waiting
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        close();
        throw new IllegalStateException("moto did not answer within 60 s; see " + log);
    }

    private static String readVersion(Path log) {
        try (java.util.stream.Stream<String> lines = Files.lines(log)) {
            return lines.findFirst().filter(l -> l.startsWith("moto ")).map(l -> l.substring(5).trim()).orElse("");
        } catch (IOException | java.io.UncheckedIOException unreadable) {
            return "";
        }
    }

    private static String launcher() {
        try (java.io.InputStream in = MotoServer.class.getResourceAsStream("moto_launcher.py")) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("moto_launcher.py is missing from the classpath", e);
        }
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public URI endpoint() {
        return endpoint;
    }

    /** What moto printed (the launcher says there which of its options are on). */
    public Path log() {
        return log;
    }

    @Override
    public String name() {
        return version.isEmpty() ? "moto" : "moto " + version;
    }

    @Override
    public java.util.OptionalLong processId() {
        return java.util.OptionalLong.of(process.pid());
    }

    /**
     * Stops moto and waits for it: SIGTERM, then SIGKILL after 5 s. A JVM that dies without running this (SIGKILL) is
     * covered by the launcher itself, which exits when its parent is gone.
     */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
