package io.voicedrop.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What each jar of an artifact costs at start-up, read from the JVM's own class-loading log of a benchmark run
 * ({@code -Xlog:class+load} with nanosecond uptime stamps) and the phase marks {@link HandlerHarness} leaves in it.
 *
 * <p><b>Classes</b> are exact: each class names the jar it came from (a lambda or hidden class counts for the jar of
 * its host class). <b>Time</b> is an attribution, not a profile: the time between two consecutive class loads is
 * charged to the jar of the second one, and when that is a JDK class, to the last application jar that loaded a
 * class before it (the library whose code was running and pulled the JDK class in: log4j parsing its XML
 * configuration charges the JDK's XML parser to log4j-core). Time spent without loading any class (a network call, a
 * computation) goes to the jar that loaded the last class, so a jar's figure includes the code it runs right after
 * loading. Summed over all jars it is the whole phase, which makes the shares comparable.
 */
final class ClassLoadAttribution {

    /** The JVM, before the harness's main class: JVM boot, the launcher, the JDK's own start-up classes. */
    static final String JVM = "(JVM boot)";
    /** Classes from the JDK (jrt:, the default CDS archive, generated lambda forms and proxies). */
    static final String JDK = "(JDK)";
    /** The part of the Lambda runtime the benchmark plays: harness classes and Lambda's event serializer. */
    static final String RUNTIME = "(Lambda runtime: harness, event serializer)";

    enum Phase { BOOT, INIT, PRIME, INVOKE }

    private static final Pattern LINE = Pattern.compile("^\\[(\\d+)ns\\] (\\S+) source: (.*)$");
    private static final String MARKER_PREFIX = HandlerHarness.class.getName() + "$";

    /** Per owner (jar file name or one of the constants above): classes loaded and nanoseconds, per phase. */
    static final class Cost {
        final long[] classes = new long[Phase.values().length];
        final long[] nanos = new long[Phase.values().length];
        long jdkClassesPulled;

        long startupNanos() {
            return nanos[Phase.INIT.ordinal()] + nanos[Phase.INVOKE.ordinal()];
        }

        long startupClasses() {
            return classes[Phase.INIT.ordinal()] + classes[Phase.INVOKE.ordinal()];
        }
    }

    /** The attribution of one run: costs per owner and the length of each phase. */
    record Run(Map<String, Cost> costs, long[] phaseNanos, long[] phaseClasses) {
    }

    private ClassLoadAttribution() {
    }

    /** The JVM flag that writes the class-loading log this class reads. */
    static String jvmFlag(Path log) {
        return "-Xlog:class+load=info:file=" + log + ":uptimenanos";
    }

    /**
     * Reads one run's log. {@code harnessJars} are the jar file names that belong to the runtime's side (the event
     * serializer), not to the function; {@code primed} tells whether the run had a priming phase.
     */
    static Run read(Path log, List<String> harnessJars, boolean primed) throws IOException {
        Map<String, Cost> costs = new LinkedHashMap<>();
        Map<String, String> ownerOfClass = new HashMap<>();
        long[] phaseNanos = new long[Phase.values().length];
        long[] phaseClasses = new long[Phase.values().length];
        Phase phase = Phase.BOOT;
        String running = JVM;
        long previous = 0;
        for (String line : Files.readAllLines(log)) {
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                continue;
            }
            long at = Long.parseLong(m.group(1));
            String className = m.group(2);
            String owner = owner(m.group(3), ownerOfClass, harnessJars);
            if (className.startsWith(HandlerHarness.class.getName()) && phase == Phase.BOOT) {
                // the harness's main class: JVM boot is over, the runtime's part begins
                charge(costs, JVM, phase, at - previous, false);
                phaseNanos[phase.ordinal()] += at - previous;
                previous = at;
                phase = Phase.INIT;
                running = RUNTIME;
            }
            ownerOfClass.put(className, owner);
            boolean marker = className.startsWith(MARKER_PREFIX) && className.endsWith("Done");
            boolean jdk = JDK.equals(owner) || marker;
            if (!jdk) {
                running = owner;
            }
            charge(costs, running, phase, at - previous, !marker);
            if (jdk && !marker) {
                costs.get(running).jdkClassesPulled++;
            }
            phaseNanos[phase.ordinal()] += at - previous;
            if (!marker) {
                phaseClasses[phase.ordinal()]++;
            }
            previous = at;
            if (marker) {
                phase = switch (className.substring(MARKER_PREFIX.length())) {
                    case "InitDone" -> primed ? Phase.PRIME : Phase.INVOKE;
                    case "PrimeDone", "InvokeDone" -> Phase.INVOKE;
                    default -> phase;
                };
                if (className.endsWith("InvokeDone")) {
                    break;
                }
            }
        }
        return new Run(costs, phaseNanos, phaseClasses);
    }

    private static void charge(Map<String, Cost> costs, String owner, Phase phase, long nanos, boolean countClass) {
        Cost c = costs.computeIfAbsent(owner, k -> new Cost());
        c.nanos[phase.ordinal()] += nanos;
        if (countClass && !JDK.equals(owner)) {
            // JDK classes are counted as "pulled" by the running owner, not as the owner's own
            c.classes[phase.ordinal()]++;
        }
    }

    private static String owner(String source, Map<String, String> ownerOfClass, List<String> harnessJars) {
        if (source.startsWith("jrt:") || source.startsWith("shared objects file") || source.startsWith("__")
                || source.startsWith("instance of")) {
            return JDK;
        }
        if (source.startsWith("file:")) {
            String path = source.substring("file:".length());
            if (!path.endsWith(".jar")) {
                return RUNTIME; // the harness's class directory
            }
            String jar = path.substring(path.lastIndexOf('/') + 1);
            return harnessJars.contains(jar) ? RUNTIME : jar;
        }
        // a lambda or hidden class: "source: <host class name>"
        return ownerOfClass.getOrDefault(source.trim(), JDK);
    }

    /** Sums several runs of one row (the printed figures are means per run). */
    static Run sum(List<Run> runs) {
        Map<String, Cost> total = new LinkedHashMap<>();
        long[] phaseNanos = new long[Phase.values().length];
        long[] phaseClasses = new long[Phase.values().length];
        for (Run r : runs) {
            r.costs.forEach((owner, c) -> {
                Cost t = total.computeIfAbsent(owner, k -> new Cost());
                for (int i = 0; i < c.nanos.length; i++) {
                    t.nanos[i] += c.nanos[i];
                    t.classes[i] += c.classes[i];
                }
                t.jdkClassesPulled += c.jdkClassesPulled;
            });
            for (int i = 0; i < phaseNanos.length; i++) {
                phaseNanos[i] += r.phaseNanos[i];
                phaseClasses[i] += r.phaseClasses[i];
            }
        }
        return new Run(total, phaseNanos, phaseClasses);
    }

    /** The Maven groupId of a jar (from its embedded pom.properties), or "-" when it has none. */
    static String groupOf(Path jar) {
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.stream().filter(e -> e.getName().startsWith("META-INF/maven/") && e.getName().endsWith("/pom.properties"))
                    .findFirst().map(e -> {
                        try (InputStream in = file.getInputStream(e)) {
                            Properties p = new Properties();
                            p.load(in);
                            return p.getProperty("groupId", "-");
                        } catch (IOException ex) {
                            return "-";
                        }
                    }).orElse("-");
        } catch (IOException e) {
            return "-";
        }
    }

    /**
     * Prints one row's attribution: the phases, then every jar of the artifact with the classes it loaded and the
     * time charged to it (means over {@code runs}), then the same per Maven group, then the jars nothing was loaded from.
     */
    static void print(String title, Run total, int runs, List<Path> artifactJars, boolean primed) {
        double n = runs;
        System.out.printf(Locale.ROOT, "%n== %s: class loading and time per jar (mean of %d run(s) with -Xlog:class+load)%n",
                title, runs);
        System.out.printf(Locale.ROOT, "phases: JVM boot %.0f ms (%d classes), init %.0f ms (%d), %sfirst invoke %.0f ms (%d)%n",
                ms(total.phaseNanos[0]) / n, Math.round(total.phaseClasses[0] / n),
                ms(total.phaseNanos[1]) / n, Math.round(total.phaseClasses[1] / n),
                primed ? String.format(Locale.ROOT, "priming %.0f ms (%d), ", ms(total.phaseNanos[2]) / n,
                        Math.round(total.phaseClasses[2] / n)) : "",
                ms(total.phaseNanos[3]) / n, Math.round(total.phaseClasses[3] / n));
        Map<String, String> groups = new HashMap<>();
        for (Path jar : artifactJars) {
            groups.put(jar.getFileName().toString(), groupOf(jar));
        }
        long startup = total.phaseNanos[1] + total.phaseNanos[3];
        List<Map.Entry<String, Cost>> rows = new ArrayList<>(total.costs.entrySet());
        rows.removeIf(e -> JVM.equals(e.getKey()));
        rows.sort(Comparator.comparingLong((Map.Entry<String, Cost> e) -> -e.getValue().startupNanos()));
        System.out.printf(Locale.ROOT, "%-48s %-28s %8s %8s %8s %8s %9s %6s%n", "jar", "group", "classes", "+JDK",
                "init ms", primed ? "prime ms" : "", "invoke ms", "share");
        Map<String, Cost> byGroup = new TreeMap<>();
        for (Map.Entry<String, Cost> e : rows) {
            Cost c = e.getValue();
            String group = groups.getOrDefault(e.getKey(), "-");
            System.out.printf(Locale.ROOT, "%-48s %-28s %8d %8d %8.1f %8s %9.1f %5.1f%%%n", e.getKey(), group,
                    Math.round((c.startupClasses() + c.classes[2]) / n), Math.round(c.jdkClassesPulled / n),
                    ms(c.nanos[1]) / n, primed ? String.format(Locale.ROOT, "%.1f", ms(c.nanos[2]) / n) : "",
                    ms(c.nanos[3]) / n, startup == 0 ? 0 : 100.0 * c.startupNanos() / startup);
            Cost g = byGroup.computeIfAbsent(group.equals("-") ? e.getKey() : group, k -> new Cost());
            for (int i = 0; i < c.nanos.length; i++) {
                g.nanos[i] += c.nanos[i];
                g.classes[i] += c.classes[i];
            }
            g.jdkClassesPulled += c.jdkClassesPulled;
        }
        System.out.printf(Locale.ROOT, "per Maven group (init + first invoke, %s):%n",
                primed ? "after priming" : "cold");
        byGroup.entrySet().stream()
                .sorted(Comparator.comparingLong((Map.Entry<String, Cost> e) -> -e.getValue().startupNanos()))
                .forEach(e -> System.out.printf(Locale.ROOT, "  %-46s %6d classes +%5d JDK  %7.1f ms  %5.1f%%%n",
                        e.getKey(), Math.round((e.getValue().startupClasses() + e.getValue().classes[2]) / n),
                        Math.round(e.getValue().jdkClassesPulled / n), ms(e.getValue().startupNanos()) / n,
                        startup == 0 ? 0 : 100.0 * e.getValue().startupNanos() / startup));
        List<String> unused = artifactJars.stream().map(p -> p.getFileName().toString())
                .filter(j -> !total.costs.containsKey(j) || sumClasses(total.costs.get(j)) == 0).sorted().toList();
        System.out.println("jars shipped but not one class loaded from: " + (unused.isEmpty() ? "none" : String.join(", ", unused)));
    }

    private static long sumClasses(Cost c) {
        long s = 0;
        for (long v : c.classes) {
            s += v;
        }
        return s;
    }

    private static double ms(long nanos) {
        return nanos / 1_000_000.0;
    }
}
