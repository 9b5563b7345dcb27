package io.voicedrop.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voicedrop.e2e.SharedStack;
import io.voicedrop.sim.WebhookReceiver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * What each function's deployment package carries (docs/architecture.md, "Cold start"). Every function is started the
 * way Lambda starts it, in a fresh JVM whose classpath is nothing but its own artifact ({@link FunctionLauncher}),
 * once on demand and once as SnapStart would (priming, then the first request), against the test stack's emulator;
 * the JVM's class-loading log tells which jars each artifact actually uses.
 *
 * <ul>
 *   <li>Each function serves its first request from its own artifact, cold and primed: nothing it needs is missing
 *       (a dependency scoped to the wrong module fails here, not in AWS).</li>
 *   <li>The scoping rule of shared/pom.xml: a plain (non-optional) dependency of shared lands in every artifact, so
 *       every artifact must load it; a dependency a module declares itself must be loaded by that module.</li>
 *   <li>What a function never calls is not shipped: the ingest has no Secrets Manager, EventBridge or Micronaut
 *       HTTP, and so on for each module; only the API ships Micronaut at all.</li>
 * </ul>
 */
class ArtifactScopeTest {

    /** The version part of a jar file name, after its artifactId. */
    private static final Pattern JAR_VERSION = Pattern.compile("-\\d[^/]*\\.jar$");
    /** What each module must not ship: the SDKs and frameworks of the other functions' work. */
    private static final Map<String, List<String>> NEVER = Map.of(
            "ingest", List.of("secretsmanager", "eventbridge", "micronaut-http", "micronaut-router", "reactor-core"),
            "worker", List.of("eventbridge", "micronaut-http", "micronaut-router", "reactor-core", "jflac-codec", "jlayer"),
            "api", List.of("eventbridge"),
            "notify", List.of("micronaut-http", "micronaut-router", "reactor-core", "jflac-codec", "jlayer"));
    /**
     * Loaded only for an input of their format (the FLAC and MP3 decoders of the quality check), so a first request
     * with a WAV sample does not load them: shipped where the quality check decodes uploads (ingest, API) and
     * nowhere else, which {@link #noArtifactShipsTheLibrariesOfAnotherFunctionsWork} holds.
     */
    private static final Set<String> PER_INPUT = Set.of("jflac-codec", "jlayer");

    private static Path repo;
    private static FunctionLauncher launcher;
    /** Per function: the outcome problems of its cold and primed runs (empty when both served their request). */
    private static final Map<String, List<String>> PROBLEMS = new LinkedHashMap<>();
    /** Per module: the jars its functions' start-up uses (cold and primed runs, see {@link #startupJars}). */
    private static final Map<String, Set<String>> LOADED = new TreeMap<>();
    private static final Map<String, LambdaArtifact> ARTIFACTS = new TreeMap<>();

    @BeforeAll
    static void startEveryFunctionFromItsArtifact() throws Exception {
        repo = FunctionLauncher.findRepo();
        Path work = repo.resolve("infra-tests/target/artifact-scope");
        launcher = new FunctionLauncher(repo, work, SharedStack.pipeline(), SharedStack.simulator().baseUrl(), "900m");
        List<String> harnessJars = launcher.harnessJars();
        for (FunctionLauncher.Target fn : FunctionLauncher.FUNCTIONS.values()) {
            LambdaArtifact artifact = ARTIFACTS.computeIfAbsent(fn.module(), m -> of(m));
            List<String> problems = PROBLEMS.computeIfAbsent(fn.name(), k -> new ArrayList<>());
            Set<String> loaded = LOADED.computeIfAbsent(fn.module(), m -> new TreeSet<>());
            for (boolean primed : new boolean[] {false, true}) {
                String id = fn.name() + (primed ? "-primed" : "-cold");
                Path log = work.resolve(id + ".classload.log");
                Files.deleteIfExists(log);
                if (launcher.launch(new FunctionLauncher.Launch(fn, artifact, primed, List.of()), id,
                        List.of(ClassLoadAttribution.jvmFlag(log)), problems) != null) {
                    loaded.addAll(startupJars(ClassLoadAttribution.read(log, harnessJars, primed)));
                }
            }
        }
    }

    /**
     * The jars the function's init, priming and first request use: more than one class loaded from the jar. A single
     * class is what a bean-definition lookup (and priming's check of which clients the function built) loads of an
     * SDK service the function never uses: the client interface a factory method takes; using a service loads
     * hundreds. Priming counts: it creates the API's controllers,
     * so the clients of the routes other than the first request's (SQS for POST /fish/model) are used there.
     */
    private static Set<String> startupJars(ClassLoadAttribution.Run run) {
        Set<String> jars = new TreeSet<>();
        run.costs().forEach((jar, cost) -> {
            long classes = 0;
            for (long c : cost.classes) {
                classes += c;
            }
            if (classes > 1) {
                jars.add(jar);
            }
        });
        return jars;
    }

    @AfterAll
    static void stop() {
        if (launcher != null) {
            launcher.close();
        }
    }

    private static LambdaArtifact of(String module) {
        try {
            return LambdaArtifact.of(repo, module, FunctionLauncher.VERSION);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void everyFunctionServesItsFirstRequestFromItsOwnArtifactColdAndPrimed() {
        PROBLEMS.forEach((fn, problems) -> assertTrue(problems.isEmpty(), fn + ": " + problems));
        // Beyond the outcome: the work of the first request reached AWS and the receiver.
        assertTrue(messages(launcher.queues().get("dead-letter")) >= 2, "the worker dead-letters its unknown job");
        assertTrue(messages(launcher.queues().get("webhooks")) >= 2, "notify schedules the ended job's webhook");
        WebhookReceiver receiver = launcher.webhookReceiver();
        assertTrue(receiver.receipts().stream().filter(r -> r.header("webhook-signature") != null).count() >= 2,
                "the webhook function signs (its secret read from Secrets Manager) and delivers: " + receiver.receipts());
    }

    @Test
    void sharedDeclaresPlainlyOnlyWhatEveryArtifactLoads() throws Exception {
        List<String> violations = new ArrayList<>();
        for (String dependency : dependencies(repo.resolve("shared/pom.xml"), false)) {
            LOADED.forEach((module, loaded) -> {
                if (!loads(loaded, dependency)) {
                    violations.add(dependency + " (not loaded by " + module + ")");
                }
            });
        }
        assertEquals(List.of(), violations, "plain dependencies of shared that a function does not load: make them "
                + "<optional>true</optional> in shared/pom.xml and declare them in the pom.xml of each function module "
                + "that loads them. Loaded per module: " + LOADED);
    }

    @Test
    void whatAModuleDeclaresItselfItLoads() throws Exception {
        List<String> violations = new ArrayList<>();
        for (String module : LOADED.keySet()) {
            for (String dependency : dependencies(repo.resolve("functions").resolve(module).resolve("pom.xml"), true)) {
                if (!dependency.startsWith("voicedrop-") && !PER_INPUT.contains(dependency)
                        && !loads(LOADED.get(module), dependency)) {
                    violations.add(module + ": " + dependency);
                }
            }
        }
        assertEquals(List.of(), violations, "dependencies a function module declares but never loads");
    }

    @Test
    void noArtifactShipsTheLibrariesOfAnotherFunctionsWork() {
        assertEquals(NEVER.keySet(), ARTIFACTS.keySet(), "every module's exclusions are listed");
        NEVER.forEach((module, never) -> {
            List<String> shipped = ARTIFACTS.get(module).jars().stream().map(j -> j.getFileName().toString())
                    .filter(j -> never.contains(artifactIdOf(j))).toList();
            assertEquals(List.of(), shipped, module + " ships what it never calls");
        });
        // and the converse for the SDKs that are scoped: each is where its caller is
        assertTrue(ships("worker", "secretsmanager") && ships("api", "secretsmanager"),
                "the worker and the API (edits go upstream) read the upstream token");
        assertTrue(ships("notify", "secretsmanager") && ships("notify", "eventbridge"), "notify and webhooks");
        assertTrue(ships("api", "micronaut-http"), "the API routes HTTP");
        // Only the API keeps Micronaut (its HTTP layer): the other functions are wired by plain constructors.
        for (String plain : List.of("ingest", "worker", "notify")) {
            List<String> micronaut = ARTIFACTS.get(plain).jars().stream().map(j -> j.getFileName().toString())
                    .filter(j -> j.startsWith("micronaut-") || j.startsWith("jakarta.inject-api-")).toList();
            assertEquals(List.of(), micronaut, plain + " ships Micronaut");
        }
        for (String decoder : PER_INPUT) {
            assertTrue(ships("ingest", decoder) && ships("api", decoder), "the quality check decodes with " + decoder);
        }
    }

    private static boolean ships(String module, String artifactId) {
        return ARTIFACTS.get(module).jars().stream().anyMatch(j -> artifactIdOf(j.getFileName().toString()).equals(artifactId));
    }

    private static boolean loads(Set<String> loadedJars, String artifactId) {
        return loadedJars.stream().anyMatch(j -> artifactIdOf(j).equals(artifactId));
    }

    /** {@code micronaut-http-4.10.15.jar} → {@code micronaut-http}. */
    private static String artifactIdOf(String jar) {
        return JAR_VERSION.matcher(jar).replaceFirst("");
    }

    private static long messages(String queueUrl) {
        return Long.parseLong(SharedStack.pipeline().sqs().getQueueAttributes(b -> b.queueUrl(queueUrl)
                .attributeNamesWithStrings("ApproximateNumberOfMessages")).attributesAsStrings()
                .get("ApproximateNumberOfMessages"));
    }

    /**
     * The artifactIds of a pom's runtime dependencies ({@code <project><dependencies>}, not test or provided scope):
     * with {@code includeOptional}, the optional ones too.
     */
    private static List<String> dependencies(Path pom, boolean includeOptional) throws Exception {
        var factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Element project = factory.newDocumentBuilder().parse(pom.toFile()).getDocumentElement();
        List<String> ids = new ArrayList<>();
        for (Element deps : children(project, "dependencies")) {
            for (Element dep : children(deps, "dependency")) {
                String scope = text(dep, "scope", "compile");
                boolean optional = "true".equals(text(dep, "optional", "false"));
                if ((scope.equals("compile") || scope.equals("runtime")) && (includeOptional || !optional)) {
                    ids.add(text(dep, "artifactId", "?"));
                }
            }
        }
        return ids;
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            Node n = nodes.item(i);
            if (n instanceof Element e && e.getTagName().equals(name)) {
                found.add(e);
            }
        }
        return found;
    }

    private static String text(Element parent, String name, String fallback) {
        List<Element> e = children(parent, name);
        return e.isEmpty() ? fallback : e.get(0).getTextContent().trim();
    }
}
