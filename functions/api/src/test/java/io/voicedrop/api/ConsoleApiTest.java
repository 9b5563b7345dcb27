package io.voicedrop.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The console's files through the real handler: where they are, how they are cached and compressed, the security
 * headers, no key needed for them (and still needed for the API), CORS closed; and what the files may not contain
 * (inline script or style, HTML parsing sinks, other origins).
 */
class ConsoleApiTest {

    private static final Pattern ASSET_REF = Pattern.compile("(?:src|href)=\"(assets/[^\"]+)\"");
    private TestApi api;

    @BeforeEach
    void start() {
        api = new TestApi();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private TestApi.Response get(String path, Map<String, String> headers) {
        return api.send("GET", path, headers);
    }

    @Test
    void consoleRedirectsToItsFolderAndThePageNeedsNoKey() {
        TestApi.Response r = get("/console", Map.of());
        assertEquals(301, r.status());
        assertEquals("console/", r.header("Location"), "relative, so a custom domain's base path is kept");
        TestApi.Response page = get("/console/", Map.of());
        assertEquals(200, page.status(), page.body());
        assertTrue(page.header("Content-Type").startsWith("text/html"), page.header("Content-Type"));
        assertTrue(page.body().contains("<main id=\"main\""), page.body());
        assertNotNull(page.header("X-Trace-Id"));
        assertEquals(401, get("/uploads/any-0123456789ab", Map.of()).status(), "the API still needs a key");
        assertEquals(401, get("/models/m/samples", Map.of()).status());
    }

    @Test
    void thePageIsRevalidatedAndItsAssetsAreVersionedAndImmutable() {
        TestApi.Response page = get("/console/", Map.of());
        assertEquals("no-cache", page.header("Cache-Control"));
        String etag = page.header("ETag");
        assertTrue(etag != null && etag.startsWith("W/\""), "a validator for the page: " + etag);
        TestApi.Response again = get("/console/", Map.of("If-None-Match", etag));
        assertEquals(304, again.status());
        assertTrue(again.body() == null || again.body().isEmpty(), "304 has no body");
        assertEquals(200, get("/console/", Map.of("If-None-Match", "W/\"other\"")).status());

        List<String> refs = assetRefs(page.body());
        assertTrue(refs.size() >= 3, "stylesheet, module and icon: " + refs);
        String version = refs.get(0).split("/")[1];
        assertTrue(version.matches("[0-9a-f]{12}"), version);
        for (String ref : refs) {
            TestApi.Response a = get("/console/" + ref, Map.of());
            assertEquals(200, a.status(), ref);
            assertEquals("public, max-age=31536000, immutable", a.header("Cache-Control"), ref);
            assertNotNull(a.header("ETag"), ref);
            assertNotNull(a.header("Content-Security-Policy"), ref);
            assertEquals("nosniff", a.header("X-Content-Type-Options"), ref);
        }
        TestApi.Response js = get("/console/assets/" + version + "/js/app.js", Map.of());
        assertEquals("text/javascript; charset=utf-8", js.header("Content-Type"));
        assertEquals("text/css; charset=utf-8", get("/console/assets/" + version + "/console.css", Map.of())
                .header("Content-Type"));
        assertEquals(304, get("/console/assets/" + version + "/js/app.js", Map.of("If-None-Match", js.header("ETag")))
                .status());

        TestApi.Response old = get("/console/assets/0123456789ab/js/app.js", Map.of());
        assertEquals(404, old.status(), "another version's file is not served as this one's");
        assertTrue(old.body().contains("\"not_found\""), old.body());
        assertEquals(404, get("/console/assets/" + version + "/js/nope.js", Map.of()).status());
        assertEquals(404, get("/console/assets/" + version + "/../openapi.yaml", Map.of()).status());
    }

    @Test
    void everyAnswerCarriesAStrictContentSecurityPolicy() {
        TestApi.Response page = get("/console/", Map.of());
        String csp = page.header("Content-Security-Policy");
        assertNotNull(csp);
        List<String> directives = List.of(csp.split(";\\s*"));
        assertTrue(directives.contains("default-src 'none'"), csp);
        assertTrue(directives.contains("script-src 'self'"), csp);
        assertTrue(directives.contains("style-src 'self'"), csp);
        assertTrue(directives.contains("connect-src 'self' https://test-bucket.s3.eu-west-1.amazonaws.com"), csp);
        assertTrue(directives.contains("media-src https://test-bucket.s3.eu-west-1.amazonaws.com"), csp);
        assertTrue(directives.contains("frame-ancestors 'none'"), csp);
        assertTrue(directives.contains("require-trusted-types-for 'script'"), csp);
        assertFalse(csp.contains("unsafe"), "no unsafe-inline or unsafe-eval: " + csp);
        assertEquals("DENY", page.header("X-Frame-Options"));
        assertEquals("no-referrer", page.header("Referrer-Policy"));
        assertEquals("nosniff", page.header("X-Content-Type-Options"));
        assertEquals(csp, get("/console", Map.of()).header("Content-Security-Policy"));
    }

    @Test
    void textIsGzippedWhenTheClientAcceptsItAndOnlyThen() throws IOException {
        TestApi.Response plain = get("/console/", Map.of());
        assertFalse(plain.raw().getIsBase64Encoded());
        assertNull(plain.header("Content-Encoding"));
        for (String accept : List.of("gzip, deflate, br", "br;q=1.0, gzip;q=0.8", "*")) {
            TestApi.Response zipped = get("/console/", Map.of("Accept-Encoding", accept));
            assertTrue(zipped.raw().getIsBase64Encoded(), accept);
            assertEquals("gzip", zipped.header("Content-Encoding"), accept);
            assertTrue(zipped.header("Vary").contains("Accept-Encoding"), accept);
            assertEquals(plain.body(), gunzip(zipped.raw().getBody()), accept);
        }
        assertNull(get("/console/", Map.of("Accept-Encoding", "gzip;q=0, br")).header("Content-Encoding"));
        assertNull(get("/console/", Map.of("Accept-Encoding", "identity")).header("Content-Encoding"));

        String version = assetRefs(plain.body()).get(0).split("/")[1];
        TestApi.Response js = get("/console/assets/" + version + "/js/upload.js", Map.of("Accept-Encoding", "gzip"));
        assertEquals("gzip", js.header("Content-Encoding"));
        int zippedSize = Base64.getDecoder().decode(js.raw().getBody()).length;
        int plainSize = get("/console/assets/" + version + "/js/upload.js", Map.of()).body()
                .getBytes(StandardCharsets.UTF_8).length;
        assertTrue(zippedSize * 2 < plainSize, "gzip pays: " + zippedSize + " of " + plainSize);

        // A small JSON answer is not worth compressing; the error envelope stays plain.
        TestApi.Response small = api.send("GET", "/fish/model/none", Map.of("authorization", "Bearer " + TestApi.KEY,
                "accept-encoding", "gzip"));
        assertEquals(404, small.status());
        assertNull(small.header("Content-Encoding"));
    }

    @Test
    void corsStaysClosedToOtherOrigins() {
        TestApi.Response preflight = api.send("OPTIONS", "/fish/model", Map.of("Origin", "https://evil.example",
                "Access-Control-Request-Method", "GET", "Access-Control-Request-Headers", "authorization"));
        assertNull(preflight.header("Access-Control-Allow-Origin"), preflight.headers().toString());
        assertNull(preflight.header("Access-Control-Allow-Headers"), preflight.headers().toString());
        TestApi.Response get = api.send("GET", "/fish/model", Map.of("Origin", "https://evil.example",
                "authorization", "Bearer " + TestApi.KEY));
        assertEquals(200, get.status());
        assertNull(get.header("Access-Control-Allow-Origin"), get.headers().toString());
        assertNull(get("/console/", Map.of("Origin", "https://evil.example")).header("Access-Control-Allow-Origin"));
    }

    @Test
    void theFilesHaveNoInlineCodeNoHtmlSinksAndNoOtherOrigins() {
        ConsoleAssets assets = ConsoleAssets.load();
        String html = new String(assets.page().bytes(), StandardCharsets.UTF_8);
        Matcher scripts = Pattern.compile("<script([^>]*)>").matcher(html);
        while (scripts.find()) {
            assertTrue(scripts.group(1).contains("src="), "inline script: " + scripts.group());
        }
        assertFalse(html.contains("<style"), "inline style element");
        assertFalse(Pattern.compile("\\sstyle=").matcher(html).find(), "inline style attribute");
        assertFalse(Pattern.compile("\\son[a-z]+=").matcher(html).find(), "inline event handler");
        for (String name : assets.names()) {
            String text = new String(assets.asset(assets.version(), name).orElseThrow().bytes(), StandardCharsets.UTF_8);
            for (String sink : List.of("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(",
                    "new Function", ".srcdoc")) {
                assertFalse(text.contains(sink), name + " uses " + sink);
            }
            assertFalse(Pattern.compile("https?://(?!www\\.w3\\.org/2000/svg)").matcher(text).find(),
                    name + " names another origin");
            if (name.endsWith(".css")) {
                assertFalse(text.contains("url("), name + " loads something from CSS");
            }
        }
        assertFalse(html.replace("http://www.w3.org", "").matches("(?s).*https?://.*"), "the page names an origin");
    }

    private static List<String> assetRefs(String html) {
        List<String> refs = new ArrayList<>();
        Matcher m = ASSET_REF.matcher(html);
        while (m.find()) {
            refs.add(m.group(1));
        }
        return refs;
    }

    private static String gunzip(String base64) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(Base64.getDecoder().decode(base64)))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
