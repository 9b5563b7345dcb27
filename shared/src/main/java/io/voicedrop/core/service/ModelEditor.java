package io.voicedrop.core.service;

import io.voicedrop.core.model.CatalogEntry;
import io.voicedrop.core.model.Job;
import io.voicedrop.core.model.JobStatus;
import io.voicedrop.core.model.ModelChange;
import io.voicedrop.core.model.ModelEntity;
import io.voicedrop.core.port.FishApi;
import io.voicedrop.core.port.JobOwnership;
import io.voicedrop.core.port.JobStore;
import io.voicedrop.core.port.ModelCatalog;
import io.voicedrop.core.port.UpdateModelCall;
import io.voicedrop.core.port.UpstreamError;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Changes a model's details ({@code PATCH /fish/model/{id}}): title, description, visibility, tags, cover image.
 *
 * <p>The upstream is asked first and the catalog changes only after it accepted: a refused or failed edit changes
 * nothing (a cover file stored for it is removed again). The catalog then takes the model as the upstream now
 * describes it (its answer, or a free {@code GET}; if neither tells, the change applied to the stored entry), saved
 * through {@link ModelCatalog#save}, which moves the model between tag, language and title-language listings and
 * keeps their totals exact. VoiceDrop's marker tag is kept upstream whatever the new tags are, so a deletion can
 * still find every model of the voice's job.
 */
public final class ModelEditor {

    private static final Logger LOG = LoggerFactory.getLogger(ModelEditor.class);

    private final ModelCatalog catalog;
    private final JobStore jobs;
    private final JobVisibility visibility;
    private final FishApi fish;
    private final UpstreamCalls upstream;
    private final CoverStore covers;
    private final Clock clock;

    public ModelEditor(ModelCatalog catalog, JobStore jobs, JobOwnership ownership, FishApi fish,
                       UpstreamCalls upstream, CoverStore covers, Clock clock) {
        this.catalog = catalog;
        this.jobs = jobs;
        this.visibility = new JobVisibility(ownership);
        this.fish = fish;
        this.upstream = upstream;
        this.covers = covers;
        this.clock = clock;
    }

    /** What an edit came to. */
    public sealed interface Result permits Edited, NotFound, Conflict, Invalid, NotOffered, Refused, Unavailable {
    }

    /** Done: the model as the catalog now serves it. */
    public record Edited(ModelEntity model) implements Result {
    }

    /** No such model or job, or not the caller's. */
    public record NotFound() implements Result {
    }

    /** The model cannot be edited now (not created yet, being deleted); the message says why. */
    public record Conflict(String message) implements Result {
    }

    /** The change cannot work as given (checked before the upstream is asked). */
    public record Invalid(String field, String message) implements Result {
    }

    /** The upstream does not offer editing models; nothing was changed. */
    public record NotOffered(UpstreamError error) implements Result {
    }

    /** The upstream refused this change (or no longer has the model); nothing was changed. */
    public record Refused(UpstreamError error) implements Result {
    }

    /** The upstream could not be reached in time; nothing was changed; the same request may be sent again. */
    public record Unavailable(UpstreamError error) implements Result {
    }

    public Result edit(String id, String owner, ModelChange change, Instant deadline) {
        Optional<Target> found = resolve(id, owner);
        if (found.isEmpty()) {
            return new NotFound();
        }
        Target t = found.get();
        if (t.entry() == null) {
            return new Conflict("The model is not created yet (job " + t.job().status() + "); edit it once"
                    + " GET /jobs/" + t.job().jobId() + " names its model, or cancel the job with DELETE /jobs/"
                    + t.job().jobId() + ".");
        }
        String modelId = t.entry().model().id();
        String createJobId = t.entry().jobId();
        Optional<Job> deletion = jobs.find(ModelDeletion.deletionIdFor(createJobId, modelId));
        if (deletion.isPresent() && deletion.get().status() != JobStatus.FAILED) {
            return new Conflict("The model is being deleted (job " + deletion.get().jobId() + ").");
        }
        ModelEntity current = t.entry().model();
        boolean coverAfter = change.coverFile() != null
                || (change.coverImageUrl() != null ? !change.coverImageUrl().isEmpty() : !current.coverImage().isEmpty());
        String visibilityAfter = change.visibility() != null ? change.visibility() : current.visibility();
        if ("public".equals(visibilityAfter) && !coverAfter) {
            return new Invalid("cover_image", "a public model needs a cover_image");
        }
        CoverStore.Stored cover = change.coverFile() == null ? null
                : covers.store(createJobId, modelId, change.coverFile());
        String coverUrl = cover != null ? cover.url() : change.coverImageUrl();
        UpdateModelCall call = new UpdateModelCall(change.title(), change.description(), change.visibility(),
                change.tags() == null ? null : withMarker(change.tags(), createJobId), coverUrl);
        Optional<ModelEntity> answered;
        try {
            answered = upstream.call(() -> fish.update(modelId, call), deadline);
        } catch (UpstreamError e) {
            if (cover != null) {
                covers.discard(cover);
            }
            LOG.warn("upstream refused or failed an edit: status={} code={} upstream_trace_id={}", e.status(),
                    e.code(), e.traceId());
            return e.isNotOffered() ? new NotOffered(e) : e.isRetryable()
                    || e.kind() == UpstreamError.Kind.DEPLOYMENT_BLOCKED ? new Unavailable(e) : new Refused(e);
        }
        ModelEntity model = answered.filter(m -> modelId.equals(m.id()))
                .or(() -> fetch(modelId))
                .orElseGet(() -> applied(current, change, coverUrl));
        ModelEntity shown = JobRunner.userView(model);
        String titleLanguage = t.job() != null && t.job().spec().language() != null ? t.job().spec().language()
                : change.title() != null ? null : t.entry().titleLanguage();
        catalog.save(new CatalogEntry(shown, createJobId, t.entry().sourceKeys(), titleLanguage));
        return new Edited(catalog.find(modelId).map(CatalogEntry::model).orElse(shown));
    }

    private record Target(CatalogEntry entry, Job job) {
    }

    /** The model an id names (the model id, or its create job's id), if the caller may change it. */
    private Optional<Target> resolve(String id, String owner) {
        Optional<CatalogEntry> entry = catalog.find(id);
        if (entry.isPresent()) {
            Optional<Job> job = entry.get().jobId() == null ? Optional.empty() : jobs.find(entry.get().jobId());
            return visibility.canUse(entry.get(), job, owner)
                    ? Optional.of(new Target(entry.get(), job.orElse(null))) : Optional.empty();
        }
        Optional<Job> job = jobs.find(id).filter(j -> !j.isDeletion()).filter(j -> visibility.canSee(j, owner))
                .filter(j -> j.status() != JobStatus.DELETED);
        if (job.isEmpty()) {
            return Optional.empty();
        }
        Optional<CatalogEntry> model = job.get().modelId() == null ? Optional.empty()
                : catalog.find(job.get().modelId());
        return Optional.of(new Target(model.orElse(null), job.get()));
    }

    private static List<String> withMarker(List<String> tags, String createJobId) {
        List<String> all = new ArrayList<>(tags);
        if (createJobId != null) {
            all.add(JobRunner.markerTag(createJobId));
        }
        return all;
    }

    /** The model as upstream describes it after the change (a free call); empty when it cannot say. */
    private Optional<ModelEntity> fetch(String modelId) {
        try {
            return Optional.of(fish.get(modelId));
        } catch (UpstreamError e) {
            LOG.info("could not read the edited model back (status={} code={}); applying the change locally",
                    e.status(), e.code());
            return Optional.empty();
        }
    }

    private ModelEntity applied(ModelEntity m, ModelChange c, String coverUrl) {
        return new ModelEntity(m.id(), m.type(), c.title() != null ? c.title() : m.title(),
                c.description() != null ? c.description() : m.description(),
                coverUrl != null ? coverUrl : m.coverImage(), m.trainMode(), m.state(),
                c.tags() != null ? c.tags() : m.tags(), m.samples(), m.createdAt(), clock.instant().toString(),
                m.languages(), c.visibility() != null ? c.visibility() : m.visibility(), m.lockVisibility(),
                m.likeCount(), m.markCount(), m.sharedCount(), m.taskCount(), m.liked(), m.marked(), m.author());
    }
}
