package io.voicedrop.sim;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A webhook endpoint on loopback that records every request it receives (headers, raw body, time), answering 204 by
 * default; tests script other answers: a status ({@link #failNext}), a hang past the sender's timeout
 * ({@link #hangNext}) or a redirect ({@link #redirectNext}). It verifies nothing itself: tests hand what it
 * recorded to an independent verifier.
 */
public final class WebhookReceiver implements AutoCloseable {

    /** One request as it arrived; header names in lower case. */
    public record Receipt(String method, String path, Map<String, String> headers, String body, Instant at) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private sealed interface Step permits Status, Hang, Redirect {}

    private record Status(int status) implements Step {}

    private record Hang(Duration duration) implements Step {}

    private record Redirect(int status, String location) implements Step {}

    private final HttpServer server;
    private final ExecutorService pool;
    private final List<Receipt> receipts = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Step> script = new ConcurrentLinkedQueue<>();

    private WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "webhook-receiver");
            t.setDaemon(true);
            return t;
        });
        server.createContext("/", this::handle);
        server.setExecutor(pool);
        server.start();
    }

    public static WebhookReceiver start() {
        try {
            return new WebhookReceiver();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the webhook receiver", e);
        }
    }

    /** E.g. {@code http://127.0.0.1:41234/hooks/a}. */
    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public WebhookReceiver failNext(int n, int status) {
        for (int i = 0; i < n; i++) {
            script.add(new Status(status));
        }
        return this;
    }

    /** The next {@code n} requests get no answer for {@code duration} (then 204, long after the sender gave up). */
    public WebhookReceiver hangNext(int n, Duration duration) {
        for (int i = 0; i < n; i++) {
            script.add(new Hang(duration));
        }
        return this;
    }

    public WebhookReceiver redirectNext(int status, String location) {
        script.add(new Redirect(status, location));
        return this;
    }

    public List<Receipt> receipts() {
        return List.copyOf(receipts);
    }

    /** Requests received for one path, in arrival order. */
    public List<Receipt> receipts(String path) {
        return receipts.stream().filter(r -> r.path().equals(path)).toList();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] body = ex.getRequestBody().readAllBytes();
            Map<String, String> headers = new LinkedHashMap<>();
            ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
            receipts.add(new Receipt(ex.getRequestMethod(), ex.getRequestURI().getPath(), headers,
                    new String(body, StandardCharsets.UTF_8), Instant.now()));
            Step step = script.poll();
            if (step instanceof Status s) {
                ex.sendResponseHeaders(s.status(), -1);
            } else if (step instanceof Hang h) {
                try {
                    Thread.sleep(h.duration().toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                ex.sendResponseHeaders(204, -1);
            } else if (step instanceof Redirect r) {
                ex.getResponseHeaders().set("Location", r.location());
                ex.sendResponseHeaders(r.status(), -1);
            } else {
                ex.sendResponseHeaders(204, -1);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
