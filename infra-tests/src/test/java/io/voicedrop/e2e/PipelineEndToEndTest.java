package io.voicedrop.e2e;

import static io.voicedrop.e2e.Pipeline.awaitTerminal;
import static io.voicedrop.e2e.Pipeline.get;
import static io.voicedrop.e2e.Pipeline.json;
import static io.voicedrop.e2e.Pipeline.speech;
import static io.voicedrop.e2e.Pipeline.stack;
import static io.voicedrop.e2e.Pipeline.upload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.JsonNode;
import io.voicedrop.core.service.IngestResult;
import io.voicedrop.core.service.JobRunner;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/** The deployed shape, end to end: real S3 notifications, real queue, real handlers, the Fish simulator upstream. */
class PipelineEndToEndTest {

    @BeforeEach
    void cleanUpstream() {
        stack().simulator.update(s -> s);
        stack().simulator.failNextCreates(0, 500);
    }

    @Test
    void anUploadBecomesAListedModelWithTheContractFields() {
        String jobId = upload("incoming/Narrator Alice.wav", speech(31));
        JsonNode job = awaitTerminal(jobId);
        assertEquals("SUCCEEDED", job.path("status").asText(), job.toString());
        String modelId = job.path("model_id").asText();

        JsonNode list = json(get("/fish/model?page_size=100&title=" + URLEncoder.encode("Narrator Alice", StandardCharsets.UTF_8)));
        assertTrue(list.path("total").asLong() >= 1, list.toString());
        JsonNode item = null;
        for (JsonNode i : list.path("items")) {
            if (i.path("_id").asText().equals(modelId)) {
                item = i;
            }
        }
        assertTrue(item != null, "model " + modelId + " not listed: " + list);
        assertEquals("Narrator Alice", item.path("title").asText());
        assertEquals("tts", item.path("type").asText());
        assertEquals("fast", item.path("train_mode").asText());
        assertEquals("private", item.path("visibility").asText());
        assertEquals("trained", item.path("state").asText());
        for (String field : List.of("description", "cover_image", "created_at", "updated_at")) {
            assertTrue(item.path(field).isTextual(), field + " must be a string: " + item);
        }
        assertTrue(item.path("author").path("_id").isTextual());
        item.path("tags").forEach(t -> assertFalse(t.asText().startsWith("vd-job-"), "marker tag leaked: " + t));
        assertFalse(list.toString().contains("X-Amz-"), "a presigned URL leaked into the API: " + list);
        assertFalse(Pipeline.get("/jobs/" + jobId).body().contains("X-Amz-"), "a presigned URL leaked into the job view");

        JsonNode one = json(get("/fish/model/" + modelId));
        assertEquals(modelId, one.path("_id").asText());

        // Upstream received presigned URLs that it could download (the simulator fetched them).
        assertTrue(stack().simulator.model(modelId).isPresent());
    }

    @Test
    void theSameS3EventDeliveredTwiceMakesOneJobAndOneModel() throws Exception {
        String key = "incoming/twice delivered+1.wav";
        byte[] audio = speech(31);
        String jobId = upload(key, audio);
        awaitTerminal(jobId);
        HeadObjectResponse head = stack().pipeline.s3().headObject(b -> b.bucket(stack().pipeline.bucket()).key(key));
        S3Event event = s3Event(key, head, audio.length);

        List<IngestResult> again = stack().pipeline.ingestHandler().handleRequest(event, null);
        List<IngestResult> third = stack().pipeline.ingestHandler().handleRequest(event, null);

        assertEquals(jobId, again.get(0).jobId());
        assertTrue(again.get(0).duplicate());
        assertTrue(third.get(0).duplicate());
        Pipeline.sleep(1500); // give any wrongly enqueued message time to reach the worker
        long models = stack().simulator.models().stream()
                .filter(m -> m.tags().contains(JobRunner.markerTag(jobId))).count();
        assertEquals(1, models, "one upload must create exactly one upstream model");
        assertEquals(1, json(get("/jobs/" + jobId)).path("attempts").asInt());
    }

    @Test
    void aRateLimitedCreateIsRetriedAndSucceeds() {
        stack().simulator.failNextCreates(1, 429);
        String jobId = upload("incoming/rate limited.wav", speech(31));
        JsonNode job = awaitTerminal(jobId);
        assertEquals("SUCCEEDED", job.path("status").asText(), job.toString());
        JsonNode history = job.path("history");
        assertEquals(2, history.size(), history.toString());
        assertEquals(429, history.get(0).path("http_status").asInt());
        assertEquals("retry", history.get(0).path("outcome").asText());
        assertEquals("created", history.get(1).path("outcome").asText());
    }

    @Test
    void aBadRequestFailsTheJobWithUpstreamsErrorVisibleInTheApi() {
        stack().simulator.failNextCreates(1, 400);
        String jobId = upload("incoming/rejected upstream.wav", speech(31));
        JsonNode job = awaitTerminal(jobId);
        assertEquals("FAILED", job.path("status").asText(), job.toString());
        assertEquals("bad_request", job.path("error").path("code").asText());
        assertEquals(400, job.path("error").path("http_status").asInt());
        assertEquals(1, job.path("attempts").asInt(), "a request error must not be retried");
    }

    @Test
    void missingOrUnknownTokensGetInvalidToken() {
        for (String token : new String[] {null, "not-a-key", ""}) {
            HttpResponse<String> r = get("/fish/model", token);
            assertEquals(401, r.statusCode(), r.body());
            JsonNode body = json(r);
            assertFalse(body.path("success").asBoolean(true));
            assertEquals("invalid_token", body.path("error").path("code").asText());
            assertTrue(body.path("trace_id").asText().length() >= 32, body.toString());
        }
    }

    static S3Event s3Event(String key, HeadObjectResponse head, long size) {
        String encoded = URLEncoder.encode(key, StandardCharsets.UTF_8);
        String json = "{\"Records\":[{\"eventVersion\":\"2.1\",\"eventSource\":\"aws:s3\",\"awsRegion\":\"us-east-1\","
                + "\"eventTime\":\"2026-11-27T00:00:00.000Z\",\"eventName\":\"ObjectCreated:Put\","
                + "\"userIdentity\":{\"principalId\":\"local\"},\"requestParameters\":{\"sourceIPAddress\":\"127.0.0.1\"},"
                + "\"responseElements\":{},\"s3\":{\"s3SchemaVersion\":\"1.0\",\"configurationId\":\"local\","
                + "\"bucket\":{\"name\":\"" + stack().pipeline.bucket() + "\",\"ownerIdentity\":{\"principalId\":\"local\"},"
                + "\"arn\":\"arn:aws:s3:::" + stack().pipeline.bucket() + "\"},"
                + "\"object\":{\"key\":\"" + encoded + "\",\"size\":" + size + ",\"eTag\":\"" + head.eTag().replace("\"", "") + "\","
                + "\"versionId\":\"" + head.versionId() + "\",\"sequencer\":\"0055AED6DCD90281E5\"}}}]}";
        return LambdaEventSerializers.serializerFor(S3Event.class, PipelineEndToEndTest.class.getClassLoader()).fromJson(json);
    }
}
