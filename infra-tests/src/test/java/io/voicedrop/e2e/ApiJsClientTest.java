package io.voicedrop.e2e;

import static io.voicedrop.e2e.Pipeline.speech;
import static io.voicedrop.e2e.Pipeline.stack;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voicedrop.adapters.json.Json;
import io.voicedrop.core.service.JobRunner;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The official Fish Audio JavaScript client, npm {@code fish-audio} 0.1.0, unmodified, against the local API of the
 * shared pipeline: the reference's recommended compatibility tester (section 11). {@code src/test/js} (package.json,
 * package-lock.json, client-check.mjs) is copied to {@code target/js-client-<pid>} and installed with {@code npm ci}
 * (cache and logs under {@code target/npm-cache}); the script runs the client's own {@code voices.search},
 * {@code voices.get}, {@code voices.ivc.create}, {@code voices.update} and {@code voices.delete} with
 * {@code baseUrl = <api>/fish} and prints what the client returned. {@code sdk-check.cjs} does the same with the
 * unofficial npm {@code fish-audio-sdk} 2025.11.29 ({@code getModel}, {@code updateModel}, {@code deleteModel}),
 * for its error path. This test fails, never skips, when node or npm is missing or the install fails: CI has both.
 */
class ApiJsClientTest {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    /** Titles share this prefix, so a title search finds exactly this test's bucket models. */
    private static final String PREFIX = "jsclient " + RUN;
    private static final String TAG_A = "js-" + RUN + "-a";
    private static final String TAG_B = "js-" + RUN + "-b";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private static Path clientDir;
    /** Bucket models, newest first as the API lists them: title → model id. */
    private static final Map<String, String> MODELS = new LinkedHashMap<>();

    @BeforeAll
    static void installTheClientAndCreateModels() throws Exception {
        clientDir = installClient();
        // Three models through the bucket, in order (so newest-first is charlie, bravo, alpha):
        // alpha without tags, bravo tagged a+b, charlie tagged a.
        List<String[]> specs = List.of(new String[] {"alpha"}, new String[] {"bravo", TAG_A, TAG_B},
                new String[] {"charlie", TAG_A});
        List<String[]> created = new ArrayList<>();
        for (String[] spec : specs) {
            String title = PREFIX + " " + spec[0];
            String jobId;
            if (spec.length == 1) {
                jobId = Pipeline.upload("incoming/" + title + ".wav", speech(31));
            } else {
                String folder = "incoming/" + title + "/";
                Pipeline.upload(folder + "take.wav", speech(31));
                ArrayNode tags = NODES.arrayNode();
                for (int i = 1; i < spec.length; i++) {
                    tags.add(spec[i]);
                }
                ObjectNode manifest = NODES.objectNode().put("language", "en");
                manifest.set("tags", tags);
                jobId = Pipeline.upload(folder + "model.json", Json.write(manifest).getBytes(StandardCharsets.UTF_8));
            }
            JsonNode job = Pipeline.awaitTerminal(jobId);
            assertEquals("SUCCEEDED", job.path("status").asText(), job.toString());
            created.add(new String[] {title, job.path("model_id").asText()});
        }
        for (int i = created.size() - 1; i >= 0; i--) {
            MODELS.put(created.get(i)[0], created.get(i)[1]);
        }
    }

    // ------------------------------------------------------------------------------------------------ tests

    @Test
    void searchPagesAndFiltersAsTheClientSendsThem() throws Exception {
        ArrayNode plan = NODES.arrayNode();
        plan.add(search("title page 1", Map.of("title", PREFIX, "page_size", 2, "page_number", 1)));
        plan.add(search("title page 2", Map.of("title", PREFIX, "page_size", 2, "page_number", 2)));
        plan.add(search("title page 3", Map.of("title", PREFIX, "page_size", 2, "page_number", 3)));
        plan.add(search("one tag", Map.of("tag", TAG_A, "self", true, "sort_by", "created_at")));
        plan.add(search("two tags", Map.of("tag", List.of(TAG_A, TAG_B), "page_size", 10)));
        plan.add(search("title and tag", Map.of("title", "BRAVO", "tag", List.of(TAG_A), "title_language", "en")));
        plan.add(search("no arguments", Map.of()));
        plan.add(search("page_size over 100", Map.of("page_size", 101)));
        Map<String, JsonNode> r = runClient(plan);

        List<String> titles = new ArrayList<>(MODELS.keySet());
        List<String> ids = new ArrayList<>(MODELS.values());
        JsonNode p1 = ok(r, "title page 1");
        assertEquals(3, p1.path("total").asLong(), p1.toString());
        assertEquals(ids.subList(0, 2), ids(p1));
        assertEquals(titles.subList(0, 2), titles(p1));
        assertEquals(true, p1.path("has_more").asBoolean());
        JsonNode p2 = ok(r, "title page 2");
        assertEquals(3, p2.path("total").asLong());
        assertEquals(ids.subList(2, 3), ids(p2));
        JsonNode p3 = ok(r, "title page 3");
        assertEquals(3, p3.path("total").asLong());
        assertEquals(List.of(), ids(p3));
        assertQuery(r, "title page 1", Map.of("title", List.of(PREFIX), "page_size", List.of("2"),
                "page_number", List.of("1")));

        JsonNode oneTag = ok(r, "one tag");
        assertEquals(2, oneTag.path("total").asLong(), oneTag.toString());
        assertEquals(List.of(MODELS.get(PREFIX + " charlie"), MODELS.get(PREFIX + " bravo")), ids(oneTag));
        oneTag.path("items").forEach(m -> assertTrue(tags(m).contains(TAG_A), m.toString()));
        assertQuery(r, "one tag", Map.of("tag", List.of(TAG_A), "self", List.of("true"),
                "sort_by", List.of("created_at")));

        JsonNode twoTags = ok(r, "two tags");
        assertEquals(1, twoTags.path("total").asLong(), twoTags.toString());
        assertEquals(List.of(MODELS.get(PREFIX + " bravo")), ids(twoTags));
        assertEquals(Set.of(TAG_A, TAG_B), new HashSet<>(tags(twoTags.path("items").get(0))));
        assertQuery(r, "two tags", Map.of("tag", List.of(TAG_A, TAG_B), "page_size", List.of("10")));

        JsonNode both = ok(r, "title and tag");
        assertEquals(List.of(MODELS.get(PREFIX + " bravo")), ids(both));
        assertEquals(1, both.path("total").asLong());

        JsonNode all = ok(r, "no arguments");
        assertTrue(all.path("total").asLong() >= 3, all.toString());
        assertEquals(Math.min(10, all.path("total").asLong()), all.path("items").size(),
                "the server's default page size, 10: " + all);
        assertNull(URI.create(r.get("no arguments").path("url").asText()).getRawQuery(),
                "without arguments the client sends a bare GET, so the server's defaults apply");
        for (String name : List.of("title page 1", "title page 2", "one tag", "two tags", "title and tag",
                "no arguments")) {
            ApiStrictEntity.checkList(ok(r, name), "client search " + name);
        }

        JsonNode tooBig = r.get("page_size over 100");
        assertFalse(tooBig.path("ok").asBoolean(), tooBig.toString());
        assertEquals(400, tooBig.path("status").asInt(), tooBig.toString());
        assertEquals("bad_request", tooBig.path("error").path("body").path("error").path("code").asText());
    }

    @Test
    void getReturnsTheModelAndAnUnknownIdIsTheClientsNotFoundError() throws Exception {
        String bravo = MODELS.get(PREFIX + " bravo");
        ArrayNode plan = NODES.arrayNode();
        plan.add(NODES.objectNode().put("name", "get").put("op", "get").put("id", bravo));
        plan.add(NODES.objectNode().put("name", "missing").put("op", "get").put("id", "no such model " + RUN));
        Map<String, JsonNode> r = runClient(plan);

        JsonNode model = ok(r, "get");
        ApiStrictEntity.check(model, "client get");
        assertEquals(bravo, model.path("_id").asText());
        assertEquals(PREFIX + " bravo", model.path("title").asText());
        assertEquals(Set.of(TAG_A, TAG_B), new HashSet<>(tags(model)));
        assertEquals("trained", model.path("state").asText());
        assertTrue(r.get("get").path("url").asText().endsWith("/fish/model/" + bravo), r.get("get").toString());

        JsonNode missing = r.get("missing");
        assertFalse(missing.path("ok").asBoolean(), missing.toString());
        assertEquals("FishAudioError", missing.path("error").path("type").asText());
        assertEquals(404, missing.path("status").asInt());
        assertEquals("not_found", missing.path("error").path("body").path("error").path("code").asText());
        assertTrue(missing.path("url").asText().endsWith("/fish/model/no%20such%20model%20" + RUN),
                "the client URL-encodes the id: " + missing);
    }

    @Test
    void ivcCreateAnswersTheCreatedModelWhichTheCatalogThenServes() throws Exception {
        Path wav = clientDir.resolve("voice-" + RUN + ".wav");
        Files.write(wav, speech(14));
        String title = "jsclient-created " + RUN;
        ObjectNode create = NODES.objectNode().put("name", "create").put("op", "create");
        ObjectNode request = create.putObject("request").put("title", title).put("description", "from npm")
                .put("visibility", "private").put("enhance_audio_quality", true);
        request.putArray("tags").add("js-created-" + RUN).add("second");
        request.putArray("texts").add("A transcript, with a comma.");
        create.putArray("files").add(wav.toString());
        ArrayNode plan = NODES.arrayNode().add(create);
        JsonNode result = runClient(plan).get("create");

        JsonNode model = ok(Map.of("create", result), "create");
        assertEquals(201, result.path("status").asInt(), result.toString());
        ApiStrictEntity.check(model, "client ivc.create");
        String modelId = model.path("_id").asText();
        String jobId = result.path("jobId").asText();
        assertFalse(jobId.isEmpty() || jobId.equals(modelId), "the model is the upstream's, the job is VoiceDrop's");
        assertEquals(title, model.path("title").asText());
        assertEquals("from npm", model.path("description").asText());
        assertEquals("trained", model.path("state").asText());
        assertEquals("private", model.path("visibility").asText());
        // npm fish-audio sends tags as one comma-joined field; the API splits it.
        assertEquals(List.of("js-created-" + RUN, "second"), tags(model));

        JsonNode done = Pipeline.awaitTerminal(jobId);
        assertEquals("SUCCEEDED", done.path("status").asText(), done.toString());
        assertEquals(modelId, done.path("model_id").asText());
        assertEquals(1, Pipeline.createCallsFor(jobId), "one billable create");
        assertEquals(List.of("A transcript, with a comma."), texts(jobId),
                "one voice: the comma-joined texts field is one transcript");

        ArrayNode after = NODES.arrayNode();
        after.add(NODES.objectNode().put("name", "by id").put("op", "get").put("id", modelId));
        after.add(NODES.objectNode().put("name", "by job id").put("op", "get").put("id", jobId));
        after.add(search("by tag", Map.of("tag", "js-created-" + RUN)));
        Map<String, JsonNode> r = runClient(after);
        ApiStrictEntity.check(ok(r, "by id"), "client get");
        assertEquals(title, ok(r, "by id").path("title").asText());
        assertEquals(modelId, ok(r, "by job id").path("_id").asText(), "the job id answers the model too");
        JsonNode listed = ok(r, "by tag");
        assertEquals(1, listed.path("total").asLong(), listed.toString());
        assertEquals(List.of(modelId), ids(listed));
    }

    @Test
    void updateAndDeleteThroughTheOfficialClientAndItsErrorsCarryVoiceDropsMessage() throws Exception {
        String title = "jslife " + RUN;
        String jobId = Pipeline.upload("incoming/" + title + ".wav", speech(31));
        JsonNode job = Pipeline.awaitTerminal(jobId);
        String modelId = job.path("model_id").asText();
        Path cover = clientDir.resolve("cover-" + RUN + ".png");
        Files.write(cover, Lifecycle.png());
        ObjectNode update = NODES.objectNode().put("name", "update").put("op", "update").put("id", modelId)
                .put("cover", cover.toString());
        update.putObject("request").put("title", title + " renamed").put("description", "via voices.update")
                .put("visibility", "unlist").putArray("tags").add("js-upd-" + RUN).add("second");
        ArrayNode plan = NODES.arrayNode().add(update);
        plan.add(NODES.objectNode().put("name", "get after update").put("op", "get").put("id", modelId));
        ObjectNode bad = NODES.objectNode().put("name", "bad visibility").put("op", "update").put("id", modelId);
        bad.putObject("request").put("visibility", "everyone");
        plan.add(bad);
        plan.add(NODES.objectNode().put("name", "delete").put("op", "delete").put("id", modelId));
        plan.add(NODES.objectNode().put("name", "get after delete").put("op", "get").put("id", modelId));
        plan.add(NODES.objectNode().put("name", "delete again").put("op", "delete").put("id", modelId));
        Map<String, JsonNode> r = runClient(plan);

        JsonNode updated = ok(r, "update");
        assertEquals("ok", updated.path("status").asText(), "what the client's types expect: " + updated);
        assertEquals(title + " renamed", updated.path("title").asText());
        assertEquals("unlist", updated.path("visibility").asText());
        assertEquals(List.of("js-upd-" + RUN, "second"), tags(updated), "the client joins tags with commas");
        assertTrue(updated.path("cover_image").asText().contains("/cover-"), updated.toString());
        assertEquals("via voices.update", ok(r, "get after update").path("description").asText());

        JsonNode invalid = r.get("bad visibility");
        assertFalse(invalid.path("ok").asBoolean(), invalid.toString());
        assertEquals("UnprocessableEntityError", invalid.path("error").path("type").asText());
        assertEquals(422, invalid.path("status").asInt());
        assertEquals("visibility must be one of public, unlist, private",
                invalid.path("error").path("body").path("detail").get(0).path("msg").asText());

        JsonNode deleted = ok(r, "delete");
        assertEquals("ok", deleted.path("status").asText(), deleted.toString());
        JsonNode gone = r.get("get after delete");
        assertEquals("FishAudioError", gone.path("error").path("type").asText(), gone.toString());
        assertEquals(404, gone.path("status").asInt());
        assertEquals("The model does not exist.", gone.path("error").path("body").path("detail").asText());
        assertTrue(gone.path("error").path("message").asText().contains("The model does not exist."),
                "the client's own message quotes VoiceDrop's: " + gone);
        assertEquals(404, r.get("delete again").path("status").asInt());
        assertFalse(stack().simulator.model(modelId).isPresent(), "gone upstream");
    }

    @Test
    void theOfficialClientSeesAnUpstreamThatDoesNotOfferEditsAsAClearError() throws Exception {
        String jobId = Pipeline.upload("incoming/jslife " + RUN + " not offered.wav", speech(31));
        String modelId = Pipeline.awaitTerminal(jobId).path("model_id").asText();
        stack().simulator.setEdits(io.voicedrop.sim.FishSimulator.EditOffer.METHOD_NOT_ALLOWED);
        try {
            ObjectNode update = NODES.objectNode().put("name", "update").put("op", "update").put("id", modelId);
            update.putObject("request").put("title", "never");
            JsonNode r = runClient(NODES.arrayNode().add(update)).get("update");
            assertEquals("FishAudioError", r.path("error").path("type").asText(), r.toString());
            assertEquals(400, r.path("status").asInt());
            assertEquals("api_not_implemented", r.path("error").path("body").path("error").path("code").asText());
            assertTrue(r.path("error").path("body").path("detail").asText().contains("does not offer editing"),
                    r.toString());
        } finally {
            stack().simulator.setEdits(io.voicedrop.sim.FishSimulator.EditOffer.OFFERED);
        }
    }

    /**
     * The unofficial npm {@code fish-audio-sdk} 2025.11.29 builds its {@code HttpCodeError} from
     * {@code detail || message || statusText} of the body: with VoiceDrop's top-level {@code detail} string it
     * carries VoiceDrop's own message. (On a 422, {@code detail} is the list of problems the official clients read,
     * which this client turns into {@code [object Object]}: its status is still right.)
     */
    @Test
    void theUnofficialClientRaisesItsTypedErrorWithVoiceDropsMessage() throws Exception {
        String jobId = Pipeline.upload("incoming/jslife " + RUN + " unofficial.wav", speech(31));
        String modelId = Pipeline.awaitTerminal(jobId).path("model_id").asText();
        ArrayNode plan = NODES.arrayNode();
        plan.add(NODES.objectNode().put("name", "get").put("op", "get").put("id", modelId));
        ObjectNode update = NODES.objectNode().put("name", "update").put("op", "update").put("id", modelId);
        update.putObject("request").put("title", "jslife " + RUN + " unofficial renamed").putArray("tags").add("u1")
                .add("u2");
        plan.add(update);
        plan.add(NODES.objectNode().put("name", "missing").put("op", "get").put("id", "no-such-" + RUN));
        plan.add(NODES.objectNode().put("name", "delete missing").put("op", "delete").put("id", "no-such-" + RUN));
        plan.add(NODES.objectNode().put("name", "bad id").put("op", "delete").put("id", "x".repeat(200)));
        Map<String, JsonNode> r = runSdk(plan);

        assertEquals(modelId, r.get("get").path("data").path("id").asText(), r.get("get").toString());
        assertTrue(r.get("update").path("ok").asBoolean(), r.get("update").toString());
        JsonNode renamed = Pipeline.json(Pipeline.get("/fish/model/" + modelId));
        assertEquals("jslife " + RUN + " unofficial renamed", renamed.path("title").asText());
        assertEquals(List.of("u1", "u2"), tags(renamed), "repeated tags fields");
        for (String name : List.of("missing", "delete missing")) {
            JsonNode e = r.get(name).path("error");
            assertTrue(e.path("typed").asBoolean(), name + ": " + e);
            assertEquals("HttpCodeError", e.path("type").asText());
            assertEquals(404, e.path("status").asInt());
            assertEquals("404 The model does not exist.", e.path("message").asText(), name);
        }
        JsonNode badId = r.get("bad id").path("error");
        assertEquals(400, badId.path("status").asInt(), badId.toString());
        assertTrue(badId.path("message").asText().startsWith("400 the id is malformed"), badId.toString());
        JsonNode deleted = runSdk(NODES.arrayNode().add(NODES.objectNode().put("name", "delete").put("op", "delete")
                .put("id", modelId))).get("delete");
        assertTrue(deleted.path("ok").asBoolean(), deleted.toString());
        assertEquals(404, Pipeline.get("/fish/model/" + modelId).statusCode());
    }

    // ------------------------------------------------------------------------------------------------ plumbing

    /** Runs sdk-check.cjs (the unofficial npm client) with a plan; returns the results by step name. */
    private static Map<String, JsonNode> runSdk(ArrayNode plan) throws Exception {
        Path planFile = Files.createTempFile(clientDir, "sdk-plan-", ".json");
        Files.writeString(planFile, Json.write(plan));
        String baseUrl = stack().pipeline.apiBaseUrl() + "/fish";
        Result run = exec(List.of("node", "sdk-check.cjs", baseUrl, stack().apiToken, planFile.toString()),
                clientDir, Duration.ofMinutes(2));
        if (run.exit() != 0) {
            fail("node sdk-check.cjs exited with " + run.exit() + ":\n" + run.output());
        }
        String last = run.output().lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("sdk-check.cjs printed no JSON:\n" + run.output()));
        JsonNode doc = Json.MAPPER.readTree(last);
        assertEquals("2025.11.29", doc.path("clientVersion").asText(), "the pinned unofficial client ran");
        Map<String, JsonNode> byName = new LinkedHashMap<>();
        doc.path("results").forEach(res -> byName.put(res.path("name").asText(), res));
        return byName;
    }

    private static ObjectNode search(String name, Map<String, Object> request) {
        ObjectNode step = NODES.objectNode().put("name", name).put("op", "search");
        step.set("request", Json.MAPPER.valueToTree(request));
        return step;
    }

    private static JsonNode ok(Map<String, JsonNode> results, String name) {
        JsonNode r = results.get(name);
        assertTrue(r != null, "no result for " + name + ": " + results.keySet());
        assertTrue(r.path("ok").asBoolean(), name + " failed in the client: " + r);
        int status = r.path("status").asInt();
        assertTrue(status == 200 || status == 201, name + ": " + r);
        return r.path("data");
    }

    /** The query string the client actually sent, decoded, equals {@code expected} (repeats in order). */
    private static void assertQuery(Map<String, JsonNode> results, String name, Map<String, List<String>> expected) {
        String raw = URI.create(results.get(name).path("url").asText()).getRawQuery();
        Map<String, List<String>> sent = new TreeMap<>();
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            sent.computeIfAbsent(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    k -> new ArrayList<>()).add(URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        assertEquals(new TreeMap<>(expected), sent, name + ": " + raw);
    }

    private static List<String> ids(JsonNode list) {
        List<String> ids = new ArrayList<>();
        list.path("items").forEach(m -> ids.add(m.path("_id").asText()));
        return ids;
    }

    private static List<String> titles(JsonNode list) {
        List<String> titles = new ArrayList<>();
        list.path("items").forEach(m -> titles.add(m.path("title").asText()));
        return titles;
    }

    private static List<String> tags(JsonNode model) {
        List<String> tags = new ArrayList<>();
        model.path("tags").forEach(t -> tags.add(t.asText()));
        return tags;
    }

    /** The transcripts the worker sent upstream for a job (the simulator keeps every create body). */
    private static List<String> texts(String jobId) throws IOException {
        String marker = JobRunner.markerTag(jobId);
        for (String body : stack().simulator.createRequestBodies()) {
            if (body.contains(marker)) {
                List<String> texts = new ArrayList<>();
                Json.MAPPER.readTree(body).path("texts").forEach(t -> texts.add(t.asText()));
                return texts;
            }
        }
        throw new AssertionError("no create call upstream for job " + jobId);
    }

    /** Runs client-check.mjs with a plan; returns the results by step name. */
    private static Map<String, JsonNode> runClient(ArrayNode plan) throws Exception {
        Path planFile = Files.createTempFile(clientDir, "plan-", ".json");
        Files.writeString(planFile, Json.write(plan));
        String baseUrl = stack().pipeline.apiBaseUrl() + "/fish";
        Result run = exec(List.of("node", "client-check.mjs", baseUrl, stack().apiToken, planFile.toString()),
                clientDir, Duration.ofMinutes(2));
        if (run.exit() != 0) {
            fail("node client-check.mjs exited with " + run.exit() + ":\n" + run.output());
        }
        String last = run.output().lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("client-check.mjs printed no JSON:\n" + run.output()));
        JsonNode doc = Json.MAPPER.readTree(last);
        assertEquals("0.1.0", doc.path("clientVersion").asText(), "the pinned official client ran");
        Map<String, JsonNode> byName = new LinkedHashMap<>();
        doc.path("results").forEach(res -> byName.put(res.path("name").asText(), res));
        assertEquals(plan.size(), byName.size(), "one result per step: " + last);
        return byName;
    }

    // ------------------------------------------------------------------------------------------------ install

    /**
     * Copies {@code src/test/js} (without node_modules) to {@code target/js-client-<pid>} and runs {@code npm ci} there.
     * Fails, with what npm said, when node or npm is missing or the install fails.
     */
    static synchronized Path installClient() throws IOException, InterruptedException, URISyntaxException {
        if (installed == null) {
            installed = install();
        }
        return installed;
    }

    /** The installed copy, shared by the tests of this JVM that run real npm packages. */
    private static Path installed;

    private static Path install() throws IOException, InterruptedException, URISyntaxException {
        Path target = Path.of(ApiJsClientTest.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .getParent();
        Path source = target.getParent().resolve("src/test/js");
        assertTrue(Files.isRegularFile(source.resolve("package-lock.json")), "missing " + source
                + "/package-lock.json");
        // One copy per test JVM (surefire runs two side by side): two npm ci in one directory trip each other.
        Path dir = target.resolve("js-client-" + ProcessHandle.current().pid());
        if (Files.exists(dir)) {
            try (Stream<Path> old = Files.walk(dir)) {
                old.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Files.createDirectories(dir);
        try (Stream<Path> files = Files.list(source)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        for (String tool : List.of("node", "npm")) {
            Result version = exec(List.of(tool, "--version"), dir, Duration.ofSeconds(30));
            if (version.exit() != 0) {
                fail(tool + " is required by this test (Node 20 and npm, as in CI) but `" + tool
                        + " --version` failed:\n" + version.output());
            }
        }
        Path cache = target.resolve("npm-cache");
        Result install = exec(List.of("npm", "ci", "--no-audit", "--no-fund", "--cache", cache.toString(),
                "--logs-dir", cache.resolve("_logs").toString(), "--update-notifier=false"), dir,
                Duration.ofMinutes(5));
        if (install.exit() != 0) {
            fail("npm ci of the official client (fish-audio 0.1.0) failed in " + dir + " with exit code "
                    + install.exit() + ":\n" + install.output());
        }
        assertTrue(Files.isDirectory(dir.resolve("node_modules/fish-audio")), "npm ci did not install fish-audio");
        assertTrue(Files.isDirectory(dir.resolve("node_modules/fish-audio-sdk")), "npm ci did not install fish-audio-sdk");
        assertTrue(Files.isDirectory(dir.resolve("node_modules/standardwebhooks")),
                "npm ci did not install standardwebhooks");
        return dir;
    }

    record Result(int exit, String output) {
    }

    /** Runs a command; exit 127 with the reason when it cannot be started (e.g. not installed). */
    static Result exec(List<String> command, Path dir, Duration timeout) throws IOException, InterruptedException {
        Path log = Files.createTempFile("voicedrop-exec-", ".log");
        Process p;
        try {
            p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
        } catch (IOException notFound) {
            return new Result(127, "cannot run " + command.get(0) + ": " + notFound.getMessage());
        }
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            return new Result(124, "timed out after " + timeout + ": " + String.join(" ", command) + "\n"
                    + Files.readString(log));
        }
        String output = Files.readString(log);
        Files.deleteIfExists(log);
        return new Result(p.exitValue(), output);
    }
}
