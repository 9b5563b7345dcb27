package io.voicedrop.api;

import io.micronaut.http.HttpRequest;
import io.voicedrop.core.view.JobView;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.voicedrop.core.model.Job;
import io.voicedrop.core.model.JobStatus;
import io.voicedrop.core.port.JobStore;
import io.voicedrop.core.service.JobListing;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * VoiceDrop's own job API (not part of the Fish surface).
 *
 * <p>Visibility ({@link JobAccess}): jobs from the bucket are visible to every key of the deployment; jobs created
 * with {@code POST /fish/model} only to keys of the same owner. Another owner's job is a 404, as if it did not exist,
 * and is left out of lists.
 *
 * <p>{@code GET /jobs/{id}}: the job as a {@link JobView}, or 404 {@code not_found}.
 *
 * <p>{@code GET /jobs?limit=20&cursor=...}: every job the caller sees, of every status and kind, newest first
 * (creation time), paged ({@link JobListing}). {@code GET /jobs?status=QUEUED&...}: only jobs in that status (a
 * {@link JobStatus} name, any letter case), most recently updated first. {@code limit} is 1..100, default 20;
 * {@code cursor} is the {@code next_cursor} of the previous page of the same query. Answer:
 * {@code {"items": [JobView...], "next_cursor": "..." | null}}. A bad parameter is a 400 {@code bad_request}.
 * A page may hold fewer than {@code limit} items while {@code next_cursor} is set (with a status, other owners'
 * jobs are skipped): keep following the cursor until it is null.
 */
@Controller(value = "/jobs", produces = {MediaType.APPLICATION_JSON, MediaType.ALL})
public class JobController {

    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 100;
    private static final int MAX_CURSOR_LENGTH = 4096;
    private static final int MAX_ID_LENGTH = 200;
    private static final String STATUSES =
            Arrays.stream(JobStatus.values()).map(Enum::name).collect(Collectors.joining(", "));

    private static final int MAX_ROUNDS = 5;

    private final JobStore jobs;
    private final JobAccess access;
    private final JobListing listing;

    public JobController(JobStore jobs, JobAccess access) {
        this.jobs = jobs;
        this.access = access;
        this.listing = new JobListing(jobs);
    }

    @Get("/{id}")
    public HttpResponse<String> get(HttpRequest<?> request, @PathVariable("id") String id) {
        if (id.isBlank() || id.length() > MAX_ID_LENGTH || id.startsWith("owner#") || id.startsWith("claim#")) {
            throw notFound();
        }
        Job job = jobs.find(id).filter(j -> access.canSee(j, owner(request))).orElseThrow(JobController::notFound);
        return Envelope.ok(JobView.of(job));
    }

    static String owner(HttpRequest<?> request) {
        return request.getAttribute(ApiFilter.OWNER_ATTRIBUTE, String.class).orElse(null);
    }

    @Get
    public HttpResponse<String> list(HttpRequest<?> request) {
        Map<String, List<String>> params = QueryParams.of(request);
        String rawStatus = last(params, "status");
        JobStatus status = rawStatus == null || rawStatus.isBlank() ? null : status(rawStatus);
        int limit = limit(last(params, "limit"));
        String cursor = last(params, "cursor");
        if (cursor != null && cursor.isBlank()) {
            cursor = null;
        }
        if (cursor != null && cursor.length() > MAX_CURSOR_LENGTH) {
            throw ApiException.badRequest("cursor is invalid");
        }
        String owner = owner(request);
        if (status == null) {
            return Envelope.ok(newestFirst(owner, limit, cursor));
        }
        List<Job> visible = new ArrayList<>();
        String next = cursor;
        int rounds = 0;
        do {
            JobStore.JobPage page;
            try {
                page = jobs.listByStatus(status, limit - visible.size(), next);
            } catch (IllegalArgumentException badCursor) {
                throw ApiException.badRequest("cursor is invalid");
            }
            page.jobs().stream().filter(j -> access.canSee(j, owner)).forEach(visible::add);
            next = page.nextCursor();
            rounds++;
        } while (next != null && visible.size() < limit && rounds < MAX_ROUNDS);
        return Envelope.ok(new JobView.Page(visible.stream().map(JobView::of).toList(), next));
    }

    /**
     * The caller's jobs, newest first. The listing reads only the deployment's jobs and the owner's own; the access
     * rule still runs, for API jobs stored before jobs recorded their owner (an owner record decides for those).
     */
    private JobView.Page newestFirst(String owner, int limit, String cursor) {
        JobStore.JobPage page;
        try {
            page = listing.newestFirst(owner, limit, cursor);
        } catch (IllegalArgumentException badCursor) {
            throw ApiException.badRequest("cursor is invalid");
        }
        return new JobView.Page(page.jobs().stream().filter(j -> access.canSee(j, owner)).map(JobView::of).toList(),
                page.nextCursor());
    }

    private static JobStatus status(String raw) {
        try {
            return JobStatus.valueOf(raw.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("status must be one of " + STATUSES);
        }
    }

    private static int limit(String raw) {
        if (raw == null) {
            return DEFAULT_LIMIT;
        }
        String v = raw.trim();
        if (v.isEmpty() || v.length() > 3 || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw ApiException.badRequest("limit must be between 1 and " + MAX_LIMIT);
        }
        int n = Integer.parseInt(v);
        if (n < 1 || n > MAX_LIMIT) {
            throw ApiException.badRequest("limit must be between 1 and " + MAX_LIMIT);
        }
        return n;
    }

    private static String last(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        return values == null || values.isEmpty() ? null : values.get(values.size() - 1);
    }

    private static ApiException notFound() {
        return ApiException.notFound("The job does not exist.");
    }
}
