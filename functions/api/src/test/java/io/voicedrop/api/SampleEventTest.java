package io.voicedrop.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import io.voicedrop.adapters.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** events/api-list-models.json (for sam local invoke and the local runner) is a valid request for this handler. */
class SampleEventTest {

    @Test
    void sampleEventListsModels() throws IOException {
        Path file = Path.of("..", "..", "events", "api-list-models.json");
        APIGatewayV2HTTPEvent event = Json.MAPPER.readValue(Files.readString(file), APIGatewayV2HTTPEvent.class);
        assertEquals("GET", event.getRequestContext().getHttp().getMethod());
        try (TestApi api = new TestApi()) {
            api.keys.add("local-dev-key", "local", true);
            api.catalog.save(Samples.entry(Samples.model("m1", "Demo", List.of("demo"), List.of("en"),
                    "2026-01-01T00:00:00Z", "a"), "en"));
            TestApi.Response r = api.send(event);
            assertEquals(200, r.status(), r.body());
            assertEquals(2, api.catalog.lastQuery().pageSize());
            assertEquals(List.of("demo"), api.catalog.lastQuery().tags());
            assertEquals(1, Json.read(r.body(), java.util.Map.class).get("total"));
        }
    }
}
