package io.voicedrop.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.micronaut.context.ApplicationContext;
import io.micronaut.function.aws.proxy.payload2.APIGatewayV2HTTPEventFunction;
import io.voicedrop.adapters.logging.LambdaLogContext;
import io.voicedrop.core.port.ApiKeyStore;
import io.voicedrop.core.port.JobStore;
import io.voicedrop.core.port.ModelCatalog;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Lambda entry point of the public API (template handler {@code io.voicedrop.api.ApiHandler}): API Gateway HTTP API
 * events, payload format 2.0, routed to the Micronaut controllers of this package.
 *
 * <p>Routes: {@code GET /fish/model}, {@code GET /fish/model/{id}} (Fish-compatible, see {@link ModelController}),
 * {@code POST /fish/model} (a second way into the pipeline, see {@link CreateModelController}),
 * {@code PATCH /fish/model/{id}} ({@link ModelEditController}), {@code DELETE /fish/model/{id}}
 * ({@link ModelDeleteController}), {@code GET /jobs}, {@code GET /jobs/{id}} ({@link JobController}),
 * {@code DELETE /jobs/{id}} ({@link JobCancelController}), {@code POST /uploads} and
 * {@code GET /uploads/{id}} ({@link UploadController}), {@code GET /models/{id}/samples}
 * ({@link ModelSamplesController}), and, without authentication, {@code GET /openapi.yaml} and the web console
 * under {@code /console/} ({@link ConsoleController}). Text answers are gzip-compressed for clients that accept it
 * ({@link ResponseCompression}). Authentication, the trace id and the error envelope are handled by {@link ApiFilter}.
 *
 * <p>Around Micronaut, this class only makes sure that no request can escape the envelope. Before routing: header
 * values are trimmed and headers Micronaut would refuse to parse (control characters, bad names) are dropped, and the
 * path, which an HTTP API delivers percent-<em>decoded</em> ({@code /fish/model/a b}), is re-encoded where it holds
 * characters that cannot stand in a URI path; Micronaut would otherwise fail such a request without running any
 * filter. After: a response that did not pass through {@link ApiFilter} (it has no {@code X-Trace-Id}) is given one,
 * with the envelope if it is an error.
 */
public class ApiHandler extends APIGatewayV2HTTPEventFunction {

    private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);
    /** Characters besides ASCII letters and digits that stand for themselves in a URI path (RFC 3986 pchar, '/'). */
    private static final String PATH_CHARS = "-._~!$&'()*+,;=:@/";
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();
    /** The {@code service} field of this function's log lines. */
    public static final String SERVICE = "voicedrop-api";

    /** Used by Lambda: reads the configuration from the environment. */
    public ApiHandler() {
        super();
        // Build the clients and stores during init, so that SnapStart snapshots them and the first request is fast.
        applicationContext.getBean(ApiKeyStore.class);
        applicationContext.getBean(ModelCatalog.class);
        applicationContext.getBean(JobStore.class);
        applicationContext.getBean(OpenApiController.class);
        applicationContext.getBean(ConsoleController.class);
    }

    /** Used by tests and the local runner, which build the context (and its configuration) themselves. */
    public ApiHandler(ApplicationContext context) {
        super(context);
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent input, Context context) {
        try (LambdaLogContext log = LambdaLogContext.open(SERVICE, context)) {
            if (input != null) {
                input.setHeaders(cleanHeaders(input.getHeaders()));
                if (input.getRequestContext() != null && input.getRequestContext().getHttp() != null) {
                    APIGatewayV2HTTPEvent.RequestContext.Http http = input.getRequestContext().getHttp();
                    http.setPath(encodePath(http.getPath()));
                }
            }
            APIGatewayV2HTTPResponse response;
            try {
                response = super.handleRequest(input, context);
            } catch (RuntimeException e) {
                String traceId = UUID.randomUUID().toString();
                LOG.error("request failed before routing, trace_id={}", traceId, e);
                return envelope(500, traceId);
            }
            return ResponseCompression.apply(input == null ? null : input.getHeaders(), withTraceId(response));
        } finally {
            // The filter clears it too; this also covers a request that failed before any filter ran.
            MDC.remove(Trace.MDC_KEY);
            MDC.remove(ModelSubmissions.JOB_ID_MDC_KEY);
        }
    }

    private static APIGatewayV2HTTPResponse withTraceId(APIGatewayV2HTTPResponse response) {
        Map<String, String> headers = response.getHeaders() == null ? new LinkedHashMap<>()
                : new LinkedHashMap<>(response.getHeaders());
        boolean traced = headers.keySet().stream().anyMatch(Trace.HEADER::equalsIgnoreCase)
                || (response.getMultiValueHeaders() != null
                        && response.getMultiValueHeaders().keySet().stream().anyMatch(Trace.HEADER::equalsIgnoreCase));
        if (traced) {
            return response;
        }
        String traceId = UUID.randomUUID().toString();
        int status = response.getStatusCode();
        LOG.warn("response made outside the filters: status={} trace_id={}", status, traceId);
        if (status >= 400 || status < 100) {
            return envelope(status >= 100 ? status : 500, traceId);
        }
        headers.put(Trace.HEADER, traceId);
        response.setHeaders(headers);
        return response;
    }

    private static APIGatewayV2HTTPResponse envelope(int status, String traceId) {
        String[] codeAndMessage = Envelope.forStatus(status);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put(Trace.HEADER, traceId);
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(status)
                .withHeaders(headers)
                .withBody(Envelope.errorBody(codeAndMessage[0], codeAndMessage[1], traceId))
                .withIsBase64Encoded(false)
                .build();
    }

    /**
     * Trims header values and drops the headers Micronaut's strict header validation would reject (a name that is
     * not an HTTP token, a value with control characters or characters outside Latin-1). API Gateway already trims
     * values; a client that sends such bytes only loses that header (an unusable Authorization header means 401).
     */
    static Map<String, String> cleanHeaders(Map<String, String> headers) {
        if (headers == null) {
            return null;
        }
        Map<String, String> clean = new LinkedHashMap<>();
        headers.forEach((name, value) -> {
            if (name == null || value == null || !isToken(name)) {
                return;
            }
            String v = value.strip();
            if (v.chars().allMatch(c -> c == '\t' || (c >= 0x20 && c != 0x7f && c <= 0xff))) {
                clean.put(name, v);
            }
        });
        return clean;
    }

    /**
     * Percent-encodes (UTF-8) every character that cannot appear literally in a URI path; {@code %} stays as it is
     * only when two hex digits follow it (an already-encoded path is unchanged).
     */
    static String encodePath(String path) {
        if (path == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(path.length() + 16);
        byte[] bytes = path.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i] & 0xff;
            boolean escapeStart = b == '%' && i + 2 < bytes.length && isHex(bytes[i + 1]) && isHex(bytes[i + 2]);
            boolean literal = b < 0x80 && (Character.isLetterOrDigit(b) || PATH_CHARS.indexOf(b) >= 0);
            if (escapeStart || literal) {
                out.append((char) b);
            } else {
                out.append('%').append(HEX[b >> 4]).append(HEX[b & 0xf]);
            }
        }
        return out.toString();
    }

    private static boolean isHex(byte b) {
        return (b >= '0' && b <= '9') || (b >= 'a' && b <= 'f') || (b >= 'A' && b <= 'F');
    }

    private static boolean isToken(String name) {
        return !name.isEmpty()
                && name.chars().allMatch(c -> c > 0x20 && c < 0x7f && "\"(),/:;<=>?@[\\]{}".indexOf(c) < 0);
    }
}
