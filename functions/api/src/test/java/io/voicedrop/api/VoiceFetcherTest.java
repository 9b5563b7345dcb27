package io.voicedrop.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.voicedrop.api.VoiceFetcher.FetchFailed;
import io.voicedrop.api.VoiceFetcher.Fetched;
import io.voicedrop.adapters.http.OutboundGuard;
import io.voicedrop.adapters.http.OutboundGuard.Policy;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link VoiceFetcher} against a real HTTP server on 127.0.0.1. Every refusal is checked twice: the message the API
 * caller sees, and that the forbidden target was never contacted (the server counts requests per path).
 *
 * <p>This machine has only loopback and private addresses, so redirect refusals use the test seams: the fetcher's
 * client sends every request to the local server as its proxy, and a stub resolver says {@code voices.example.test} is
 * public and {@code internal.example.test} is private. A redirect that were wrongly followed would therefore still
 * arrive at the local server, and be counted.
 */
class VoiceFetcherTest {

    private static final long CAP = 64 * 1024;
    private static final byte[] VOICE = "RIFF....WAVEfmt pretend voice bytes".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SECRET = "instance credentials".getBytes(StandardCharsets.US_ASCII);
    private static final String PUBLIC_HOST = "voices.example.test";
    private static final String PRIVATE_HOST = "internal.example.test";
    private static final String NON_PUBLIC =
            "the host resolves to a private, loopback, link-local or reserved address, which is not allowed";

    private HttpServer server;
    private ExecutorService pool;
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch bigAbandoned = new CountDownLatch(1);
    private String base;
    private int port;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        pool = Executors.newCachedThreadPool();
        server.setExecutor(pool);
        server.createContext("/", this::handle);
        server.start();
        port = server.getAddress().getPort();
        base = "http://127.0.0.1:" + port;
    }

    @AfterEach
    void stopServer() {
        release.countDown();
        server.stop(0);
        pool.shutdownNow();
    }

    private void handle(HttpExchange ex) throws IOException {
        // Through the proxy the request line is absolute (http://voices.example.test/...); the path is what counts.
        String path = ex.getRequestURI().getPath();
        hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        try (ex) {
            if (path.equals("/voice.wav")) {
                ex.getResponseHeaders().add("Content-Type", "audio/wav");
                respond(ex, 200, VOICE);
            } else if (path.equals("/secret") || path.startsWith("/latest/")) {
                respond(ex, 200, SECRET);
            } else if (path.startsWith("/to-")) {
                redirect(ex, switch (path) {
                    case "/to-public" -> "http://" + PUBLIC_HOST + "/voice.wav";
                    case "/to-loopback" -> "http://127.0.0.1:" + port + "/secret";
                    case "/to-loopback-v6" -> "http://[::1]:" + port + "/secret";
                    case "/to-localhost" -> "http://localhost:" + port + "/secret";
                    case "/to-private" -> "http://10.0.0.7/secret";
                    case "/to-metadata" -> "http://169.254.169.254/latest/meta-data/";
                    case "/to-private-name" -> "http://" + PRIVATE_HOST + "/secret";
                    case "/to-file" -> "file:///etc/passwd";
                    case "/to-gopher" -> "gopher://127.0.0.1:" + port + "/_secret";
                    default -> "/nowhere";
                });
            } else if (path.startsWith("/hops/")) {
                // /hops/n redirects n times before the voice
                int n = Integer.parseInt(path.substring("/hops/".length()));
                redirect(ex, n <= 1 ? "/voice.wav" : "/hops/" + (n - 1));
            } else if (path.equals("/big")) {
                streamEndlessly(ex);
            } else if (path.equals("/slow-body")) {
                trickle(ex);
            } else if (path.equals("/slow-headers")) {
                await(release, 10);
                respond(ex, 200, VOICE);
            } else {
                respond(ex, 404, new byte[0]);
            }
        }
    }

    private static void respond(HttpExchange ex, int status, byte[] body) throws IOException {
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            ex.getResponseBody().write(body);
        }
    }

    private static void redirect(HttpExchange ex, String location) throws IOException {
        ex.getResponseHeaders().add("Location", location);
        ex.sendResponseHeaders(302, -1);
    }

    /** A chunked body with no announced length that would go on far past any cap. */
    private void streamEndlessly(HttpExchange ex) throws IOException {
        ex.sendResponseHeaders(200, 0);
        byte[] chunk = new byte[16 * 1024];
        try {
            OutputStream out = ex.getResponseBody();
            for (int i = 0; i < 64 * 1024; i++) { // 1 GiB
                out.write(chunk);
                out.flush();
            }
        } catch (IOException clientWentAway) {
            bigAbandoned.countDown();
        }
    }

    /** Answers at once, then sends one byte every 100 ms. */
    private void trickle(HttpExchange ex) throws IOException {
        ex.sendResponseHeaders(200, 0);
        try {
            OutputStream out = ex.getResponseBody();
            for (int i = 0; i < 300 && !await(release, 0.1); i++) {
                out.write('x');
                out.flush();
            }
        } catch (IOException clientWentAway) {
            // expected once the fetcher gives up
        }
    }

    private static boolean await(CountDownLatch latch, double seconds) {
        try {
            return latch.await((long) (seconds * 1000), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    private int hits(String path) {
        AtomicInteger n = hits.get(path);
        return n == null ? 0 : n.get();
    }

    private int totalHits() {
        return hits.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    /** voices.example.test is public, internal.example.test private; literals and localhost as usual; else unknown. */
    private static InetAddress[] stubResolve(String host) throws UnknownHostException {
        if (host.equals(PUBLIC_HOST)) {
            return new InetAddress[] {InetAddress.getByAddress(host, new byte[] {93, (byte) 184, (byte) 215, 14})};
        }
        if (host.equals(PRIVATE_HOST)) {
            return new InetAddress[] {InetAddress.getByAddress(host, new byte[] {10, 0, 0, 7})};
        }
        if (host.contains(":") || host.matches("[0-9.]+") || host.equals("localhost")) {
            return InetAddress.getAllByName(host); // a literal or localhost: no DNS
        }
        throw new UnknownHostException("no such test host");
    }

    private static HttpClient clientVia(InetSocketAddress proxy) {
        return HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(2)).proxy(ProxySelector.of(proxy)).build();
    }

    /** A fetcher whose every request goes to the local server, with the stub resolver. */
    private VoiceFetcher viaLocalServer(Policy policy) {
        return new VoiceFetcher(VoiceFetcherTest::stubResolve, policy, CAP, clientVia(server.getAddress()));
    }

    /** Plain http allowed (the local server has no TLS), non-public addresses refused: the rule redirects test. */
    private VoiceFetcher httpButPublicOnly() {
        return viaLocalServer(new Policy(true, false));
    }

    private static Instant soon() {
        return Instant.now().plusSeconds(20);
    }

    private static String refusal(VoiceFetcher fetcher, String url) {
        return refusal(fetcher, url, soon());
    }

    private static String refusal(VoiceFetcher fetcher, String url, Instant deadline) {
        String message = assertThrows(FetchFailed.class, () -> fetcher.fetch(url, deadline),
                "must be refused: " + url).getMessage();
        assertFalse(message.contains(url), "the message must not repeat the URL: " + message);
        for (String part : new String[] {"example.test", "127.0.0.1", "::1", "169.254", "10.0.0.7", "passwd",
                "/secret", "localhost"}) {
            if (url.contains(part)) {
                assertFalse(message.contains(part), "the message must not repeat parts of the URL: " + message);
            }
        }
        return message;
    }

    /** Counts TCP connections and drops them: sees any contact, plain or TLS, direct or through a proxy. */
    private static final class ConnectionCounter implements AutoCloseable {
        final ServerSocket socket;
        final AtomicInteger accepted = new AtomicInteger();
        final Thread thread;

        ConnectionCounter() throws IOException {
            socket = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
            thread = new Thread(() -> {
                while (!socket.isClosed()) {
                    try (Socket s = socket.accept()) {
                        accepted.incrementAndGet();
                    } catch (IOException closed) {
                        return;
                    }
                }
            }, "connection-counter");
            thread.setDaemon(true);
            thread.start();
        }

        InetSocketAddress address() {
            return (InetSocketAddress) socket.getLocalSocketAddress();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    // ---- the default policy, first URL ----

    @Test
    void theDefaultPolicyRefusesPlainHttpEvenToAPublicHost() throws Exception {
        String url = "http://" + PUBLIC_HOST + "/voice.wav";
        assertEquals("only https URLs are accepted", refusal(viaLocalServer(Policy.STRICT), url));
        assertEquals(0, totalHits(), "nothing may be requested over plain http");

        // The public constructor maps the setting's default to the same refusal (a literal public address: no lookup).
        assertEquals("only https URLs are accepted", refusal(new VoiceFetcher(false, CAP), "http://93.184.215.14/a"));

        // Control: the same URL is fetched once plain http is allowed, so the zero above means something.
        Fetched f = httpButPublicOnly().fetch(url, soon());
        assertArrayEquals(VOICE, f.bytes());
        assertEquals(1, hits("/voice.wav"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "https://127.0.0.1:%d/secret",
        "https://localhost:%d/secret",
        "https://[::1]:%d/secret",
        "https://10.1.2.3/secret",
        "https://172.16.0.1/secret",
        "https://172.31.255.254/secret",
        "https://192.168.1.1/secret",
        "https://169.254.169.254/latest/meta-data/iam/security-credentials/",
        "https://[fe80::1]/secret",
        "https://[::ffff:127.0.0.1]:%d/secret",
        "https://[::ffff:169.254.169.254]/latest/meta-data/",
        "https://0.0.0.0:%d/secret",
        "https://100.64.0.1/secret",
        "https://[fd00::1]/secret",
        "http://127.0.0.1:%d/secret",
        "http://169.254.169.254/latest/meta-data/",
    })
    void theDefaultPolicyRefusesNonPublicAddressesWithoutContactingThem(String template) throws Exception {
        try (ConnectionCounter counter = new ConnectionCounter()) {
            String url = template.replace("%d", String.valueOf(counter.address().getPort()));
            // The production constructor with the setting's default.
            assertEquals(NON_PUBLIC, refusal(new VoiceFetcher(false, CAP), url));
            // The same policy with a client that sends everything to the counter, so any contact would show.
            VoiceFetcher strict = new VoiceFetcher(InetAddress::getAllByName, Policy.STRICT, CAP,
                    clientVia(counter.address()));
            assertEquals(NON_PUBLIC, refusal(strict, url));
            assertEquals(0, counter.accepted.get(), "the refused address must not be contacted");
        }
    }

    @Test
    void theConnectionCounterSeesAFetchThatIsNotRefused() throws Exception {
        // Control for the test above: with both knobs on the same URL is attempted, and the counter notices.
        try (ConnectionCounter counter = new ConnectionCounter()) {
            VoiceFetcher open = new VoiceFetcher(InetAddress::getAllByName, new Policy(true, true), CAP,
                    clientVia(counter.address()));
            String message = refusal(open, "https://10.1.2.3/secret");
            assertTrue(message.startsWith("the download failed"), message);
            assertTrue(counter.accepted.get() >= 1, "the attempt must reach the counter");
        }
    }

    @Test
    void otherShapesAreRefusedBeforeAnyRequest() {
        VoiceFetcher fetcher = httpButPublicOnly();
        assertEquals("URLs with user info are not accepted",
                refusal(fetcher, "http://user:pw@" + PUBLIC_HOST + "/voice.wav"));
        assertEquals("the URL is longer than 2048 characters",
                refusal(fetcher, "http://" + PUBLIC_HOST + "/" + "a".repeat(2048)));
        assertEquals("not a valid URL", refusal(fetcher, "http://" + PUBLIC_HOST + "/a b|c"));
        assertEquals("the URL has no host", refusal(fetcher, "http:///voice.wav"));
        assertEquals("the host does not resolve", refusal(fetcher, "http://nowhere.example.test/voice.wav"));
        assertEquals(NON_PUBLIC, refusal(fetcher, "http://" + PRIVATE_HOST + "/secret"));
        assertEquals(0, totalHits());
    }

    // ---- non-HTTP schemes: never, whatever the setting ----

    @ParameterizedTest
    @ValueSource(strings = {
        "file:///etc/passwd",
        "FILE:///etc/passwd",
        "ftp://127.0.0.1:%d/voice.wav",
        "gopher://127.0.0.1:%d/_GET%%20/secret",
        "jar:file:///tmp/x.jar!/voice.wav",
        "data:audio/wav;base64,UklGRg==",
        "ws://127.0.0.1:%d/voice.wav",
        "//127.0.0.1:%d/voice.wav",
    })
    void nonHttpSchemesAreRefusedEvenWithTheRelaxedSetting(String template) {
        String url = String.format(template, port, port);
        assertEquals("only http and https URLs are accepted", refusal(new VoiceFetcher(true, CAP), url));
        assertEquals("only https URLs are accepted", refusal(new VoiceFetcher(false, CAP), url));
        assertEquals(0, totalHits());
    }

    // ---- redirects: every hop is checked like the first URL ----

    @Test
    void aRedirectToAPublicHostIsFollowed() throws Exception {
        // Control for the refusals below: the proxy route and the redirect handling work.
        Fetched f = httpButPublicOnly().fetch("http://" + PUBLIC_HOST + "/to-public", soon());
        assertArrayEquals(VOICE, f.bytes());
        assertEquals("audio/wav", f.contentType());
        assertEquals("voice.wav", f.fileName());
        assertEquals(1, hits("/to-public"));
        assertEquals(1, hits("/voice.wav"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/to-loopback", "/to-loopback-v6", "/to-localhost", "/to-private", "/to-metadata",
        "/to-private-name"})
    void aRedirectToANonPublicAddressIsRefusedAndNotFollowed(String first) {
        String message = refusal(httpButPublicOnly(), "http://" + PUBLIC_HOST + first);
        assertEquals("a redirect led to a host that resolves to a private, loopback, link-local or reserved address,"
                + " which is not allowed", message);
        assertEquals(1, hits(first), "the public first hop is fetched");
        assertEquals(0, hits("/secret") + hits("/latest/meta-data/"), "the redirect target must not be contacted");
        assertEquals(1, totalHits());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/to-file", "/to-gopher"})
    void aRedirectToANonHttpSchemeIsRefused(String first) {
        String message = refusal(httpButPublicOnly(), "http://" + PUBLIC_HOST + first);
        assertEquals("a redirect led to a URL that is not http or https, which is not allowed", message);
        assertEquals(1, totalHits(), "only the first hop is requested");
    }

    @Test
    void aRedirectFromHttpsToHttpIsRefusedByDefault() throws Exception {
        // fetch() checks every hop with the guard's check(url, true). The machine has no TLS server for a real https first hop,
        // so the downgrade is shown on that hop check directly.
        OutboundGuard strict = new OutboundGuard(VoiceFetcherTest::stubResolve, Policy.STRICT);
        OutboundGuard.Refused e = assertThrows(OutboundGuard.Refused.class,
                () -> strict.check("http://" + PUBLIC_HOST + "/voice.wav", true));
        assertEquals("a redirect led to a URL that is not https, which is not allowed", e.getMessage());
        assertEquals("https", strict.check("https://" + PUBLIC_HOST + "/voice.wav", true).getScheme());
        OutboundGuard.Refused toFile = assertThrows(OutboundGuard.Refused.class,
                () -> strict.check("file:///etc/passwd", true));
        assertEquals("a redirect led to a URL that is not https, which is not allowed", toFile.getMessage());
        assertEquals(0, totalHits());
    }

    @Test
    void moreThanThreeRedirectsAreRefused() throws Exception {
        Fetched three = httpButPublicOnly().fetch("http://" + PUBLIC_HOST + "/hops/3", soon());
        assertArrayEquals(VOICE, three.bytes(), "three redirects are allowed");
        assertEquals(1, hits("/voice.wav"));

        hits.clear();
        assertEquals("more than 3 redirects, which is not allowed",
                refusal(httpButPublicOnly(), "http://" + PUBLIC_HOST + "/hops/4"));
        assertEquals(1, hits("/hops/4"));
        assertEquals(1, hits("/hops/1"));
        assertEquals(0, hits("/voice.wav"), "the fourth redirect must not be followed");
    }

    // ---- size and time ----

    @Test
    void aBodyOverTheCapIsRefusedWhileStreaming() throws Exception {
        Instant started = Instant.now();
        String message = refusal(httpButPublicOnly(), "http://" + PUBLIC_HOST + "/big");
        assertEquals("the file is larger than " + CAP + " bytes", message);
        // The server would send 1 GiB with no Content-Length: the fetcher stopped long before the end or the deadline.
        assertTrue(Duration.between(started, Instant.now()).toSeconds() < 10, "refused while reading");
        assertTrue(bigAbandoned.await(10, TimeUnit.SECONDS), "the fetcher must drop the connection");
    }

    @Test
    void aSlowBodyIsRefusedAtTheDeadline() {
        Instant started = Instant.now();
        String message = refusal(httpButPublicOnly(), "http://" + PUBLIC_HOST + "/slow-body",
                started.plusMillis(700));
        assertEquals("the download took too long", message);
        Duration took = Duration.between(started, Instant.now());
        assertTrue(took.toMillis() >= 600 && took.toMillis() < 5000, "gave up at the deadline, took " + took);
    }

    @Test
    void aServerThatNeverAnswersIsRefusedAtTheDeadline() {
        Instant started = Instant.now();
        String message = refusal(httpButPublicOnly(), "http://" + PUBLIC_HOST + "/slow-headers",
                started.plusMillis(500));
        assertEquals("the download took too long", message);
        assertTrue(Duration.between(started, Instant.now()).toMillis() < 5000);
    }

    @Test
    void aDeadlineAlreadyPassedStartsNoRequest() {
        assertEquals("the download time for the voices of this request is used up",
                refusal(httpButPublicOnly(), "http://" + PUBLIC_HOST + "/voice.wav", Instant.now().minusMillis(1)));
        assertEquals(0, totalHits());
    }

    @Test
    void onlyStatus200IsAccepted() {
        assertEquals("the server answered HTTP 404", refusal(httpButPublicOnly(), "http://" + PUBLIC_HOST + "/none"));
    }

    // ---- the relaxed setting ----

    @Test
    void theRelaxedSettingDownloadsFromTheLocalServer() throws Exception {
        VoiceFetcher local = new VoiceFetcher(true, CAP);
        Fetched f = local.fetch(base + "/voice.wav", soon());
        assertArrayEquals(VOICE, f.bytes());
        assertEquals("audio/wav", f.contentType());
        assertEquals("voice.wav", f.fileName());

        Fetched redirected = local.fetch(base + "/hops/2", soon());
        assertArrayEquals(VOICE, redirected.bytes());
        assertEquals("voice.wav", redirected.fileName(), "the name comes from the last hop");
        assertEquals(2, hits("/voice.wav"));
    }

    @Test
    void theTestClientMustNotFollowRedirectsItself() {
        HttpClient following = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
        assertThrows(IllegalArgumentException.class,
                () -> new VoiceFetcher(VoiceFetcherTest::stubResolve, Policy.STRICT, CAP, following));
    }
}
