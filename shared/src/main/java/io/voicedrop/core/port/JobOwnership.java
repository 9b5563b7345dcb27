package io.voicedrop.core.port;

import java.time.Instant;
import java.util.Optional;

/**
 * Who created a job through the API, and which request created it.
 *
 * <p>Jobs made from the bucket (S3 drop) belong to the deployment and have no record here. A job created with
 * {@code POST /fish/model} gets an owner record (the API key's owner) before the job itself is written, so an
 * API job is never visible without its owner being known.
 *
 * <p>Request claims make {@code POST /fish/model} idempotent: the first request of a scope (an
 * {@code Idempotency-Key}, or the exact request body) binds a job id to it; every later request of that scope, while
 * the claim lives, gets the same job id back.
 */
public interface JobOwnership {

    /** Records {@code owner} as the owner of {@code jobId}. Idempotent; never changes an existing owner. */
    void recordOwner(String jobId, String owner);

    /** The owner of an API-created job; empty for a bucket job (or an unknown id). */
    Optional<String> ownerOf(String jobId);

    /**
     * Binds {@code candidateJobId} to {@code scope} unless a live claim exists, atomically.
     *
     * @param scope       opaque, fixed-length identity of the request scope (already hashed, includes the owner)
     * @param fingerprint identity of the request content, to tell a replay from a different request with the same key
     * @param expiresAt   when the claim ends (a later request of the same scope then makes a new job)
     * @return the claim now in force: ours ({@code fresh}) or the earlier one
     */
    Claim claim(String scope, String candidateJobId, String fingerprint, Instant now, Instant expiresAt);

    /**
     * The live claim of {@code scope}, without making one: lets a repeated request be answered before any of its
     * voices are downloaded again.
     */
    Optional<Claim> findClaim(String scope, Instant now);

    /**
     * @param fresh true when this call made the claim
     */
    record Claim(String jobId, String fingerprint, boolean fresh) {
    }
}
