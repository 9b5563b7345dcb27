package io.voicedrop.adapters.aws;

import io.voicedrop.core.port.UploadFormSigner;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Utilities;

/**
 * Signs S3 browser-upload forms (POST policies, Signature Version 4: "Browser-based uploads using POST" in the S3 API
 * reference). Hand-written because the AWS SDK for Java v2 has no presigned POST (aws/aws-sdk-java-v2#1493, open
 * since 2019; the pull request adding it is not released) and the third-party Java libraries for it are
 * single-maintainer projects at 0.x/1.0.x that this build cannot pin to a maintained release; the signature itself is
 * a few HMACs over the base64 policy. The signing key derivation is checked against botocore's own implementation,
 * and the forms against a real POST upload to the emulator, in {@code S3PostPolicySignerTest}.
 *
 * <p>Each form admits exactly one key (an {@code eq} condition, never {@code starts-with}), one content type and a
 * byte range, until its expiry. Credentials are resolved on every call (never at construction, so none are frozen
 * into a SnapStart snapshot); temporary credentials add the {@code x-amz-security-token} field and condition.
 */
public final class S3PostPolicySigner implements UploadFormSigner {

    private static final String ALGORITHM = "AWS4-HMAC-SHA256";
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter EXPIRATION = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final AwsCredentialsProvider credentials;
    private final Region region;
    private final S3Utilities urls;
    private final Clock clock;

    public S3PostPolicySigner(AwsCredentialsProvider credentials, Region region, S3Utilities urls, Clock clock) {
        this.credentials = credentials;
        this.region = region;
        this.urls = urls;
        this.clock = clock;
    }

    @Override
    public UploadForm sign(String bucket, String key, String contentType, long minBytes, long maxBytes,
                           Duration expiry) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant expiresAt = now.plus(expiry);
        AwsCredentials creds = credentials.resolveCredentials();
        String date = AMZ_DATE.format(now);
        String credential = creds.accessKeyId() + "/" + scope(date);
        String token = creds instanceof AwsSessionCredentials s ? s.sessionToken() : null;

        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("key", key);
        fields.put("Content-Type", contentType);
        fields.put("x-amz-algorithm", ALGORITHM);
        fields.put("x-amz-credential", credential);
        fields.put("x-amz-date", date);
        if (token != null) {
            fields.put("x-amz-security-token", token);
        }
        List<String> conditions = new ArrayList<>();
        conditions.add(object("bucket", bucket));
        conditions.add("[\"eq\",\"$key\"," + string(key) + "]");
        conditions.add("[\"eq\",\"$Content-Type\"," + string(contentType) + "]");
        conditions.add("[\"content-length-range\"," + minBytes + "," + maxBytes + "]");
        fields.forEach((name, value) -> {
            if (name.startsWith("x-amz-")) {
                conditions.add(object(name, value));
            }
        });
        String policy = "{\"expiration\":" + string(EXPIRATION.format(expiresAt)) + ",\"conditions\":["
                + String.join(",", conditions) + "]}";
        String encoded = Base64.getEncoder().encodeToString(policy.getBytes(StandardCharsets.UTF_8));
        fields.put("policy", encoded);
        fields.put("x-amz-signature", signature(creds.secretAccessKey(), date, encoded));
        return new UploadForm(bucketUrl(bucket), fields, expiresAt);
    }

    /** The URL forms for {@code bucket} are posted to: the bucket's own endpoint, as the SDK addresses it. */
    public String bucketUrl(String bucket) {
        URL object = urls.getUrl(b -> b.bucket(bucket).key("k"));
        String s = object.toString();
        return s.substring(0, s.length() - 1);
    }

    /** The origin (scheme, host and port) of {@link #bucketUrl}, for a Content-Security-Policy. */
    public String bucketOrigin(String bucket) {
        URI u = URI.create(bucketUrl(bucket));
        return u.getScheme() + "://" + u.getRawAuthority();
    }

    String signature(String secretKey, String amzDate, String stringToSign) {
        byte[] key = hmac(("AWS4" + secretKey).getBytes(StandardCharsets.UTF_8), amzDate.substring(0, 8));
        key = hmac(key, region.id());
        key = hmac(key, "s3");
        key = hmac(key, "aws4_request");
        return HexFormat.of().formatHex(hmac(key, stringToSign));
    }

    private String scope(String amzDate) {
        return amzDate.substring(0, 8) + "/" + region.id() + "/s3/aws4_request";
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private static String object(String name, String value) {
        return "{" + string(name) + ":" + string(value) + "}";
    }

    /** A JSON string literal (the policy is built by hand so its bytes, and so the signature, are exactly these). */
    static String string(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
