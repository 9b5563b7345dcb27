package io.voicedrop.e2e;

import static io.voicedrop.e2e.Pipeline.json;
import static io.voicedrop.e2e.Pipeline.speech;
import static io.voicedrop.e2e.Pipeline.stack;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.voicedrop.core.service.JobRunner;
import io.voicedrop.sim.FishSimulator;
import io.voicedrop.sim.SimModel;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code PATCH /fish/model/{id}} against the running local pipeline (moto, the real handlers, the Fish simulator):
 * every field through each encoding, the upstream changed first and the catalog after, every listing (tag,
 * language, title search) and total following the change; an upstream that fails for a while, refuses, or does
 * not offer editing at all changes nothing.
 */
class VoiceEditTest {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);

    @AfterEach
    void offered() {
        stack().simulator.setEdits(FishSimulator.EditOffer.OFFERED);
    }

    /** A trained bucket model: folder upload with tags and a language. Returns {jobId, modelId}. */
    static String[] bucketModel(String title, String... tags) {
        String folder = "incoming/" + title + "/";
        Pipeline.upload(folder + "take.wav", speech(31));
        String manifest = "{\"language\":\"en\",\"tags\":[" + String.join(",", List.of(tags).stream()
                .map(t -> "\"" + t + "\"").toList()) + "]}";
        String jobId = Pipeline.upload(folder + "model.json", manifest.getBytes(StandardCharsets.UTF_8));
        JsonNode job = Pipeline.awaitTerminal(jobId);
        assertEquals("SUCCEEDED", job.path("status").asText(), job.toString());
        return new String[] {jobId, job.path("model_id").asText()};
    }

    private static JsonNode list(String query) {
        HttpResponse<String> r = Pipeline.get("/fish/model?" + query);
        assertEquals(200, r.statusCode(), r.body());
        return json(r);
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.path("items").forEach(m -> ids.add(m.path("_id").asText()));
        return ids;
    }

    private static String q(String v) {
        return URLEncoder.encode(v, StandardCharsets.UTF_8);
    }

    private static SimModel upstream(String modelId) {
        return stack().simulator.model(modelId).orElseThrow(() -> new AssertionError("not upstream: " + modelId));
    }

    @Test
    void everyFieldThroughJsonThenFormThenMultipartAndEveryListingFollows() {
        String tagA = "edit-" + RUN + "-a";
        String tagB = "edit-" + RUN + "-b";
        String tagC = "edit-" + RUN + "-c";
        String[] made = bucketModel("edit json " + RUN, tagA);
        String jobId = made[0];
        String modelId = made[1];
        assertEquals(List.of(modelId), ids(list("tag=" + q(tagA))));

        // JSON: title, description, visibility, tags (array)
        HttpResponse<String> r = Lifecycle.patchJson(stack().apiToken, modelId, "{\"title\":\"renamed " + RUN
                + "\",\"description\":\"now described\",\"visibility\":\"unlist\",\"tags\":[\"" + tagB + "\",\""
                + tagC + "\"]}");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode edited = json(r);
        assertEquals("ok", edited.path("status").asText());
        assertEquals(modelId, edited.path("_id").asText());
        assertEquals("renamed " + RUN, edited.path("title").asText());
        assertEquals("now described", edited.path("description").asText());
        assertEquals("unlist", edited.path("visibility").asText());
        assertEquals(List.of(tagB, tagC), tags(edited), "the marker tag stays VoiceDrop's");
        ApiStrictEntity.check(edited, "PATCH answer");
        SimModel up = upstream(modelId);
        assertEquals("renamed " + RUN, up.title());
        assertEquals("unlist", up.visibility());
        assertTrue(up.tags().containsAll(List.of(tagB, tagC, JobRunner.markerTag(jobId))),
                "upstream keeps the marker, so a deletion still finds the model: " + up.tags());
        JsonNode got = json(Pipeline.get("/fish/model/" + modelId));
        assertEquals("renamed " + RUN, got.path("title").asText());
        assertEquals(0, list("tag=" + q(tagA)).path("total").asLong(), "gone from the old tag's listing");
        assertEquals(List.of(modelId), ids(list("tag=" + q(tagB))));
        assertEquals(List.of(modelId), ids(list("tag=" + q(tagB) + "&tag=" + q(tagC))));
        assertEquals(List.of(modelId), ids(list("title=" + q("renamed " + RUN))));
        assertEquals(0, list("title=" + q("edit json " + RUN)).path("total").asLong(), "the old title no longer matches");

        // Form: description cleared, tags comma-joined in one field
        r = Lifecycle.patchForm(stack().apiToken, modelId, Map.of("description", List.of(""),
                "tags", List.of(tagA + "," + tagC)));
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("", json(r).path("description").asText());
        assertEquals(List.of(tagA, tagC), tags(json(r)));
        assertEquals(List.of(modelId), ids(list("tag=" + q(tagA))));
        assertEquals(0, list("tag=" + q(tagB)).path("total").asLong());

        // Multipart: a cover image file, title, repeated tags, public (allowed now that there is a cover)
        ApiCalls.Form form = new ApiCalls.Form().field("title", "covered " + RUN).field("tags", tagB)
                .field("tags", tagC).field("visibility", "public")
                .file("cover_image", "cover.png", "image/png", Lifecycle.png());
        r = Lifecycle.patchMultipart(stack().apiToken, modelId, form);
        assertEquals(200, r.statusCode(), r.body());
        JsonNode covered = json(r);
        assertEquals("public", covered.path("visibility").asText());
        assertEquals(List.of(tagB, tagC), tags(covered));
        assertFalse(covered.path("cover_image").asText().contains("X-Amz-"), "no presigned URL: " + covered);
        assertTrue(covered.path("cover_image").asText().contains("uploads/" + jobId + "/cover-"), covered.toString());
        assertEquals(1, Lifecycle.versionsUnder("uploads/" + jobId + "/cover-").size(), "the cover is stored once");
        assertTrue(upstream(modelId).coverImage().contains("X-Amz-Signature"),
                "upstream got a presigned URL it can fetch");
        assertEquals(List.of(modelId), ids(list("title=" + q("covered " + RUN) + "&tag=" + q(tagB))));

        // The job id names the model too.
        r = Lifecycle.patchJson(stack().apiToken, jobId, "{\"title\":\"by job id " + RUN + "\"}");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(modelId, json(r).path("_id").asText());
    }

    @Test
    void anUpstreamFailingForAWhileIsRetriedAndOneRefusingChangesNothing() {
        String tag = "edit-" + RUN + "-retry";
        String modelId = bucketModel("edit retry " + RUN, tag)[1];
        int calls = stack().simulator.updateCalls();
        stack().simulator.failNextUpdates(2, 503);
        HttpResponse<String> r = Lifecycle.patchJson(stack().apiToken, modelId, "{\"title\":\"after retries " + RUN
                + "\"}");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(calls + 3, stack().simulator.updateCalls(), "two 503s, then the call that worked");
        assertEquals("after retries " + RUN, upstream(modelId).title());

        stack().simulator.failNextUpdates(1, 422);
        r = Lifecycle.patchJson(stack().apiToken, modelId, "{\"title\":\"refused " + RUN + "\"}");
        assertEquals(422, r.statusCode(), r.body());
        assertEquals("after retries " + RUN, json(Pipeline.get("/fish/model/" + modelId)).path("title").asText());
        assertEquals("after retries " + RUN, upstream(modelId).title());
    }

    @Test
    void anUpstreamThatDoesNotOfferEditingGetsAClearErrorAndNothingChanges() {
        String tag = "edit-" + RUN + "-offer";
        String modelId = bucketModel("edit offer " + RUN, tag)[1];
        for (FishSimulator.EditOffer offer : List.of(FishSimulator.EditOffer.NO_API,
                FishSimulator.EditOffer.METHOD_NOT_ALLOWED, FishSimulator.EditOffer.NOT_IMPLEMENTED)) {
            stack().simulator.setEdits(offer);
            ApiCalls.Form form = new ApiCalls.Form().field("title", "never " + RUN)
                    .file("cover_image", "c.png", "image/png", Lifecycle.png());
            HttpResponse<String> r = Lifecycle.patchMultipart(stack().apiToken, modelId, form);
            assertEquals(400, r.statusCode(), offer + ": " + r.body());
            JsonNode body = json(r);
            assertEquals("api_not_implemented", body.path("error").path("code").asText(), offer.toString());
            assertTrue(body.path("detail").asText().contains("does not offer editing"), body.toString());
            assertEquals("edit offer " + RUN, json(Pipeline.get("/fish/model/" + modelId)).path("title").asText());
            assertEquals(List.of(modelId), ids(list("tag=" + q(tag))));
        }
        String jobId = json(Pipeline.get("/models/" + modelId + "/source")).path("job_id").asText();
        assertEquals(List.of(), Lifecycle.versionsUnder("uploads/" + jobId + "/"), "a refused edit keeps no cover");
    }

    @Test
    void fieldsThatCannotWorkAre422WithEveryProblemAndNoUpstreamCall() {
        String modelId = bucketModel("edit invalid " + RUN, "edit-" + RUN + "-invalid")[1];
        int calls = stack().simulator.updateCalls();
        HttpResponse<String> r = Lifecycle.patchJson(stack().apiToken, modelId, "{\"title\":\"  \",\"visibility\":"
                + "\"everyone\",\"tags\":[\"vd-job-x\"],\"cover_image\":\"ftp://x\"}");
        assertEquals(422, r.statusCode(), r.body());
        JsonNode body = json(r);
        assertEquals(4, body.path("detail").size(), body.toString());
        r = Lifecycle.patchJson(stack().apiToken, modelId, "{}");
        assertEquals(422, r.statusCode(), r.body());
        assertTrue(json(r).path("error").path("message").asText().startsWith("nothing to change"), r.body());
        r = Lifecycle.patchJson(stack().apiToken, modelId, "{\"visibility\":\"public\"}");
        assertEquals(422, r.statusCode(), "public needs a cover: " + r.body());
        r = ApiCalls.send("PATCH", "/fish/model/" + modelId, ApiCalls.bearer(stack().apiToken), "text/plain",
                "title=x".getBytes(StandardCharsets.UTF_8));
        assertEquals(415, r.statusCode(), r.body());
        assertEquals(calls, stack().simulator.updateCalls(), "nothing reached the upstream");
    }

    private static List<String> tags(JsonNode model) {
        List<String> tags = new ArrayList<>();
        model.path("tags").forEach(t -> tags.add(t.asText()));
        return tags;
    }
}
