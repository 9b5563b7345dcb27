package io.voicedrop.adapters.logging;

import com.amazonaws.services.lambda.runtime.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.MDC;

/**
 * The Lambda context of one invocation on every log line it writes, once, under Powertools for AWS Lambda's field
 * names ({@code service}, {@code function_name}, {@code function_version}, {@code function_arn},
 * {@code function_memory_size}, {@code function_request_id}, {@code cold_start}, {@code xray_trace_id}), which the
 * log lines ({@link JsonLogLine}) print. {@code service} is the function's own name
 * ({@code voicedrop-ingest}, {@code voicedrop-worker}, {@code voicedrop-api}), so a log query can tell the functions
 * apart even where they share one log group or one JVM (the local runner).
 *
 * <p>Written by hand rather than with {@code PowertoolsLogging.withLogging}: that takes {@code service} from the
 * process environment ({@code POWERTOOLS_SERVICE_NAME}, one value for all three functions in the local runner) and
 * clears the whole MDC afterwards. Micronaut's own copy of the context ({@code AWSFunctionName}...) is replaced by
 * {@code io.voicedrop.wiring.LambdaContextCapture}, which only hands the invocation's context to {@link #capture}
 * on the invoking thread, so there is one set of names, and each invocation gets its own context even where
 * several functions share one application context (the local runner, whose context bean is the last invocation's).
 *
 * <p>Use: {@code try (LambdaLogContext log = LambdaLogContext.open(SERVICE)) { ... }}; closing removes exactly the
 * fields it put.
 */
public final class LambdaLogContext implements AutoCloseable {

    /** Services that have run an invocation in this JVM: the first one of each is the cold start. */
    private static final Set<String> STARTED = ConcurrentHashMap.newKeySet();
    private static final ThreadLocal<Context> CURRENT = new ThreadLocal<>();

    private final Map<String, String> fields;

    private LambdaLogContext(Map<String, String> fields) {
        this.fields = fields;
        fields.forEach(MDC::put);
    }

    /** Remembers the context of the invocation this thread is about to run (called before the handler runs). */
    public static void capture(Context context) {
        CURRENT.set(context);
    }

    /** The context of the invocation running on this thread, if {@link #capture} was given one. */
    public static java.util.Optional<Context> current() {
        return java.util.Optional.ofNullable(CURRENT.get());
    }

    /** {@link #open(String, Context)} with the context of the invocation running on this thread. */
    public static LambdaLogContext open(String service) {
        return open(service, CURRENT.get());
    }

    /** Puts the invocation's fields into the logging context; {@code context} may be null (no Lambda context). */
    public static LambdaLogContext open(String service, Context context) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put(LogFields.SERVICE, service);
        f.put(LogFields.COLD_START, Boolean.toString(STARTED.add(service)));
        if (context != null) {
            putIfPresent(f, LogFields.FUNCTION_NAME, context.getFunctionName());
            putIfPresent(f, LogFields.FUNCTION_VERSION, context.getFunctionVersion());
            putIfPresent(f, LogFields.FUNCTION_ARN, context.getInvokedFunctionArn());
            putIfPresent(f, LogFields.FUNCTION_REQUEST_ID, context.getAwsRequestId());
            if (context.getMemoryLimitInMB() > 0) {
                f.put(LogFields.FUNCTION_MEMORY_SIZE, Integer.toString(context.getMemoryLimitInMB()));
            }
        }
        putIfPresent(f, LogFields.XRAY_TRACE_ID, xrayTraceId());
        return new LambdaLogContext(f);
    }

    @Override
    public void close() {
        fields.keySet().forEach(MDC::remove);
        CURRENT.remove();
    }

    /**
     * The X-Ray root trace id of this invocation, when tracing is on: Lambda's Java runtime sets the trace header
     * per invocation in a system property (and in {@code _X_AMZN_TRACE_ID}), {@code Root=1-...;Parent=...;Sampled=1}.
     */
    static String xrayTraceId() {
        String header = System.getProperty("com.amazonaws.xray.traceHeader", System.getenv("_X_AMZN_TRACE_ID"));
        if (header == null) {
            return null;
        }
        for (String part : header.split(";")) {
            if (part.startsWith("Root=")) {
                return part.substring("Root=".length());
            }
        }
        return null;
    }

    private static void putIfPresent(Map<String, String> f, String field, String value) {
        if (value != null && !value.isBlank()) {
            f.put(field, value);
        }
    }
}
