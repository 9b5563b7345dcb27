package io.voicedrop.e2e;

import static io.voicedrop.e2e.Pipeline.stack;

import com.fasterxml.jackson.databind.JsonNode;
import io.voicedrop.core.service.UploadLayout;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;

/** What the lifecycle tests do to a voice through the local API, and what they look for in the bucket. */
final class Lifecycle {

    private Lifecycle() {
    }

    static HttpResponse<String> patchJson(String token, String id, String json) {
        return ApiCalls.send("PATCH", "/fish/model/" + id, ApiCalls.bearer(token), "application/json",
                json.getBytes(StandardCharsets.UTF_8));
    }

    static HttpResponse<String> patchForm(String token, String id, Map<String, List<String>> fields) {
        StringBuilder body = new StringBuilder();
        fields.forEach((k, vs) -> vs.forEach(v -> body.append(body.length() == 0 ? "" : "&")
                .append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8))));
        return ApiCalls.send("PATCH", "/fish/model/" + id, ApiCalls.bearer(token),
                "application/x-www-form-urlencoded", body.toString().getBytes(StandardCharsets.UTF_8));
    }

    static HttpResponse<String> patchMultipart(String token, String id, ApiCalls.Form form) {
        return ApiCalls.send("PATCH", "/fish/model/" + id, ApiCalls.bearer(token), form.contentType(), form.bytes());
    }

    static HttpResponse<String> delete(String token, String id) {
        return ApiCalls.send("DELETE", "/fish/model/" + id, ApiCalls.bearer(token), null, null);
    }

    static HttpResponse<String> cancel(String token, String jobId) {
        return ApiCalls.send("DELETE", "/jobs/" + jobId, ApiCalls.bearer(token), null, null);
    }

    static JsonNode job(String jobId) {
        return Pipeline.json(Pipeline.get("/jobs/" + jobId));
    }

    /** Every version and delete marker left in the bucket under {@code prefix}, as "key@version". */
    static List<String> versionsUnder(String prefix) {
        List<String> out = new ArrayList<>();
        ListObjectVersionsResponse r = stack().pipeline.s3().listObjectVersions(b -> b.bucket(stack().pipeline.bucket())
                .prefix(prefix));
        r.versions().forEach(v -> out.add(v.key() + "@" + v.versionId()));
        r.deleteMarkers().forEach(m -> out.add(m.key() + "@marker:" + m.versionId()));
        return out;
    }

    /** The status report of an upload, as stored now (null when there is none). */
    static JsonNode report(String sourceKey) {
        try {
            return io.voicedrop.adapters.json.Json.MAPPER.readTree(stack().pipeline.s3().getObjectAsBytes(b -> b
                    .bucket(stack().pipeline.bucket()).key(UploadLayout.statusKey(sourceKey))).asUtf8String());
        } catch (software.amazon.awssdk.services.s3.model.NoSuchKeyException none) {
            return null;
        } catch (java.io.IOException e) {
            throw new AssertionError("report of " + sourceKey + " is not JSON", e);
        }
    }

    /** A PNG of one pixel: the smallest cover image the API accepts. */
    static byte[] png() {
        return java.util.Base64.getDecoder().decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4"
                + "2mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");
    }
}
