package io.voicedrop.api;

import io.voicedrop.core.port.JobOwnership;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Owners and claims in maps, with the Dynamo adapter's semantics. */
final class InMemoryJobOwnership implements JobOwnership {

    final Map<String, String> owners = new HashMap<>();
    private final Map<String, Object[]> claims = new HashMap<>();

    @Override
    public synchronized void recordOwner(String jobId, String owner) {
        owners.putIfAbsent(jobId, owner);
    }

    @Override
    public synchronized Optional<String> ownerOf(String jobId) {
        return Optional.ofNullable(owners.get(jobId));
    }

    @Override
    public synchronized Claim claim(String scope, String candidateJobId, String fingerprint, Instant now,
                                    Instant expiresAt) {
        Object[] c = claims.get(scope);
        if (c == null || ((Instant) c[2]).isBefore(now)) {
            claims.put(scope, new Object[] {candidateJobId, fingerprint, expiresAt});
            return new Claim(candidateJobId, fingerprint, true);
        }
        return new Claim((String) c[0], (String) c[1], false);
    }

    @Override
    public synchronized Optional<Claim> findClaim(String scope, Instant now) {
        Object[] c = claims.get(scope);
        if (c == null || ((Instant) c[2]).isBefore(now)) {
            return Optional.empty();
        }
        return Optional.of(new Claim((String) c[0], (String) c[1], false));
    }
}
