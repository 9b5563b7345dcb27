package io.voicedrop.core.service;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks 1.0 signatures: {@code webhook-signature: v1,<base64 of HMAC-SHA256(key, id.timestamp.body)>},
 * with the key being the base64 part of the deployment's {@code whsec_<base64>} secret. Receivers verify with any
 * Standard Webhooks library (docs/user-guide.md, "Get notified").
 */
public final class WebhookSignature {

    public static final String PREFIX = "whsec_";

    private final byte[] key;

    private WebhookSignature(byte[] key) {
        this.key = key;
    }

    /**
     * The signer of a secret given as {@code whsec_<base64>} or as the bare base64 part (the template generates
     * letters and digits, which are base64 themselves).
     */
    public static WebhookSignature ofSecret(String secret) {
        String b64 = secret.strip();
        if (b64.startsWith(PREFIX)) {
            b64 = b64.substring(PREFIX.length());
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(b64);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the webhook secret is not whsec_<base64>");
        }
        if (key.length < 16) {
            throw new IllegalStateException("the webhook secret is too short: at least 16 bytes of key are needed");
        }
        return new WebhookSignature(key);
    }

    /** The secret as receivers configure it: {@code whsec_<base64>}. */
    public static String display(String secret) {
        String s = secret.strip();
        return s.startsWith(PREFIX) ? s : PREFIX + s;
    }

    /** The {@code webhook-signature} header value for one message. */
    public String sign(String webhookId, long timestampSeconds, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] digest = mac.doFinal((webhookId + "." + timestampSeconds + "." + body)
                    .getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JVM has HmacSHA256", e);
        }
    }

    @Override
    public String toString() {
        return "WebhookSignature[key=<redacted>]";
    }
}
