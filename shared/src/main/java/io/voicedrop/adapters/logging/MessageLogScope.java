package io.voicedrop.adapters.logging;

import java.util.Map;
import org.slf4j.MDC;

/**
 * The log fields of one message of a batch: its {@code trace_id} and, once known, its {@code job_id}, on top of the
 * invocation's fields ({@link LambdaLogContext}). Closing puts the logging context back exactly as it was when the
 * scope opened: the next message starts with the invocation's fields and nothing of this one's (clearing the whole
 * context instead would drop the invocation's fields after the first message).
 *
 * <p>Use: {@code try (MessageLogScope log = MessageLogScope.open(messageId)) { ...; log.jobId(id); ... }}.
 */
public final class MessageLogScope implements AutoCloseable {

    public static final String TRACE_ID = "trace_id";
    public static final String JOB_ID = "job_id";

    private final Map<String, String> before;

    private MessageLogScope(String traceId) {
        before = MDC.getCopyOfContextMap();
        MDC.put(TRACE_ID, traceId);
    }

    /** Starts a message's scope: every line until {@link #close()} carries {@code trace_id = traceId}. */
    public static MessageLogScope open(String traceId) {
        return new MessageLogScope(traceId);
    }

    /** The job this message is about: every further line of the message carries it. */
    public void jobId(String jobId) {
        MDC.put(JOB_ID, jobId);
    }

    @Override
    public void close() {
        if (before == null || before.isEmpty()) {
            MDC.clear();
        } else {
            MDC.setContextMap(before);
        }
    }
}
