package io.voicedrop.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.voicedrop.core.view.JobView;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.voicedrop.adapters.json.Json;
import io.voicedrop.core.port.UploadFormSigner.UploadForm;
import io.voicedrop.core.service.BrowserUploads;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Uploads straight from a browser to the bucket ({@link BrowserUploads}), VoiceDrop's own endpoints:
 *
 * <p>{@code POST /uploads} with the manifest fields and the files to come
 * ({@code {"title", "description", "tags", "language", "visibility", "enhance_audio_quality", "strict",
 * "files": [{"name", "size", "text"}]}}) answers 201 with one signed form per file, keys chosen here, and the exact
 * {@code model.json} to post last with its own form. What can be known before any byte moves is checked first: a
 * request that cannot work is a 422 with every reason ({@code detail} items), and nothing is signed. The answer is
 * a credential (signed forms): {@code Cache-Control: no-store}.
 *
 * <p>{@code GET /uploads/{id}}: where the upload stands: {@code waiting_for_manifest}, {@code waiting_for_ingest},
 * or {@code job} with the job exactly as {@code GET /jobs/{id}} shows it (its warnings and, when rejected, every
 * reason: the pipeline's checks before billing).
 */
@Controller(value = "/uploads", produces = {MediaType.APPLICATION_JSON, MediaType.ALL})
public class UploadController {

    private static final Set<String> FIELDS = Set.of("title", "description", "tags", "language", "visibility",
            "enhance_audio_quality", "strict", "files");
    private static final Set<String> FILE_FIELDS = Set.of("name", "size", "text");
    private static final int MAX_FILES_READ = 1000;

    private final BrowserUploads uploads;

    public UploadController(BrowserUploads uploads) {
        this.uploads = uploads;
    }

    @Post(consumes = MediaType.ALL)
    public HttpResponse<String> create(HttpRequest<?> request) {
        RequestBody body = RequestBody.of(request);
        if (!body.mediaType().equals("application/json")) {
            throw new ApiException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
                    "Send the upload request as application/json.");
        }
        BrowserUploads.Plan plan;
        try {
            plan = uploads.plan(parse(body.bytes()));
        } catch (BrowserUploads.Refused refused) {
            throw ApiException.invalid(refused.problems().stream()
                    .map(p -> new FieldProblem(p.field(), p.message())).toList());
        }
        List<FileForm> files = plan.files().stream().map(f -> new FileForm(f.name(), f.key(), f.contentType(),
                f.sizeBytes(), Form.of(f.form()))).toList();
        Created created = new Created(plan.uploadId(), plan.folder(), plan.expiresAt().toString(), plan.statusKey(),
                files, new ManifestForm(plan.manifestKey(), plan.manifest(), Form.of(plan.manifestForm())));
        return HttpResponse.<String>status(HttpStatus.CREATED).body(Json.write(created))
                .contentType(MediaType.APPLICATION_JSON_TYPE)
                .header(HttpHeaders.LOCATION, "/uploads/" + plan.uploadId())
                .header(HttpHeaders.CACHE_CONTROL, "no-store");
    }

    @Get("/{id}")
    public HttpResponse<String> progress(@PathVariable("id") String id) {
        BrowserUploads.Progress p;
        try {
            p = uploads.progress(id);
        } catch (IllegalArgumentException notOurs) {
            throw ApiException.notFound("The upload does not exist.");
        }
        return Envelope.ok(new Progress(p.uploadId(), p.folder(), p.manifestKey(),
                        p.stage().name().toLowerCase(Locale.ROOT), p.job().map(JobView::of).orElse(null)))
                .header(HttpHeaders.CACHE_CONTROL, "no-store");
    }

    /** The JSON body, with every problem of shape collected (unknown fields, wrong types) before anything else. */
    static BrowserUploads.Request parse(byte[] bytes) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw ApiException.badRequest("the body is not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw ApiException.badRequest("the body must be a JSON object");
        }
        List<FieldProblem> problems = new ArrayList<>();
        unknown(root, FIELDS, "", problems);
        String title = text(root, "title", problems);
        String description = text(root, "description", problems);
        String language = text(root, "language", problems);
        String visibility = text(root, "visibility", problems);
        Boolean enhance = bool(root, "enhance_audio_quality", problems);
        Boolean strict = bool(root, "strict", problems);
        List<String> tags = null;
        JsonNode t = root.get("tags");
        if (t != null && !t.isNull()) {
            if (!t.isArray()) {
                problems.add(new FieldProblem("tags", "tags must be an array of strings"));
            } else {
                tags = new ArrayList<>();
                for (JsonNode tag : t) {
                    if (!tag.isTextual()) {
                        problems.add(new FieldProblem("tags", "tags must be an array of strings"));
                        break;
                    }
                    tags.add(tag.asText());
                }
            }
        }
        List<BrowserUploads.FileRequest> files = new ArrayList<>();
        JsonNode f = root.get("files");
        if (f != null && !f.isNull() && !f.isArray()) {
            problems.add(new FieldProblem("files", "files must be an array of {name, size, text}"));
        } else if (f != null && f.size() > MAX_FILES_READ) {
            problems.add(new FieldProblem("files", "files has far too many entries"));
        } else if (f != null) {
            for (int i = 0; i < f.size(); i++) {
                JsonNode item = f.get(i);
                String field = "files[" + i + "]";
                if (!item.isObject()) {
                    problems.add(new FieldProblem(field, field + " must be an object {name, size, text}"));
                    continue;
                }
                unknown(item, FILE_FIELDS, field + ".", problems);
                JsonNode size = item.get("size");
                if (size == null || !size.canConvertToLong() || !size.isIntegralNumber()) {
                    problems.add(new FieldProblem(field, field + ".size must be the file's size in bytes"));
                }
                JsonNode name = item.get("name");
                JsonNode text = item.get("text");
                if (name == null || !name.isTextual()) {
                    problems.add(new FieldProblem(field, field + ".name must be the file's name"));
                }
                if (text != null && !text.isNull() && !text.isTextual()) {
                    problems.add(new FieldProblem(field, field + ".text must be a string"));
                }
                files.add(new BrowserUploads.FileRequest(name != null && name.isTextual() ? name.asText() : "",
                        size != null && size.isIntegralNumber() ? size.asLong() : 0,
                        text != null && text.isTextual() ? text.asText() : null));
            }
        }
        if (!problems.isEmpty()) {
            throw ApiException.invalid(problems);
        }
        return new BrowserUploads.Request(title, description, tags, language, visibility, enhance, strict, files);
    }

    private static void unknown(JsonNode node, Set<String> allowed, String prefix, List<FieldProblem> problems) {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String n = names.next();
            if (!allowed.contains(n)) {
                problems.add(new FieldProblem(prefix.isEmpty() ? n : prefix.substring(0, prefix.length() - 1),
                        prefix + n + " is not a field of an upload request (allowed: "
                                + String.join(", ", allowed.stream().sorted().toList()) + ")"));
            }
        }
    }

    private static String text(JsonNode root, String name, List<FieldProblem> problems) {
        JsonNode v = root.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            problems.add(new FieldProblem(name, name + " must be a string"));
            return null;
        }
        return v.asText();
    }

    private static Boolean bool(JsonNode root, String name, List<FieldProblem> problems) {
        JsonNode v = root.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isBoolean()) {
            problems.add(new FieldProblem(name, name + " must be true or false"));
            return null;
        }
        return v.booleanValue();
    }

    record Form(@JsonProperty("url") String url, @JsonProperty("fields") Map<String, String> fields) {
        static Form of(UploadForm f) {
            return new Form(f.url(), f.fields());
        }
    }

    record FileForm(@JsonProperty("name") String name, @JsonProperty("key") String key,
                    @JsonProperty("content_type") String contentType, @JsonProperty("size") long size,
                    @JsonProperty("form") Form form) {
    }

    record ManifestForm(@JsonProperty("key") String key, @JsonProperty("content") String content,
                        @JsonProperty("form") Form form) {
    }

    record Created(@JsonProperty("upload_id") String uploadId, @JsonProperty("folder") String folder,
                   @JsonProperty("expires_at") String expiresAt, @JsonProperty("status_key") String statusKey,
                   @JsonProperty("files") List<FileForm> files, @JsonProperty("manifest") ManifestForm manifest) {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Progress(@JsonProperty("upload_id") String uploadId, @JsonProperty("folder") String folder,
                    @JsonProperty("manifest_key") String manifestKey, @JsonProperty("stage") String stage,
                    @JsonProperty("job") JobView job) {
    }
}
