package io.voicedrop.sim;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stands in for S3 presigned URLs: {@code /ok/...} serves audio-ish bytes, {@code /status/N}
 * answers HTTP N, {@code /empty} answers 200 with no body.
 */
final class VoiceServer implements AutoCloseable {

    private final HttpServer server;
    final AtomicInteger hits = new AtomicInteger();

    VoiceServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        server.createContext("/", ex -> {
            hits.incrementAndGet();
            String path = ex.getRequestURI().getPath();
            int status = path.startsWith("/status/") ? Integer.parseInt(path.substring(8)) : 200;
            byte[] body = path.startsWith("/ok/") ? "ID3-fake-audio-bytes".getBytes() : new byte[0];
            ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    String ok(String name) {
        return url("/ok/" + name + ".mp3");
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
