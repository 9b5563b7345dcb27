package io.voicedrop.adapters.fish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class FishErrorBodyTest {

    @Test
    void readsThePlatformEnvelope() {
        FishErrorBody e = FishErrorBody.parse(403, "{\"success\":false,\"error\":{\"code\":\"used_up\",\"message\":\"no balance\"},"
                + "\"trace_id\":\"0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d\"}");
        assertEquals("used_up", e.code());
        assertEquals("no balance", e.message());
        assertEquals("0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d", e.traceId());
    }

    @Test
    void readsABareStringError() {
        FishErrorBody e = FishErrorBody.parse(400, "{\"error\":\"model is invalid.\"}");
        assertEquals("bad_request", e.code());
        assertEquals("model is invalid.", e.message());
    }

    @Test
    void readsRawFishErrors() {
        FishErrorBody e = FishErrorBody.parse(402, "{\"status\":402,\"message\":\"Insufficient credits\"}");
        assertEquals("insufficient_credits", e.code());
        assertEquals("Insufficient credits", e.message());
        assertNull(e.traceId());
    }

    @Test
    void readsValidationArraysInBothShapes() {
        String items = "[{\"loc\":[\"body\",\"title\"],\"type\":\"missing\",\"msg\":\"Field required\"}]";
        assertEquals("body.title: Field required", FishErrorBody.parse(422, items).message());
        assertEquals("body.title: Field required", FishErrorBody.parse(422, "{\"detail\":" + items + "}").message());
        assertEquals("validation_error", FishErrorBody.parse(422, items).code());
    }

    @Test
    void fallsBackToPlainTextAndStatus() {
        assertEquals("Bad Gateway", FishErrorBody.parse(502, "Bad Gateway").message());
        assertEquals("api_error", FishErrorBody.parse(502, "Bad Gateway").code());
        assertEquals("too_many_requests", FishErrorBody.parse(429, "").code());
    }
}
