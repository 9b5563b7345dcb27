package io.voicedrop.bench;

import io.voicedrop.local.LocalOptions;
import io.voicedrop.local.LocalPipeline;
import io.voicedrop.sim.FishSimulator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Cold-start benchmark of the Lambda artifacts, runnable by anyone ({@code scripts/bench-cold-start.sh}).
 * Prints figures; asserts nothing.
 *
 * <p>For every row and run, {@link FunctionLauncher} starts a FRESH JVM with Lambda's flags on only that function's
 * deployment package, constructs the handler like Lambda does (init) and sends it the function's sample event from
 * {@code events/} (first invocation). The launches of all rows are interleaved (one round = one launch of every row),
 * so load from elsewhere on the machine spreads over every row alike instead of skewing the ratios.
 *
 * <p><b>Baselines</b>: one bare handler ({@link BaselineHandler}: one DynamoDB client, one GetItem, no framework, only
 * the DynamoDB SDK on its classpath) per event type, given the same event as the functions of that type, so both
 * pay Lambda's event deserialization alike. Each function is compared with the baseline of its own event type.
 *
 * <p><b>Modes</b>: {@code cold} is an on-demand cold start; its ratio compares init + first invoke. {@code primed}
 * approximates the first request of an instance restored from a SnapStart snapshot: with
 * {@code AWS_LAMBDA_INITIALIZATION_TYPE=snap-start} the priming hook runs between init and the first invocation (as
 * before the snapshot), and the ratio compares the first invoke ONLY, against the baseline primed the way AWS
 * documents (its request run once before the snapshot): a restored instance never runs init, and restore itself is
 * not simulated (its cost grows with the snapshot, and is paid by any SnapStart function). Priming is paid once per
 * published version, not by requests, and is printed separately.
 *
 * <p>Options: {@code --runs N} (default 5, or env {@code BENCH_RUNS}), {@code --functions ingest,worker,api,notify,webhook},
 * {@code --no-primed}, {@code --xmx 900m}, {@code --jvm-arg FLAG} (repeatable: e.g. an AppCDS archive),
 * {@code --attribute} (after the table, classes and time per jar from {@code -Xlog:class+load}, see
 * {@link ClassLoadAttribution}), {@code --variant NAME=-jarPrefix,+jarPrefix} (rows with jars taken out of or added to
 * each artifact), {@code --logging-variants} (the logging backend swapped for slf4j-nop and slf4j-simple: what the
 * logging backend costs; needs {@code infra-tests/target/bench-ablation}, which the infra-tests build fills),
 * {@code --appcds} (rows started with a dynamic AppCDS archive of each function, made by a training launch).
 */
public final class ColdStartBenchmark {

    /**
     * What the logging backend costs: the same artifact with a logger that does nothing, and with a plain-text one.
     * VoiceDrop's own backend ({@code io.voicedrop.adapters.logging.JsonLogProvider}) lives in the shared jar, so a
     * variant adds the other provider and selects it ({@link #PROVIDERS}).
     */
    private static final Map<String, String> LOGGING_VARIANTS = new LinkedHashMap<>();
    /** The SLF4J provider of each jar a variant may add, chosen with {@code -Dslf4j.provider}. */
    private static final Map<String, String> PROVIDERS = Map.of("slf4j-nop", "org.slf4j.nop.NOPServiceProvider",
            "slf4j-simple", "org.slf4j.simple.SimpleServiceProvider");
    private static final int ATTRIBUTION_RUNS = 3;

    static {
        LOGGING_VARIANTS.put("nop-logger", "+slf4j-nop-");
        LOGGING_VARIANTS.put("simple-logger", "+slf4j-simple-");
    }

    /** One row of the table: a launch and the baseline row it is compared with (null for a baseline). */
    private record Spec(String name, FunctionLauncher.Launch launch, Spec baseline) {
        String mode() {
            return launch.primed() ? "primed" : "cold";
        }

        String key() {
            return (name + "-" + mode()).replace('/', '_').replace(' ', '_');
        }
    }

    private record Options(int runs, boolean primed, String xmx, List<String> functions, List<String> jvmArgs,
                           boolean attribute, Map<String, String> variants, boolean appCds) {
    }

    private final Path repo;
    private final Path work;
    private final Options options;

    private ColdStartBenchmark(Path repo, Options options) {
        this.repo = repo;
        this.work = repo.resolve("infra-tests/target/bench");
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        int runs = Integer.parseInt(System.getenv().getOrDefault("BENCH_RUNS", "5"));
        boolean primed = true;
        boolean attribute = false;
        boolean appCds = false;
        Map<String, String> variants = new LinkedHashMap<>();
        String xmx = "900m";
        List<String> functions = new ArrayList<>(FunctionLauncher.FUNCTIONS.keySet());
        List<String> jvmArgs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--no-primed" -> primed = false;
                case "--xmx" -> xmx = args[++i];
                case "--functions" -> functions = Arrays.asList(args[++i].split(","));
                case "--jvm-arg" -> jvmArgs.add(args[++i]);
                case "--attribute" -> attribute = true;
                case "--variant" -> {
                    String[] v = args[++i].split("=", 2);
                    variants.put(v[0], v[1]);
                }
                case "--logging-variants" -> variants.putAll(LOGGING_VARIANTS);
                case "--appcds" -> appCds = true;
                default -> {
                    System.err.println("usage: ColdStartBenchmark [--runs N] [--functions "
                            + String.join(",", FunctionLauncher.FUNCTIONS.keySet()) + "] [--no-primed]"
                            + " [--xmx 900m] [--jvm-arg FLAG]... [--attribute] [--variant NAME=-jarPrefix,+jarPrefix...]..."
                            + " [--logging-variants] [--appcds]");
                    System.exit(2);
                }
            }
        }
        if (runs < 1 || !FunctionLauncher.FUNCTIONS.keySet().containsAll(functions)) {
            throw new IllegalArgumentException("runs must be >= 1 and functions among " + FunctionLauncher.FUNCTIONS.keySet());
        }
        new ColdStartBenchmark(FunctionLauncher.findRepo(), new Options(runs, primed, xmx, functions,
                List.copyOf(jvmArgs), attribute, variants, appCds)).run();
    }

    private void run() throws Exception {
        long started = System.nanoTime();
        List<Spec> specs = specs();
        String loadBefore = loadAverage();
        try (FishSimulator simulator = FishSimulator.start()) {
            LocalPipeline pipeline = LocalPipeline.start(new LocalOptions(System.getenv("VOICEDROP_AWS_ENDPOINT"),
                    simulator.baseUrl(), simulator.token(), 0, 1, repo.resolve("template.yaml"), Map.of(), Map.of()));
            // Nothing in this process calls the emulator while the children are measured.
            pipeline.stopPolling();
            try (FunctionLauncher launcher = new FunctionLauncher(repo, work, pipeline, simulator.baseUrl(), options.xmx)) {
                System.out.printf(Locale.ROOT, "VoiceDrop cold-start benchmark: %d run(s) per row, median; JVM %s %s; "
                        + "flags %s -Xmx%s%s; AWS emulator: %s; %d cores; load average before: %s%n", options.runs,
                        System.getProperty("java.vm.name"), System.getProperty("java.version"),
                        String.join(" ", FunctionLauncher.LAMBDA_JVM_FLAGS), options.xmx,
                        options.jvmArgs.isEmpty() ? "" : " " + String.join(" ", options.jvmArgs), pipeline.emulatorName(),
                        Runtime.getRuntime().availableProcessors(), loadBefore);
                if (options.appCds) {
                    trainAppCds(launcher);
                }
                Map<Spec, List<FunctionLauncher.Result>> samples = new LinkedHashMap<>();
                Map<Spec, List<String>> problems = new LinkedHashMap<>();
                // Round 0 is discarded: the jars' pages are then in the OS cache for every counted run alike.
                for (int round = 0; round <= options.runs; round++) {
                    for (Spec spec : specs) {
                        FunctionLauncher.Result r = launcher.launch(spec.launch(), spec.key() + "-" + round, List.of(),
                                problems.computeIfAbsent(spec, k -> new ArrayList<>()));
                        if (round > 0 && r != null) {
                            samples.computeIfAbsent(spec, k -> new ArrayList<>()).add(r);
                        }
                    }
                }
                Map<Spec, ColdStartTable.Row> rows = new LinkedHashMap<>();
                for (Spec s : specs) {
                    rows.put(s, new ColdStartTable.Row(s.name(), s.mode(), s.launch().artifact(),
                            s.baseline() == null ? null : rows.get(s.baseline()),
                            samples.getOrDefault(s, List.of()), problems.get(s)));
                }
                ColdStartTable.print(List.copyOf(rows.values()), options.runs, work);
                if (options.attribute) {
                    attribute(launcher, specs);
                }
            } finally {
                pipeline.close();
            }
        }
        System.out.printf(Locale.ROOT, "load average after: %s (benchmark took %d s)%n", loadAverage(),
                (System.nanoTime() - started) / 1_000_000_000L);
    }

    /** Rows: the baselines, then each function cold and primed, then the variants (when asked for). */
    private List<Spec> specs() throws IOException {
        List<Spec> specs = new ArrayList<>();
        LambdaArtifact bare = FunctionLauncher.baselineArtifact(repo);
        Map<String, Spec[]> baselines = new LinkedHashMap<>();
        for (String fn : options.functions) {
            FunctionLauncher.Target base = FunctionLauncher.baselineFor(FunctionLauncher.FUNCTIONS.get(fn));
            baselines.computeIfAbsent(base.eventClass(), k -> {
                Spec cold = new Spec(base.name(), new FunctionLauncher.Launch(base, bare, false, options.jvmArgs), null);
                Spec primed = new Spec(base.name(), new FunctionLauncher.Launch(base, bare, true, options.jvmArgs), null);
                specs.add(cold);
                if (options.primed) {
                    specs.add(primed);
                }
                return new Spec[] {cold, primed};
            });
        }
        Map<String, LambdaArtifact> artifacts = new LinkedHashMap<>();
        for (String fn : options.functions) {
            artifacts.put(fn, LambdaArtifact.of(repo, FunctionLauncher.FUNCTIONS.get(fn).module(), FunctionLauncher.VERSION));
        }
        for (String fn : options.functions) {
            addRows(specs, fn, artifacts.get(fn), options.jvmArgs, baselines);
        }
        for (Map.Entry<String, String> variant : options.variants.entrySet()) {
            for (String fn : options.functions) {
                LambdaArtifact changed = artifacts.get(fn);
                List<String> flags = new ArrayList<>(options.jvmArgs);
                for (String change : variant.getValue().split(",")) {
                    String prefix = change.substring(1);
                    if (change.startsWith("-")) {
                        changed = changed.without(j -> j.startsWith(prefix));
                    } else if (change.startsWith("+")) {
                        changed = changed.with(List.of(ablationJar(prefix)));
                        PROVIDERS.forEach((jar, provider) -> {
                            if (prefix.startsWith(jar)) {
                                flags.add("-Dslf4j.provider=" + provider);
                            }
                        });
                        if (prefix.startsWith("slf4j-simple")) {
                            // slf4j-simple writes to stderr by default; Lambda ships stdout, as VoiceDrop's logger does
                            flags.add("-Dorg.slf4j.simpleLogger.logFile=System.out");
                        }
                    } else {
                        throw new IllegalArgumentException("variant " + variant.getKey() + ": '" + change
                                + "' is neither -jarPrefix nor +jarPrefix");
                    }
                }
                addRows(specs, fn + "/" + variant.getKey(), changed, flags, baselines);
            }
        }
        if (options.appCds) {
            for (String fn : options.functions) {
                List<String> flags = new ArrayList<>(options.jvmArgs);
                flags.add("-XX:SharedArchiveFile=" + appCdsArchive(fn));
                // cold only: a restored SnapStart instance loads no class from an archive
                addRows(specs, fn + "/appcds", artifacts.get(fn), flags, baselines, false);
            }
        }
        return specs;
    }

    /** The dynamic AppCDS archive of a function's artifact, written by {@link #trainAppCds}. */
    private Path appCdsArchive(String fn) {
        return work.resolve("appcds-" + fn + ".jsa");
    }

    /**
     * One training launch per function (cold) that writes the classes it loaded into a dynamic AppCDS archive at
     * exit; the {@code <fn>/appcds} rows then start with it. What AppCDS would give, measured on this JVM: Lambda's
     * runtime would need an archive made by its own JVM build (docs/architecture.md, "Cold start").
     */
    private void trainAppCds(FunctionLauncher launcher) throws Exception {
        for (String fn : options.functions) {
            Files.deleteIfExists(appCdsArchive(fn));
            FunctionLauncher.Target target = FunctionLauncher.FUNCTIONS.get(fn);
            List<String> problems = new ArrayList<>();
            List<String> flags = new ArrayList<>(options.jvmArgs);
            flags.add("-XX:ArchiveClassesAtExit=" + appCdsArchive(fn));
            launcher.launch(new FunctionLauncher.Launch(target, LambdaArtifact.of(repo, target.module(),
                    FunctionLauncher.VERSION), false, flags), fn + "-appcds-training", List.of(), problems);
            if (!Files.isRegularFile(appCdsArchive(fn))) {
                throw new IllegalStateException("no AppCDS archive for " + fn + ": " + problems);
            }
        }
    }

    private void addRows(List<Spec> specs, String name, LambdaArtifact artifact, List<String> flags,
                         Map<String, Spec[]> baselines) {
        addRows(specs, name, artifact, flags, baselines, options.primed);
    }

    private void addRows(List<Spec> specs, String name, LambdaArtifact artifact, List<String> flags,
                         Map<String, Spec[]> baselines, boolean primed) {
        FunctionLauncher.Target fn = FunctionLauncher.FUNCTIONS.get(name.replaceFirst("/.*", ""));
        Spec[] base = baselines.get(fn.eventClass());
        specs.add(new Spec(name, new FunctionLauncher.Launch(fn, artifact, false, flags), base[0]));
        if (primed) {
            specs.add(new Spec(name, new FunctionLauncher.Launch(fn, artifact, true, flags), base[1]));
        }
    }

    /** A jar the infra-tests build copied into target/bench-ablation for the variants (see its pom). */
    private Path ablationJar(String prefix) throws IOException {
        Path ablation = repo.resolve("infra-tests/target/bench-ablation");
        if (!Files.isDirectory(ablation)) {
            throw new IllegalStateException("no " + ablation + ": build infra-tests first (./mvnw -B -q package -DskipTests)");
        }
        try (Stream<Path> files = Files.list(ablation)) {
            List<Path> jar = files.filter(f -> f.getFileName().toString().startsWith(prefix)).toList();
            if (jar.size() != 1) {
                throw new IllegalStateException("expected one jar " + prefix + "* in " + ablation + ", found " + jar);
            }
            return jar.get(0);
        }
    }

    /** The attribution runs: a few more launches per row with the class-loading log on, then one table per row. */
    private void attribute(FunctionLauncher launcher, List<Spec> specs) throws Exception {
        List<String> harnessJars = launcher.harnessJars();
        for (Spec spec : specs) {
            List<ClassLoadAttribution.Run> runs = new ArrayList<>();
            List<String> problems = new ArrayList<>();
            for (int i = 1; i <= ATTRIBUTION_RUNS; i++) {
                Path log = work.resolve(spec.key() + "-" + (100 + i) + ".classload.log");
                Files.deleteIfExists(log);
                if (launcher.launch(spec.launch(), spec.key() + "-" + (100 + i), List.of(ClassLoadAttribution.jvmFlag(log)),
                        problems) != null) {
                    runs.add(ClassLoadAttribution.read(log, harnessJars, spec.launch().primed()));
                }
            }
            if (runs.isEmpty()) {
                System.out.println("no attribution for " + spec.key() + ": " + problems);
                continue;
            }
            ClassLoadAttribution.print(spec.name() + " " + spec.mode(), ClassLoadAttribution.sum(runs), runs.size(),
                    spec.launch().artifact().jars(), spec.launch().primed());
        }
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
