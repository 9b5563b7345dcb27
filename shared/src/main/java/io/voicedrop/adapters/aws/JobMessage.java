package io.voicedrop.adapters.aws;

import com.fasterxml.jackson.databind.JsonNode;
import io.voicedrop.adapters.json.Json;
import java.util.Optional;

/** The body of a jobs-queue message: {@code {"jobId": "..."}}. Nothing else, so no secret ever sits in the queue. */
public final class JobMessage {

    private JobMessage() {
    }

    public static String bodyFor(String jobId) {
        return Json.write(java.util.Map.of("jobId", jobId));
    }

    /** The job id of a message body, or empty when the body is not a job message at all. */
    public static Optional<String> jobIdOf(String body) {
        try {
            JsonNode node = Json.MAPPER.readTree(body);
            JsonNode id = node == null ? null : node.get("jobId");
            return id != null && id.isTextual() && !id.asText().isBlank() ? Optional.of(id.asText()) : Optional.empty();
        } catch (Exception notJson) {
            return Optional.empty();
        }
    }
}
