package io.voicedrop.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the handler does around Micronaut: path re-encoding and header cleaning. */
class ApiHandlerTest {

    @Test
    void encodePathKeepsValidPathsAndEscapesTheRest() {
        assertEquals("/fish/model/d7900c21663f485ab63ebdb7e5905036",
                ApiHandler.encodePath("/fish/model/d7900c21663f485ab63ebdb7e5905036"));
        assertEquals("/fish/model/a%20b", ApiHandler.encodePath("/fish/model/a b"));
        assertEquals("/fish/model/a%20b", ApiHandler.encodePath("/fish/model/a%20b"));
        assertEquals("/fish/model/%25", ApiHandler.encodePath("/fish/model/%"));
        assertEquals("/fish/model/%25zz", ApiHandler.encodePath("/fish/model/%zz"));
        assertEquals("/fish/model/%C3%A9%3F%23", ApiHandler.encodePath("/fish/model/\u00e9?#"));
        assertEquals("/a-._~!$&'()*+,;=:@/b", ApiHandler.encodePath("/a-._~!$&'()*+,;=:@/b"));
        assertNull(ApiHandler.encodePath(null));
    }

    @Test
    void cleanHeadersTrimsAndDropsWhatMicronautRejects() {
        Map<String, String> in = new LinkedHashMap<>();
        in.put("authorization", "  Bearer abc \t");
        in.put("x-ctl", "a\u0001b");
        in.put("x-nl", "a\nb");
        in.put("x-wide", "\u010A");
        in.put("x-latin1", "caf\u00e9");
        in.put("bad name", "v");
        in.put("x-empty", "");
        Map<String, String> out = ApiHandler.cleanHeaders(in);
        assertEquals(List.of("authorization", "x-latin1", "x-empty"), List.copyOf(out.keySet()));
        assertEquals("Bearer abc", out.get("authorization"));
        assertNull(ApiHandler.cleanHeaders(null));
    }

    @Test
    void decodedPathFromHttpApiReachesTheController() {
        try (TestApi api = new TestApi()) {
            api.catalog.save(Samples.entry(Samples.model("x y", "Spaced", List.of(), List.of(), "2026-01-01T00:00:00Z",
                    "a"), null));
            // HTTP APIs deliver the path decoded: "/fish/model/x%20y" arrives as "/fish/model/x y".
            TestApi.Response r = api.get("/fish/model/x y");
            assertEquals(200, r.status(), r.body());
            assertEquals("x y", io.voicedrop.adapters.json.Json.read(r.body(), Map.class).get("_id"));
        }
    }
}
