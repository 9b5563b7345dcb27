package io.voicedrop.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * One HTTP answer, built before anything touches the exchange so that handlers stay pure and
 * fault injection (hold, drop) can decide afterwards what to do with it.
 */
record Reply(int status, String body, Map<String, String> headers) {

    static final ObjectMapper JSON = new ObjectMapper();

    Reply {
        headers = Map.copyOf(headers);
    }

    static Reply json(int status, JsonNode node) {
        try {
            return new Reply(status, JSON.writeValueAsString(node), Map.of());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Raw bodies exist because upstream Fish errors (402, 422) are not wrapped by ADC in every case. */
    static Reply raw(int status, String body) {
        return new Reply(status, body, Map.of());
    }

    /** The ADC platform error envelope (contract section 7.2), with a fresh trace id as ADC does. */
    static Reply envelope(int status, String code, String message) {
        ObjectNode root = JSON.createObjectNode();
        root.put("success", false);
        ObjectNode error = root.putObject("error");
        error.put("code", code);
        error.put("message", message);
        root.put("trace_id", UUID.randomUUID().toString());
        return json(status, root);
    }

    static Reply badRequest(String message) {
        return envelope(400, "bad_request", message);
    }

    Reply withHeader(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(name, value);
        return new Reply(status, body, copy);
    }

    /** Thrown anywhere in request handling to short-circuit with an error answer. */
    static final class Rejected extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient Reply reply;

        Rejected(Reply reply) {
            // No stack trace: this is control flow for expected client errors, not a bug.
            super(reply.status() + " " + reply.body(), null, false, false);
            this.reply = reply;
        }

        Reply reply() {
            return reply;
        }
    }
}
