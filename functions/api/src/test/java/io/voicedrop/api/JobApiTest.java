package io.voicedrop.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import io.voicedrop.core.view.JobView;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.voicedrop.adapters.json.Json;
import io.voicedrop.core.model.JobStatus;
import io.voicedrop.testing.Jobs;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code GET /jobs/{id}} and {@code GET /jobs}. */
class JobApiTest {

    private TestApi api;

    @BeforeEach
    void start() {
        api = new TestApi();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void jobViewIsSnakeCaseCompleteAndHasNoUrl() {
        api.jobs.createIfAbsent(Jobs.failedQuotingPresignedUrls("job-1").build());
        TestApi.Response r = api.get("/jobs/job-1");
        assertEquals(200, r.status());
        assertEquals("application/json", r.header("content-type"));
        String redacted = "could not fetch [url removed]";
        assertEquals("{\"job_id\":\"job-1\",\"status\":\"FAILED\",\"title\":\"Narrator - Alice\","
                + "\"source_keys\":[\"incoming/alice/a.wav\"],\"model_id\":null,\"attempts\":2,"
                + "\"history\":[{\"at\":\"2026-11-27T09:00:01Z\",\"operation\":\"create\",\"outcome\":\"retry\","
                + "\"http_status\":503,\"code\":\"api_error\",\"message\":\"" + redacted + "\",\"latency_ms\":812,"
                + "\"trace_id\":\"up-trace-1\"},{\"at\":\"2026-11-27T09:00:30Z\",\"operation\":\"create\","
                + "\"outcome\":\"failed\",\"http_status\":400,\"code\":\"bad_request\","
                + "\"message\":\"voices[0] [url removed] unreachable\",\"latency_ms\":95,\"trace_id\":\"up-trace-2\"}],"
                + "\"error\":{\"code\":\"bad_request\",\"message\":\"" + redacted + "\",\"http_status\":400,"
                + "\"trace_id\":\"up-trace-2\"},"
                + "\"warnings\":[\"sample a.wav is short; see [url removed]\"],\"reasons\":[],"
                + "\"created_at\":\"2026-11-27T09:00:00Z\",\"updated_at\":\"2026-11-27T09:00:31Z\","
                + "\"next_attempt_at\":null,\"preview\":null,\"quality\":null,\"target_job_id\":null}", r.body());
        String lower = r.body().toLowerCase(Locale.ROOT);
        assertFalse(lower.contains("http:") || lower.contains("https:") || lower.contains("://"), r.body());
        assertFalse(lower.contains("x-amz"), r.body());
        assertFalse(lower.contains("version"), "internal fields stay inside");
    }

    @Test
    void queuedJobHasEmptyHistoryAndNullError() {
        api.jobs.createIfAbsent(Jobs.queued("job-q", Instant.parse("2026-11-27T08:00:00Z")).build());
        JsonNode body = Json.read(api.get("/jobs/job-q").body(), JsonNode.class);
        assertEquals("QUEUED", body.get("status").asText());
        assertEquals(0, body.get("history").size());
        assertTrue(body.get("error").isNull());
        assertTrue(body.get("model_id").isNull());
        assertTrue(body.get("next_attempt_at").isNull());
        List<String> fields = new ArrayList<>();
        body.fieldNames().forEachRemaining(fields::add);
        assertEquals(List.of("job_id", "status", "title", "source_keys", "model_id", "attempts", "history", "error",
                "warnings", "reasons", "created_at", "updated_at", "next_attempt_at", "preview", "quality",
                "target_job_id"), fields);
    }

    @Test
    void aStoredPreviewIsNamedByKeyAndApiPathAndTheCallbackUrlIsNeverShown() {
        Instant at = Instant.parse("2026-11-27T08:00:00Z");
        io.voicedrop.core.model.Job job = Jobs.queued("job-p", at)
                .options(new io.voicedrop.core.model.JobOptions("https://hooks.example.org/h?token=secret", "Hi."))
                .modelId("m-1")
                .preview(io.voicedrop.core.model.Preview.requested("Hi.", at)
                        .answered("https://cdn.example.org/a.mp3?sig=x", at)
                        .stored("status/alice/model.json.preview.mp3", 4408, at)).build();
        api.jobs.createIfAbsent(job);
        TestApi.Response r = api.get("/jobs/job-p");
        JsonNode preview = Json.read(r.body(), JsonNode.class).get("preview");
        assertEquals("stored", preview.get("state").asText());
        assertEquals("status/alice/model.json.preview.mp3", preview.get("key").asText());
        assertEquals(4408, preview.get("bytes").asLong());
        assertEquals("/models/m-1/preview", preview.get("path").asText());
        assertFalse(r.body().contains("hooks.example.org") || r.body().contains("token") || r.body().contains("cdn."),
                "neither the callback URL nor upstream's audio URL is shown: " + r.body());
    }

    @Test
    void unknownJobIsNotFound() {
        TestApi.Response r = api.get("/jobs/nope");
        assertEquals(404, r.status());
        assertEquals("{\"success\":false,\"error\":{\"code\":\"not_found\",\"message\":\"The job does not exist.\"},"
                + "\"detail\":\"The job does not exist.\",\"trace_id\":\"" + r.header("X-Trace-Id") + "\"}", r.body());
    }

    @Test
    void listByStatusPagesWithCursor() {
        for (int i = 0; i < 3; i++) {
            api.jobs.createIfAbsent(Jobs.queued("q" + i, Instant.parse("2026-11-27T08:00:00Z").plusSeconds(i)).build());
        }
        api.jobs.createIfAbsent(Jobs.failedQuotingPresignedUrls("f1").build());
        JsonNode first = Json.read(api.get("/jobs?status=QUEUED&limit=2").body(), JsonNode.class);
        assertEquals(2, first.get("items").size());
        assertEquals("q2", first.get("items").get(0).get("job_id").asText());
        assertEquals("idx:2", first.get("next_cursor").asText());
        JsonNode second = Json.read(api.get("/jobs?status=queued&limit=2&cursor=idx%3A2").body(), JsonNode.class);
        assertEquals(1, second.get("items").size());
        assertEquals("q0", second.get("items").get(0).get("job_id").asText());
        assertTrue(second.get("next_cursor").isNull());
        assertEquals("{\"items\":[],\"next_cursor\":null}", api.get("/jobs?status=SUCCEEDED").body());
        JsonNode failed = Json.read(api.get("/jobs?status=FAILED").body(), JsonNode.class);
        assertEquals(1, failed.get("items").size());
        assertFalse(failed.toString().contains("://"));
    }

    @Test
    void defaultLimitIsTwenty() {
        for (int i = 0; i < 25; i++) {
            api.jobs.createIfAbsent(Jobs.queued("q" + i, Instant.parse("2026-11-27T08:00:00Z").plusSeconds(i)).build());
        }
        JsonNode page = Json.read(api.get("/jobs?status=QUEUED").body(), JsonNode.class);
        assertEquals(20, page.get("items").size());
        assertEquals("idx:20", page.get("next_cursor").asText());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "/jobs?cursor=garbage|cursor is invalid",
            "/jobs?cursor=MTtlbmQ7eA|cursor is invalid",
            "/jobs?limit=0|limit must be between 1 and 100",
            "/jobs?status=DONE|status must be one of QUEUED, RUNNING, RETRY_WAIT, TRAINING, SUCCEEDED, FAILED, REJECTED, CANCELLED, DELETING, DELETED",
            "/jobs?status=QUEUED&limit=0|limit must be between 1 and 100",
            "/jobs?status=QUEUED&limit=101|limit must be between 1 and 100",
            "/jobs?status=QUEUED&limit=abc|limit must be between 1 and 100",
            "/jobs?status=QUEUED&cursor=garbage|cursor is invalid"})
    void badListParameters(String path, String message) {
        TestApi.Response r = api.get(path);
        assertEquals(400, r.status(), r.body());
        assertEquals("{\"success\":false,\"error\":{\"code\":\"bad_request\",\"message\":\"" + message
                + "\"},\"detail\":\"" + message + "\",\"trace_id\":\"" + r.header("X-Trace-Id") + "\"}", r.body());
    }

    @Test
    void withoutStatusTheCallerSeesBucketJobsAndItsOwnersJobsNewestFirstPaged() {
        Instant t0 = Instant.parse("2026-11-27T08:00:00Z");
        List<String> aliceSees = new ArrayList<>();
        List<String> carolSees = new ArrayList<>();
        // 5 bucket jobs in several statuses, 4 API jobs of alice's, 3 of carol's, interleaved in time; two share a
        // creation instant (ties are ordered by job id).
        for (int i = 0; i < 12; i++) {
            Instant at = i == 7 ? t0.plusSeconds(6) : t0.plusSeconds(i);
            String id = String.format(Locale.ROOT, "job-%02d", i);
            if (i % 3 == 0 || i == 7 || i == 11) {
                api.jobs.createIfAbsent(i % 2 == 0 ? Jobs.queued(id, at).build()
                        : Jobs.failedQuotingPresignedUrls(id).createdAt(at).updatedAt(at.plusSeconds(31)).build());
                aliceSees.add(0, id);
                carolSees.add(0, id);
            } else if (i % 3 == 1) {
                api.jobs.createIfAbsent(Jobs.viaApi(id, at, "alice").build());
                aliceSees.add(0, id);
            } else {
                api.jobs.createIfAbsent(Jobs.viaApi(id, at, "carol").build());
                carolSees.add(0, id);
            }
        }
        String carol = "vd_carol-key-0123456789";
        api.keys.add(carol, "carol", true);
        aliceSees.sort(java.util.Comparator.comparing((String id) -> api.jobs.find(id).orElseThrow().createdAt())
                .thenComparing(id -> id).reversed());
        carolSees.sort(java.util.Comparator.comparing((String id) -> api.jobs.find(id).orElseThrow().createdAt())
                .thenComparing(id -> id).reversed());

        assertEquals(aliceSees, listAll(TestApi.KEY, 2));
        assertEquals(aliceSees, listAll(TestApi.KEY, 100));
        assertEquals(carolSees, listAll(carol, 3));
        assertTrue(listAll(carol, 1).stream().noneMatch(id -> api.jobs.find(id).orElseThrow().owner() != null
                && !"carol".equals(api.jobs.find(id).orElseThrow().owner())), "another owner's job was listed");

        JsonNode first = Json.read(api.get("/jobs").body(), JsonNode.class);
        assertEquals(Math.min(20, aliceSees.size()), first.get("items").size());
        assertTrue(first.get("next_cursor").isNull(), "everything fits on the first page");
        assertEquals(aliceSees.get(0), first.get("items").get(0).get("job_id").asText());
    }

    /** Every job id the key lists without a status, following next_cursor; every page is full but the last. */
    private List<String> listAll(String key, int limit) {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        for (int pages = 0; pages < 50; pages++) {
            String path = "/jobs?limit=" + limit + (cursor == null ? ""
                    : "&cursor=" + java.net.URLEncoder.encode(cursor, java.nio.charset.StandardCharsets.UTF_8));
            TestApi.Response r = api.send("GET", path, java.util.Map.of("authorization", "Bearer " + key));
            assertEquals(200, r.status(), r.body());
            JsonNode page = Json.read(r.body(), JsonNode.class);
            page.get("items").forEach(j -> ids.add(j.get("job_id").asText()));
            if (page.get("next_cursor").isNull()) {
                return ids;
            }
            assertEquals(limit, page.get("items").size(), "a page before the last is full: " + r.body());
            cursor = page.get("next_cursor").asText();
        }
        throw new AssertionError("the cursor never ended: " + ids);
    }

    @Test
    void everyStatusNameIsAccepted() {
        for (JobStatus s : JobStatus.values()) {
            assertEquals(200, api.get("/jobs?status=" + s.name()).status());
        }
    }

    @Test
    void redaction() {
        assertEquals("see [url removed] now", JobView.clean("see https://a.b/c?d=e now"));
        assertEquals("[url removed]", JobView.clean("s3://bucket/key"));
        assertEquals("a [url removed]&[url removed]", JobView.clean("a X-Amz-Signature=abc&X-Amz-Date=2026"));
        assertEquals("plain text", JobView.clean("plain text"));
    }
}
