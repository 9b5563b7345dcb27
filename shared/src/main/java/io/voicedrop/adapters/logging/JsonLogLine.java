package io.voicedrop.adapters.logging;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.voicedrop.core.model.UrlRedaction;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * One log event as one line of JSON, with the fields Powertools' Lambda layout writes:
 * {@code level, message, error {message, name, stack}, timestamp, logger}, then the Lambda context in
 * {@link LogFields#LAMBDA_CONTEXT} order ({@code function_memory_size} a number, {@code cold_start} a boolean), then
 * every other MDC key (e.g. {@code trace_id}, {@code job_id}) as a string, in key order. A field with no value is
 * left out, never written as null. Presigning parameters ({@code X-Amz-Signature=...}, {@code X-Amz-Credential=...})
 * in a message or an exception are replaced, because a presigned URL is a credential and an upstream or SDK message
 * may quote one.
 */
final class JsonLogLine {

    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private JsonLogLine() {
    }

    static String encode(Instant time, String level, String logger, String message, Throwable error,
                         Map<String, String> mdc) {
        StringBuilder b = new StringBuilder(256);
        b.append('{');
        field(b, "level", level);
        field(b, "message", clean(message));
        if (error != null) {
            b.append(",\"error\":{");
            field(b, "message", clean(error.getMessage()));
            field(b, "name", error.getClass().getName());
            field(b, "stack", clean(stackTrace(error)));
            b.append('}');
        }
        field(b, "timestamp", TIMESTAMP.format(time));
        field(b, "logger", logger);
        for (String key : LogFields.LAMBDA_CONTEXT) {
            String value = mdc.get(key);
            boolean number = LogFields.FUNCTION_MEMORY_SIZE.equals(key) && value != null && isDigits(value);
            boolean flag = LogFields.COLD_START.equals(key) && ("true".equals(value) || "false".equals(value));
            if (number || flag) {
                name(b, key).append(value);
            } else {
                field(b, key, value);
            }
        }
        mdc.forEach((key, value) -> {
            if (!LogFields.LAMBDA_CONTEXT.contains(key)) {
                field(b, key, clean(value));
            }
        });
        return b.append('}').toString();
    }

    /** {@code "name":"value"} after a comma where needed; nothing at all when the value is null. */
    private static void field(StringBuilder b, String name, String value) {
        if (value != null) {
            string(name(b, name), value);
        }
    }

    /** {@code "name":}, after a comma unless it is the first member of its object. */
    private static StringBuilder name(StringBuilder b, String name) {
        if (b.charAt(b.length() - 1) != '{') {
            b.append(',');
        }
        return string(b, name).append(':');
    }

    /** A JSON string, escaped by Jackson's encoder (the one the rest of VoiceDrop's JSON goes through). */
    static StringBuilder string(StringBuilder b, String s) {
        b.append('"');
        JsonStringEncoder.getInstance().quoteAsString(s, b);
        return b.append('"');
    }

    private static String stackTrace(Throwable error) {
        StringWriter w = new StringWriter();
        error.printStackTrace(new PrintWriter(w));
        return w.toString();
    }

    /** The text without presigning parameters; the regular expressions only run when one may be there. */
    private static String clean(String text) {
        if (text == null || !containsIgnoreCase(text, "x-amz-")) {
            return text;
        }
        return UrlRedaction.withoutPresigning(text);
    }

    private static boolean containsIgnoreCase(String text, String part) {
        for (int i = 0; i + part.length() <= text.length(); i++) {
            if (text.regionMatches(true, i, part, 0, part.length())) {
                return true;
            }
        }
        return false;
    }

    private static boolean isDigits(String s) {
        if (s.isEmpty() || s.length() > 9) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
