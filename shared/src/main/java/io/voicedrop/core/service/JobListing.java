package io.voicedrop.core.service;

import io.voicedrop.core.model.Job;
import io.voicedrop.core.port.JobStore;
import io.voicedrop.core.port.JobStore.JobPage;
import io.voicedrop.core.port.JobStore.Position;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The jobs a caller sees, newest first, a page at a time: the deployment's own jobs (bucket uploads, visible to every
 * key) merged with the jobs the caller's owner asked for through the API. Every status and kind is included.
 *
 * <p>The store keeps each owner's jobs, and the deployment's, in their own newest-first sequence, so a page reads at
 * most {@code limit + 1} jobs from each of the two sequences and never a job of another owner: no scan, no filter.
 * The cursor remembers where each sequence stands (the last job taken from it, or that it is exhausted), so a job
 * is neither skipped nor repeated between pages. It is opaque to callers.
 */
public final class JobListing {

    /** Newest first: creation time descending, then job id descending (the order of {@link JobStore#listNewest}). */
    static final Comparator<Job> NEWEST_FIRST = Comparator.comparing(Job::createdAt)
            .thenComparing(Job::jobId).reversed();
    private static final String VERSION = "1";
    private static final String START = "";
    private static final String END = "end";

    private final JobStore jobs;

    public JobListing(JobStore jobs) {
        this.jobs = jobs;
    }

    /**
     * One page of the jobs {@code owner} sees (null: only the deployment's own).
     *
     * @param cursor the previous page's {@code nextCursor}, or null for the first page
     * @throws IllegalArgumentException when the cursor was not made by this class
     */
    public JobPage newestFirst(String owner, int limit, String cursor) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive");
        }
        Sequence[] sequences = decode(cursor, owner);
        List<Job> candidates = new ArrayList<>();
        for (Sequence s : sequences) {
            if (!s.exhausted) {
                s.read = jobs.listNewest(s.owner, limit + 1, s.after);
                candidates.addAll(s.read);
            }
        }
        candidates.sort(NEWEST_FIRST);
        List<Job> page = candidates.subList(0, Math.min(limit, candidates.size()));
        for (Sequence s : sequences) {
            if (s.exhausted) {
                continue;
            }
            List<Job> taken = s.read.stream().filter(page::contains).toList();
            if (!taken.isEmpty()) {
                s.after = Position.of(taken.get(taken.size() - 1));
            }
            // Everything the store had left was read (fewer than asked for) and all of it is on this page.
            s.exhausted = s.read.size() <= limit && taken.size() == s.read.size();
        }
        boolean more = !sequences[0].exhausted || !sequences[1].exhausted;
        return new JobPage(List.copyOf(page), more ? encode(sequences) : null);
    }

    /** One owner's sequence of jobs and where the caller stands in it. */
    private static final class Sequence {
        final String owner;
        Position after;
        boolean exhausted;
        List<Job> read = List.of();

        Sequence(String owner, Position after, boolean exhausted) {
            this.owner = owner;
            this.after = after;
            this.exhausted = exhausted;
        }
    }

    private static String encode(Sequence[] sequences) {
        String plain = VERSION + ";" + part(sequences[0]) + ";" + part(sequences[1]);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    private static String part(Sequence s) {
        if (s.exhausted) {
            return END;
        }
        if (s.after == null) {
            return START;
        }
        return s.after.createdAt().getEpochSecond() + "." + s.after.createdAt().getNano() + "."
                + Base64.getUrlEncoder().withoutPadding().encodeToString(s.after.jobId().getBytes(StandardCharsets.UTF_8));
    }

    /** The deployment's sequence first, then the owner's (exhausted from the start when there is no owner). */
    private static Sequence[] decode(String cursor, String owner) {
        if (cursor == null) {
            return new Sequence[] {new Sequence(null, null, false), new Sequence(owner, null, owner == null)};
        }
        try {
            String plain = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            String[] parts = plain.split(";", -1);
            if (parts.length != 3 || !parts[0].equals(VERSION)) {
                throw new IllegalArgumentException("invalid cursor");
            }
            Sequence own = sequence(owner, parts[2]);
            if (owner == null && !own.exhausted) {
                throw new IllegalArgumentException("invalid cursor");
            }
            return new Sequence[] {sequence(null, parts[1]), own};
        } catch (IllegalArgumentException | ArithmeticException | java.time.DateTimeException e) {
            throw new IllegalArgumentException("invalid cursor", e);
        }
    }

    private static Sequence sequence(String owner, String part) {
        if (part.equals(END)) {
            return new Sequence(owner, null, true);
        }
        if (part.equals(START)) {
            return new Sequence(owner, null, false);
        }
        String[] p = part.split("\\.", -1);
        if (p.length != 3 || p[2].isEmpty()) {
            throw new IllegalArgumentException("invalid cursor");
        }
        Instant at = Instant.ofEpochSecond(Long.parseLong(p[0]), Integer.parseInt(p[1]));
        String jobId = new String(Base64.getUrlDecoder().decode(p[2]), StandardCharsets.UTF_8);
        return new Sequence(owner, new Position(Objects.requireNonNull(at), jobId), false);
    }
}
