package io.voicedrop.core.service;

import io.voicedrop.core.model.Job;
import io.voicedrop.core.model.Sample;
import io.voicedrop.core.port.SampleUrlSigner;
import io.voicedrop.core.port.SampleUrlSigner.SignedUrl;
import java.time.Duration;
import java.util.List;

/**
 * Short-lived links to the recordings a model was made from, so that a person can listen to them (the console's
 * {@code <audio>} elements). Each link is pinned to the exact object version ingest checked, like the URLs the worker
 * hands upstream, and lives {@link #EXPIRY}: long enough to play a sample through, short for a credential.
 */
public final class SampleLinks {

    public static final Duration EXPIRY = Duration.ofMinutes(15);

    private final SampleUrlSigner signer;

    public SampleLinks(SampleUrlSigner signer) {
        this.signer = signer;
    }

    /** One sample of a job with its link. */
    public record Link(String name, String key, long sizeBytes, String text, SignedUrl url) {
    }

    public List<Link> of(Job job) {
        return job.samples().stream().map(s -> link(job.bucket(), s)).toList();
    }

    private Link link(String bucket, Sample s) {
        return new Link(UploadLayout.fileName(s.key()), s.key(), s.sizeBytes(), s.text() == null ? "" : s.text(),
                signer.sign(bucket, s.key(), s.versionId(), EXPIRY));
    }
}
