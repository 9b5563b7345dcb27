package io.voicedrop.e2e;

import static io.voicedrop.e2e.Pipeline.json;
import static io.voicedrop.e2e.Pipeline.speech;
import static io.voicedrop.e2e.Pipeline.stack;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.voicedrop.core.port.ApiKeyStore;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /jobs} without a status on the running pipeline (emulator, the template's {@code byAudience} index):
 * each key sees the deployment's bucket jobs and its own owner's API jobs, of every status, newest first, page by
 * page without gaps or repeats, and never another owner's job. Checked against the OpenAPI document too.
 */
class ApiJobListTest {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);

    @Test
    void eachOwnerPagesThroughBucketJobsAndItsOwnJobsNewestFirst() {
        ApiKeyStore keys = stack().pipeline.context().getBean(ApiKeyStore.class);
        String alice = keys.create("list-alice-" + RUN, "job list", 0).plaintext();
        String bob = keys.create("list-bob-" + RUN, "job list", 0).plaintext();
        ApiContract contract = ApiContract.fetch(true);

        List<String> aliceJobs = new ArrayList<>();
        List<String> bobJobs = new ArrayList<>();
        List<String> bucketJobs = new ArrayList<>();
        // Interleaved in time: bucket uploads (one rejected before billing, so several statuses are listed),
        // alice's and bob's POST /fish/model jobs.
        bucketJobs.add(Pipeline.upload("incoming/list " + RUN + " a.wav", speech(31)));
        aliceJobs.add(create(alice, "alice 1"));
        bucketJobs.add(Pipeline.upload("incoming/list " + RUN + " not audio.wav",
                "plain text, not audio".getBytes(StandardCharsets.UTF_8)));
        bobJobs.add(create(bob, "bob 1"));
        aliceJobs.add(create(alice, "alice 2"));
        bucketJobs.add(Pipeline.upload("incoming/list " + RUN + " b.wav", speech(31)));
        bobJobs.add(create(bob, "bob 2"));
        aliceJobs.add(create(alice, "alice 3"));
        for (String job : bucketJobs) {
            Pipeline.awaitTerminal(job);
        }

        List<JsonNode> seenByAlice = newestPages(alice, 2, aliceJobs.size() + bucketJobs.size(), contract);
        List<String> aliceIds = seenByAlice.stream().map(j -> j.path("job_id").asText()).toList();
        assertEquals(aliceIds.size(), new HashSet<>(aliceIds).size(), "a job was listed twice: " + aliceIds);
        assertTrue(aliceIds.containsAll(aliceJobs) && aliceIds.containsAll(bucketJobs), aliceIds.toString());
        assertTrue(bobJobs.stream().noneMatch(aliceIds::contains), "bob's job listed to alice: " + aliceIds);
        assertTrue(seenByAlice.stream().filter(ApiJobListTest::isApiJob)
                .allMatch(j -> aliceJobs.contains(j.path("job_id").asText())),
                "another owner's API job listed to alice: " + aliceIds);
        Set<String> statuses = new HashSet<>();
        seenByAlice.forEach(j -> statuses.add(j.path("status").asText()));
        assertTrue(statuses.contains("REJECTED") && statuses.contains("SUCCEEDED"), statuses.toString());
        for (int i = 1; i < seenByAlice.size(); i++) {
            Instant newer = Instant.parse(seenByAlice.get(i - 1).path("created_at").asText());
            Instant older = Instant.parse(seenByAlice.get(i).path("created_at").asText());
            assertFalse(older.isAfter(newer), "not newest first at " + i + ": " + aliceIds);
        }
        // Her own jobs come in the order they were made, newest first.
        assertEquals(List.of(aliceJobs.get(2), aliceJobs.get(1), aliceJobs.get(0)),
                aliceIds.stream().filter(aliceJobs::contains).toList());

        List<String> bobIds = newestPages(bob, 3, bobJobs.size() + bucketJobs.size(), contract).stream()
                .map(j -> j.path("job_id").asText()).toList();
        assertTrue(bobIds.containsAll(bobJobs) && bobIds.containsAll(bucketJobs), bobIds.toString());
        assertTrue(aliceJobs.stream().noneMatch(bobIds::contains), "alice's job listed to bob: " + bobIds);

        // The status filter still works next to the listing, with the same visibility.
        JsonNode rejected = json(Pipeline.get("/jobs?status=rejected&limit=100", alice));
        assertTrue(rejected.path("items").findValuesAsText("job_id").contains(bucketJobs.get(1)), rejected.toString());
    }

    private static String create(String key, String title) {
        HttpResponse<String> r = ApiCalls.createMultipart(key, title + " " + RUN, List.of(), speech(12));
        assertEquals(201, r.statusCode(), r.body());
        return r.headers().firstValue("X-VoiceDrop-Job-Id").orElseThrow();
    }

    private static boolean isApiJob(JsonNode job) {
        for (JsonNode k : job.path("source_keys")) {
            if (k.asText().startsWith("uploads/")) {
                return true;
            }
        }
        return false;
    }

    /**
     * The newest jobs the key sees, {@code limit} per page, following {@code next_cursor} until at least
     * {@code atLeast} jobs were read (the jobs this test made are the newest of the shared stack) or the list ends.
     * Every page must conform to the OpenAPI document, and every page but the last must be full.
     */
    private static List<JsonNode> newestPages(String key, int limit, int atLeast, ApiContract contract) {
        List<JsonNode> jobs = new ArrayList<>();
        String cursor = null;
        do {
            HttpResponse<String> r = Pipeline.get("/jobs?limit=" + limit
                    + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)), key);
            assertEquals(200, r.statusCode(), r.body());
            JsonNode page = contract.assertConforms("GET", r);
            page.path("items").forEach(jobs::add);
            cursor = page.path("next_cursor").isNull() ? null : page.path("next_cursor").asText();
            if (cursor != null) {
                assertEquals(limit, page.path("items").size(), "only the last page may be short: " + page);
            }
        } while (cursor != null && jobs.size() < atLeast + 2 * limit);
        return jobs;
    }
}
