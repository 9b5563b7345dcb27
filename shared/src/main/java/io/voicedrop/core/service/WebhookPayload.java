package io.voicedrop.core.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.voicedrop.core.model.Job;
import io.voicedrop.core.view.JobView;

/**
 * The body of a webhook, in the payload shape Standard Webhooks recommends: {@code type} ({@code job.succeeded},
 * {@code job.failed}, {@code job.rejected}, ...), {@code timestamp} (when the job ended) and {@code data}, the job
 * view exactly as {@code GET /jobs/{id}} shows it.
 *
 * <p>Written with a plain mapper: the view holds only strings, numbers and lists, so the output is the same as the
 * API's shared mapper gives (the core cannot reach that one, it lives with the adapters).
 */
final class WebhookPayload {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private WebhookPayload() {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Body(@JsonProperty("type") String type, @JsonProperty("timestamp") String timestamp,
                @JsonProperty("data") JobView data) {
    }

    static String of(String type, Job job) {
        try {
            return MAPPER.writeValueAsString(new Body(type, String.valueOf(job.updatedAt()), JobView.of(job)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the job view is always serialisable", e);
        }
    }
}
