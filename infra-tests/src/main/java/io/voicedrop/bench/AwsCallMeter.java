package io.voicedrop.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.MDC;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Counts every AWS call the local pipeline's clients make, at the SDK level: by caller (the function whose
 * invocation made it, by template id, from {@link io.voicedrop.local.LocalPipeline#invokingFunction()}; "event
 * source" for what Lambda's pollers do in AWS),
 * service and operation, with conditional-write conflicts, DynamoDB capacity units ({@link DynamoUnits}) and the
 * round-trip time of the HTTP request (the emulator's latency, queueing included). Calls made inside a worker run
 * are also tallied per job ({@code job_id}), with the worker thread's CPU time between the job's first and last
 * call: the worker's own time, without the emulator's or upstream's.
 *
 * <p>Costs nothing on the wire: it only reads what the SDK already has. Counting is on while {@link #start()}ed.
 */
public final class AwsCallMeter implements ExecutionInterceptor {

    /** Callers whose calls Lambda makes for the functions in AWS (event source mappings), or this harness. */
    public static final String EVENT_SOURCE = "event source";
    /** The worker function's template id: its calls are also tallied per job. */
    public static final String WORKER = "WorkerFunction";
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final ExecutionAttribute<Long> STARTED = new ExecutionAttribute<>("vd-meter-started");
    private static final ExecutionAttribute<Long> CPU = new ExecutionAttribute<>("vd-meter-cpu");
    private static final ExecutionAttribute<Long> SENT = new ExecutionAttribute<>("vd-meter-sent");
    private static final ExecutionAttribute<Long> ANSWERED = new ExecutionAttribute<>("vd-meter-answered");

    private static final ThreadLocal<String> LAST_JOB = new ThreadLocal<>();
    private static final ThreadLocal<Long> LAST_CPU = new ThreadLocal<>();

    private volatile boolean counting;
    private final Map<Key, Tally> calls = new ConcurrentHashMap<>();
    private final Map<String, JobTally> jobs = new ConcurrentHashMap<>();

    /** One caller's calls of one operation. */
    public record Key(String caller, String service, String operation) implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            return (caller + service + operation).compareTo(o.caller + o.service + o.operation);
        }
    }

    /** What was counted for one {@link Key}. */
    public static final class Tally {
        long calls;
        long conflicts;
        double readUnits;
        double writeUnits;
        final List<Long> roundTripMicros = new ArrayList<>();

        public synchronized long calls() { return calls; }
        public synchronized long conflicts() { return conflicts; }
        public synchronized double readUnits() { return readUnits; }
        public synchronized double writeUnits() { return writeUnits; }
        public synchronized List<Long> roundTripMicros() { return List.copyOf(roundTripMicros); }
    }

    /** The calls of one job's worker runs, and where its time went. */
    public static final class JobTally {
        long firstStartNanos = Long.MAX_VALUE;
        long lastEndNanos;
        long cpuNanos;
        long awsNanos;
        long calls;

        /** Worker thread CPU between the job's first and last call of each run, summed over its runs. */
        public synchronized long cpuNanos() { return cpuNanos; }
        /** Time inside AWS calls (round trips and the SDK's own work). */
        public synchronized long awsNanos() { return awsNanos; }
        /** From the job's first call to its last, over all its runs (includes waits for a send slot). */
        public synchronized long spanNanos() { return lastEndNanos - firstStartNanos; }
        public synchronized long calls() { return calls; }
    }

    public void start() {
        counting = true;
    }

    public void stop() {
        counting = false;
    }

    /** Forgets everything counted so far. */
    public void reset() {
        calls.clear();
        jobs.clear();
    }

    public Map<Key, Tally> calls() {
        return new TreeMap<>(calls);
    }

    public Map<String, JobTally> jobs() {
        return Map.copyOf(jobs);
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        if (counting) {
            attributes.putAttribute(STARTED, System.nanoTime());
            attributes.putAttribute(CPU, THREADS.getCurrentThreadCpuTime());
        }
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        attributes.putAttribute(SENT, System.nanoTime());
    }

    @Override
    public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
        attributes.putAttribute(ANSWERED, System.nanoTime());
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        record(context.request(), context.response(), null, attributes);
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        record(context.request(), context.response().orElse(null), context.exception(), attributes);
    }

    private void record(SdkRequest request, SdkResponse response, Throwable failure, ExecutionAttributes attributes) {
        Long started = attributes.getAttribute(STARTED);
        if (started == null) {
            return; // begun while not counting
        }
        long ended = System.nanoTime();
        String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME)
                + queueOf(request).map(q -> " " + q).orElse("");
        String caller = io.voicedrop.local.LocalPipeline.invokingFunction().orElse(MDC.get("service"));
        Key key = new Key(caller == null ? EVENT_SOURCE : caller, service, operation);
        Tally t = calls.computeIfAbsent(key, k -> new Tally());
        DynamoUnits.Units units = "DynamoDb".equals(service) ? DynamoUnits.of(request, response, failure)
                : DynamoUnits.Units.NONE;
        Long sent = attributes.getAttribute(SENT);
        Long answered = attributes.getAttribute(ANSWERED);
        synchronized (t) {
            t.calls++;
            if (isConflict(failure)) {
                t.conflicts++;
            }
            t.readUnits += units.read();
            t.writeUnits += units.write();
            if (sent != null && answered != null) {
                t.roundTripMicros.add((answered - sent) / 1000);
            }
        }
        String jobId = MDC.get("job_id");
        if (jobId != null && WORKER.equals(caller)) {
            JobTally j = jobs.computeIfAbsent(jobId, id -> new JobTally());
            long cpuNow = THREADS.getCurrentThreadCpuTime();
            // CPU since this thread's previous call when that was for the same job (one run), else this call's own.
            long cpuFrom = jobId.equals(LAST_JOB.get()) ? LAST_CPU.get() : attributes.getAttribute(CPU);
            LAST_JOB.set(jobId);
            LAST_CPU.set(cpuNow);
            synchronized (j) {
                j.calls++;
                j.firstStartNanos = Math.min(j.firstStartNanos, started);
                j.lastEndNanos = Math.max(j.lastEndNanos, ended);
                j.awsNanos += ended - started;
                j.cpuNanos += cpuNow - cpuFrom;
            }
        } else if (caller != null) {
            LAST_JOB.remove();
        }
    }

    /** SQS calls are told apart by queue (the jobs queue's receives are not the webhooks queue's idle polls). */
    private static java.util.Optional<String> queueOf(SdkRequest request) {
        return request.getValueForField("QueueUrl", String.class).map(url -> url.substring(url.lastIndexOf('/') + 1));
    }

    private static boolean isConflict(Throwable failure) {
        if (failure instanceof ConditionalCheckFailedException) {
            return true;
        }
        return failure instanceof TransactionCanceledException cancelled && cancelled.hasCancellationReasons()
                && cancelled.cancellationReasons().stream().anyMatch(r -> "ConditionalCheckFailed".equals(r.code())
                        || "TransactionConflict".equals(r.code()));
    }
}
