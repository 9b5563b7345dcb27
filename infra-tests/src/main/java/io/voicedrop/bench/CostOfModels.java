package io.voicedrop.bench;

import io.voicedrop.local.CfnTemplate;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The AWS bill of 1,000 models, from what the benchmark measured: calls, capacity units and invocation durations
 * per model (the drain's worker and notify figures, plus ingest for a bucket upload or the API for a
 * {@code POST /fish/model}), priced at the list prices below. Durations are this machine's against the local
 * emulator and the simulator's latency; the printout says which assumptions the figures rest on.
 */
final class CostOfModels {

    static final String PRICES = "AWS list prices, us-east-1, arm64, on-demand, no free tier; as published on "
            + "aws.amazon.com/{lambda,dynamodb,sqs,s3,eventbridge,api-gateway,secrets-manager}/pricing in 2025 "
            + "(DynamoDB after its 1 Nov 2024 on-demand price cut); not re-checked online from this machine";

    static final double LAMBDA_GB_SECOND = 0.0000133334;
    static final double LAMBDA_REQUEST = 0.20 / 1e6;
    static final double DYNAMO_WRU = 0.625 / 1e6;
    static final double DYNAMO_RRU = 0.125 / 1e6;
    static final double SQS_REQUEST = 0.40 / 1e6;
    static final double S3_PUT = 0.005 / 1000;
    static final double S3_GET = 0.0004 / 1000;
    static final double S3_GB_MONTH = 0.023;
    static final double TRANSFER_OUT_GB = 0.09;
    static final double EVENTBRIDGE_EVENT = 1.00 / 1e6;
    static final double HTTP_API_REQUEST = 1.00 / 1e6;
    static final double SECRETS_CALL = 0.05 / 10_000;

    private static final Set<String> S3_PUT_CLASS = Set.of("PutObject", "CopyObject", "PostObject", "ListObjects",
            "ListObjectsV2", "ListObjectVersions", "CreateMultipartUpload", "UploadPart", "CompleteMultipartUpload");
    private static final int MODELS = 1000;

    private CostOfModels() {
    }

    /** One way in: whose calls count, per model. */
    private record Path1(String name, UploadCosts.Phase phase, String function, String shortName) {
    }

    static void print(WorkerDrainBenchmark.DrainResult drain, UploadCosts.Measured up,
                      WorkerDrainBenchmark.Settings s) {
        double memoryGb = memoryMb() / 1024.0;
        List<Path1> paths = List.of(new Path1("bucket upload", up.bucket(), "IngestFunction", "ingest"),
                new Path1("API upload", up.api(), "ApiFunction", "api"));
        System.out.printf("%nWhat 1,000 models cost in AWS (%s)%n", PRICES);
        System.out.printf("  per model: %.1f MB of samples (--sample-mb), kept %d months (--retention-months), one "
                + "sample file; Lambda memory %.0f MB (template); durations measured here (upstream latency %d ms)%n",
                s.sampleMb(), s.retentionMonths(), memoryGb * 1024, s.latencyMs());
        List<List<Row>> columns = new ArrayList<>();
        for (Path1 p : paths) {
            columns.add(rows(drain, p, s, memoryGb));
        }
        System.out.printf("  %-44s %-20s | %-26s | %-26s%n", "item", "list price", paths.get(0).name(),
                paths.get(1).name());
        double[] totals = new double[2];
        for (int i = 0; i < columns.get(0).size(); i++) {
            Row a = columns.get(0).get(i);
            Row b = columns.get(1).get(i);
            totals[0] += a.usd();
            totals[1] += b.usd();
            System.out.printf("  %-44s %-20s | %14s  $%8.4f | %14s  $%8.4f%n", a.item(), a.price(), units(a.units()),
                    a.usd(), units(b.units()), b.usd());
        }
        System.out.printf("  %-44s %-20s | %14s  $%8.4f | %14s  $%8.4f%n", "total for 1,000 models", "", "",
                totals[0], "", totals[1]);
        System.out.println("  Not per model: Secrets Manager secrets ($0.40 per secret-month, 2 secrets), CloudWatch "
                + "alarms and log storage, the SQS pollers' empty receives while idle, DynamoDB storage (a few KB "
                + "per model).");
    }

    private record Row(String item, String price, double units, double usd) {
    }

    private static List<Row> rows(WorkerDrainBenchmark.DrainResult drain, Path1 path, WorkerDrainBenchmark.Settings s,
                                  double memoryGb) {
        int n = drain.jobs();
        int u = path.phase().uploads();
        Map<AwsCallMeter.Key, AwsCallMeter.Tally> worker = drain.calls();
        Map<AwsCallMeter.Key, AwsCallMeter.Tally> entry = path.phase().calls();
        Predicate<AwsCallMeter.Key> workerSide = k -> k.caller().equals("WorkerFunction")
                || k.caller().equals("NotifyFunction") || jobsQueuePoller(k);
        Predicate<AwsCallMeter.Key> entrySide = k -> k.caller().equals(path.function());

        List<Row> rows = new ArrayList<>();
        Invocations.Stats w = drain.invocations().getOrDefault("WorkerFunction", none());
        Invocations.Stats no = drain.invocations().getOrDefault("NotifyFunction", none());
        Invocations.Stats in = path.phase().invocations().getOrDefault(path.function(), none());
        double requests = MODELS * ((double) w.invocations() / n + (double) no.invocations() / n
                + (double) in.invocations() / u);
        rows.add(new Row("Lambda requests (worker, notify, " + path.shortName() + ")", "$0.20 / M",
                requests, requests * LAMBDA_REQUEST));
        double workerGbs = MODELS * w.totalSeconds() / n * memoryGb;
        rows.add(new Row("Lambda worker GB-s (waits for slot + upstream)", "$0.0000133334/GB-s", workerGbs,
                workerGbs * LAMBDA_GB_SECOND));
        double notifyGbs = MODELS * no.totalSeconds() / n * memoryGb;
        rows.add(new Row("Lambda notify GB-s", "$0.0000133334/GB-s", notifyGbs, notifyGbs * LAMBDA_GB_SECOND));
        double entryGbs = MODELS * in.totalSeconds() / u * memoryGb;
        rows.add(new Row("Lambda " + path.shortName() + " GB-s"
                + (path.shortName().equals("api") ? " (waits for the create)" : ""), "$0.0000133334/GB-s",
                entryGbs, entryGbs * LAMBDA_GB_SECOND));
        double wru = MODELS * (sum(worker, workerSide, "DynamoDb", AwsCallMeter.Tally::writeUnits) / n
                + sum(entry, entrySide, "DynamoDb", AwsCallMeter.Tally::writeUnits) / u);
        rows.add(new Row("DynamoDB write request units", "$0.625 / M WRU", wru, wru * DYNAMO_WRU));
        double rru = MODELS * (sum(worker, workerSide, "DynamoDb", AwsCallMeter.Tally::readUnits) / n
                + sum(entry, entrySide, "DynamoDb", AwsCallMeter.Tally::readUnits) / u);
        rows.add(new Row("DynamoDB read request units", "$0.125 / M RRU", rru, rru * DYNAMO_RRU));
        double sqs = MODELS * (sum(worker, workerSide, "Sqs", t -> t.calls()) / n
                + sum(entry, entrySide, "Sqs", t -> t.calls()) / u);
        rows.add(new Row("SQS requests", "$0.40 / M", sqs, sqs * SQS_REQUEST));
        // The user's own PUT of the sample (bucket uploads; the API stores it itself, counted in its calls).
        double userPut = path.shortName().equals("ingest") ? 1 : 0;
        double puts = MODELS * (s3(worker, workerSide, true) / n + s3(entry, entrySide, true) / u + userPut);
        rows.add(new Row("S3 PUT/LIST requests", "$0.005 / 1,000", puts, puts * S3_PUT));
        // Upstream downloads each sample once per create, through its presigned URL: a GET billed to the bucket.
        double gets = MODELS * (s3(worker, workerSide, false) / n + s3(entry, entrySide, false) / u + 1);
        rows.add(new Row("S3 GET/HEAD requests (ours + upstream's)", "$0.0004 / 1,000", gets, gets * S3_GET));
        double gbMonths = MODELS * s.sampleMb() / 1024 * s.retentionMonths();
        rows.add(new Row("S3 storage of samples, GB-months", "$0.023 / GB-month", gbMonths, gbMonths * S3_GB_MONTH));
        double outGb = MODELS * s.sampleMb() / 1024;
        rows.add(new Row("Data out: upstream downloads samples, GB", "$0.09 / GB", outGb, outGb * TRANSFER_OUT_GB));
        double events = MODELS * (sum(worker, workerSide, "EventBridge", t -> t.calls()) / n
                + sum(entry, entrySide, "EventBridge", t -> t.calls()) / u);
        rows.add(new Row("EventBridge events (job state changes)", "$1.00 / M", events, events * EVENTBRIDGE_EVENT));
        double http = path.shortName().equals("api") ? MODELS * (double) in.invocations() / u : 0;
        rows.add(new Row("API Gateway HTTP API requests", "$1.00 / M", http, http * HTTP_API_REQUEST));
        double secrets = MODELS * (sum(worker, workerSide, "Secrets Manager", t -> t.calls()) / n
                + sum(entry, entrySide, "Secrets Manager", t -> t.calls()) / u);
        rows.add(new Row("Secrets Manager calls (token, cached)", "$0.05 / 10,000", secrets, secrets * SECRETS_CALL));
        return rows;
    }

    /** The jobs queue's receives and deletes, which Lambda's event source makes for the worker. */
    private static boolean jobsQueuePoller(AwsCallMeter.Key k) {
        return k.caller().equals(AwsCallMeter.EVENT_SOURCE) && k.service().equals("Sqs")
                && k.operation().endsWith(" JobsQueue");
    }

    private static double sum(Map<AwsCallMeter.Key, AwsCallMeter.Tally> calls, Predicate<AwsCallMeter.Key> who,
                              String service, java.util.function.ToDoubleFunction<AwsCallMeter.Tally> what) {
        return calls.entrySet().stream().filter(e -> who.test(e.getKey()) && e.getKey().service().equals(service))
                .mapToDouble(e -> what.applyAsDouble(e.getValue())).sum();
    }

    private static double s3(Map<AwsCallMeter.Key, AwsCallMeter.Tally> calls, Predicate<AwsCallMeter.Key> who,
                             boolean putClass) {
        return calls.entrySet().stream().filter(e -> who.test(e.getKey()) && e.getKey().service().equals("S3")
                        && S3_PUT_CLASS.contains(e.getKey().operation()) == putClass)
                .mapToDouble(e -> e.getValue().calls()).sum();
    }

    private static Invocations.Stats none() {
        return new Invocations.Stats(0, 0, List.of());
    }

    private static String units(double v) {
        return v >= 100 ? String.format("%,.0f", v) : String.format("%,.2f", v);
    }

    /** The functions' memory: the template's Globals (no function sets its own). */
    @SuppressWarnings("unchecked")
    private static double memoryMb() {
        CfnTemplate t = new CfnTemplate(Path.of("template.yaml"), "voicedrop", "us-east-1", Map.of());
        Object v = ((Map<String, Object>) t.section("Globals").getOrDefault("Function", Map.of())).get("MemorySize");
        return v == null ? 128 : Double.parseDouble(v.toString());
    }
}
