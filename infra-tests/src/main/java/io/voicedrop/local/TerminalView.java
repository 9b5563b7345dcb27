package io.voicedrop.local;

import io.voicedrop.core.model.Job;
import io.voicedrop.core.model.JobError;
import io.voicedrop.core.model.UrlRedaction;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * What the local runner shows people while it runs: one line per job transition, carrying the job's path so far,
 * the last one telling the whole story,
 * <pre>
 * incoming/alice/ → QUEUED
 * incoming/alice/ → QUEUED → RUNNING
 * incoming/alice/ → QUEUED → RUNNING → SUCCEEDED  model 18e4… (3.2 s)
 * </pre>
 * with the reasons of a rejection and the warnings of an accepted upload on indented lines below. When more than
 * {@value #BUSY} jobs are in flight, the lines of jobs still on their way give way to a progress line (at most one
 * per {@link #tick}, and only when it changed); the line of a job that ends is always shown.
 *
 * <p>Fed with every job as stored ({@link ObservedJobStore}); any status, including ones added later, is shown by
 * its name. Free text passes through {@link UrlRedaction}: an upstream message may quote a presigned URL.
 */
final class TerminalView implements Consumer<Job> {

    /** Above this many jobs in flight, progress is summed up instead of shown job by job. */
    static final int BUSY = 5;

    private final PrintStream out;
    private final Clock clock;
    private final Map<String, Tracked> jobs = new LinkedHashMap<>();
    private String lastProgress = "";

    /** A job as the view knows it: the statuses it went through, and its last stored state. */
    private static final class Tracked {
        final List<String> path = new ArrayList<>();
        Job last;
    }

    TerminalView(PrintStream out, Clock clock) {
        this.out = out;
        this.clock = clock;
    }

    /** Prints a line as it is (the start-up lines, the demo's own lines). */
    synchronized void say(String line) {
        out.println(line);
        out.flush();
    }

    @Override
    public synchronized void accept(Job job) {
        Tracked t = jobs.computeIfAbsent(job.jobId(), id -> new Tracked());
        t.last = job;
        String status = String.valueOf(job.status());
        if (!t.path.isEmpty() && t.path.get(t.path.size() - 1).equals(status)) {
            return; // a write that did not change the status (history, lease, enqueued flag)
        }
        t.path.add(status);
        boolean ended = job.status() != null && job.status().isTerminal();
        if (ended || inFlight() <= BUSY) {
            out.println(line(job, t.path));
            details(job, t.path.size() == 1).forEach(d -> out.println("    " + d));
            out.flush();
        }
        notifyAll();
    }

    /** Prints the progress line if many jobs are in flight and it changed since the last one. */
    synchronized void tick() {
        long inFlight = inFlight();
        if (inFlight <= BUSY) {
            lastProgress = "";
            return;
        }
        Map<String, Integer> going = new TreeMap<>();
        Map<String, Integer> ended = new TreeMap<>();
        for (Tracked t : jobs.values()) {
            boolean done = t.last.status() != null && t.last.status().isTerminal();
            (done ? ended : going).merge(String.valueOf(t.last.status()), 1, Integer::sum);
        }
        String progress = "… " + inFlight + " jobs in flight (" + counts(going) + ")"
                + (ended.isEmpty() ? "" : "; ended so far: " + counts(ended));
        if (!progress.equals(lastProgress)) {
            lastProgress = progress;
            out.println(progress);
            out.flush();
        }
    }

    /** Waits until the job has ended, or {@code timeout} passed; the job as last stored, if it ended. */
    synchronized Optional<Job> awaitEnd(String jobId, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Tracked t = jobs.get(jobId);
            if (t != null && t.last.status() != null && t.last.status().isTerminal()) {
                return Optional.of(t.last);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return Optional.empty();
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    private long inFlight() {
        return jobs.values().stream().filter(t -> t.last.status() == null || !t.last.status().isTerminal()).count();
    }

    private static String counts(Map<String, Integer> byStatus) {
        List<String> parts = new ArrayList<>();
        byStatus.forEach((status, n) -> parts.add(n + " " + status));
        return String.join(", ", parts);
    }

    private String line(Job job, List<String> path) {
        String detail = switch (String.valueOf(job.status())) {
            case "SUCCEEDED" -> "  model " + shortId(job.modelId()) + " (" + took(job) + ")";
            case "TRAINING" -> "  model " + shortId(job.modelId()) + " is training upstream";
            case "RETRY_WAIT" -> "  " + error(job.error()) + nextAttempt(job);
            case "FAILED" -> "  " + error(job.error()) + " (" + took(job) + ", " + attempts(job) + ")";
            case "REJECTED" -> "  nothing billed";
            default -> "";
        };
        return label(job) + " → " + String.join(" → ", path) + detail;
    }

    /** The reasons of a rejection; an accepted upload's warnings, once, with its first line. */
    private static List<String> details(Job job, boolean first) {
        List<String> lines = new ArrayList<>();
        if (String.valueOf(job.status()).equals("REJECTED")) {
            List<String> reasons = job.reasons().isEmpty() && job.error() != null
                    ? List.of(job.error().message()) : job.reasons();
            reasons.forEach(r -> lines.add("· " + UrlRedaction.clean(r)));
        } else if (first) {
            job.warnings().forEach(w -> lines.add("warning: " + UrlRedaction.clean(w)));
        }
        return lines;
    }

    /** What people call the job: the upload it came from. */
    static String label(Job job) {
        List<String> keys = job.sourceKeys();
        if (!keys.isEmpty()) {
            String key = keys.get(keys.size() - 1);
            if (key.endsWith("/model.json")) {
                return key.substring(0, key.length() - "model.json".length());
            }
            if (key.startsWith("uploads/")) {
                String title = job.spec() == null ? "" : job.spec().title();
                return "POST /fish/model \"" + UrlRedaction.clean(title) + "\"";
            }
            if (keys.size() == 1) {
                return key;
            }
        }
        String title = job.spec() == null || job.spec().title() == null ? "" : " \"" + job.spec().title() + "\"";
        return "job " + shortId(job.jobId()) + title;
    }

    private String nextAttempt(Job job) {
        if (job.nextAttemptAt() == null) {
            return "";
        }
        long seconds = Math.max(0, Duration.between(clock.instant(), job.nextAttemptAt()).toSeconds());
        return "; next attempt in " + seconds + " s";
    }

    private static String error(JobError e) {
        if (e == null) {
            return "";
        }
        String status = e.httpStatus() == null ? "" : "upstream " + e.httpStatus() + " ";
        return status + e.code() + (e.message() == null ? "" : ": " + UrlRedaction.clean(e.message()));
    }

    private static String attempts(Job job) {
        return job.attempts() == 1 ? "1 attempt" : job.attempts() + " attempts";
    }

    private static String took(Job job) {
        Instant from = job.createdAt();
        Instant to = job.updatedAt();
        if (from == null || to == null) {
            return "?";
        }
        Duration d = Duration.between(from, to);
        if (d.toSeconds() < 60) {
            return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
        }
        return d.toMinutes() + " min " + d.toSecondsPart() + " s";
    }

    static String shortId(String id) {
        if (id == null) {
            return "?";
        }
        return id.length() <= 6 ? id : id.substring(0, 4) + "…";
    }
}
