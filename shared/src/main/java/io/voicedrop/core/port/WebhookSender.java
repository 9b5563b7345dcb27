package io.voicedrop.core.port;

import java.time.Duration;
import java.util.Map;

/**
 * POSTs a webhook to a URL the uploader chose, through the deployment's one outbound-URL guard (https to public
 * addresses only, redirects re-checked), within {@code timeout} from connecting to the last byte of the answer.
 */
public interface WebhookSender {

    Result post(String url, Map<String, String> headers, byte[] body, Duration timeout);

    /**
     * @param status     the receiver's HTTP status; null when no answer came
     * @param problem    why there was no answer (timeout, connection refused...); null with an answer
     * @param refused    true when the guard refused the URL: it will never be tried again
     * @param retryAfter the receiver's {@code Retry-After}, or null
     */
    record Result(Integer status, String problem, boolean refused, Duration retryAfter, long latencyMs) {
        public boolean delivered() {
            return status != null && status >= 200 && status < 300;
        }
    }
}
