package io.voicedrop.api;

import io.micronaut.http.HttpRequest;
import java.util.UUID;
import org.slf4j.MDC;

/**
 * The per-request trace id: a random UUID made when the request arrives, kept as a request attribute, put in the
 * SLF4J MDC (key {@code trace_id}) for the request's log lines, sent back in the {@code X-Trace-Id} header of every
 * response and in the {@code trace_id} field of every error envelope.
 */
final class Trace {

    static final String MDC_KEY = "trace_id";
    static final String HEADER = "X-Trace-Id";
    private static final String ATTRIBUTE = "voicedrop.trace_id";

    private Trace() {
    }

    /** Starts the request's trace: a new id, also put in the MDC. */
    static String start(HttpRequest<?> request) {
        String id = UUID.randomUUID().toString();
        request.setAttribute(ATTRIBUTE, id);
        MDC.put(MDC_KEY, id);
        return id;
    }

    /** The request's trace id; made on the spot if the request somehow skipped {@link #start}. */
    static String id(HttpRequest<?> request) {
        return request.getAttribute(ATTRIBUTE, String.class).orElseGet(() -> start(request));
    }
}
