package io.voicedrop.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Makefile as {@code sam build} runs it (template: {@code BuildMethod: makefile}, {@code CodeUri: .}): SAM copies
 * the CodeUri (the repository, without .git and .aws-sam) into a scratch directory and runs
 * {@code make --makefile <original tree>/Makefile build-<LogicalId>} there, with {@code ARTIFACTS_DIR} set, then zips
 * what the target left in ARTIFACTS_DIR.
 */
class SamMakefileBuildTest {

    private static final TemplateModel TEMPLATE = TemplateModel.load();
    private static final Path REPO = TEMPLATE.repoRoot();
    private static final String VERSION = "1.0.0-SNAPSHOT";

    @Test
    void everyFunctionHasABuildTargetThatBuildsTheModuleOfItsHandler() throws Exception {
        Map<String, JsonNode> functions = TEMPLATE.resourcesOfType("AWS::Serverless::Function");
        assertFalse(functions.isEmpty());
        for (Map.Entry<String, JsonNode> fn : functions.entrySet()) {
            String id = fn.getKey();
            assertEquals("makefile", fn.getValue().path("Metadata").path("BuildMethod").asText(), id);
            assertEquals(".", fn.getValue().path("Properties").path("CodeUri").asText(), id);
            String handler = fn.getValue().path("Properties").path("Handler").asText();
            // io.voicedrop.<module>.<Class>: the module is the package's last segment
            String module = handler.split("\\.")[2];
            Path source = REPO.resolve("functions").resolve(module).resolve("src/main/java")
                    .resolve(handler.replace('.', '/') + ".java");
            assertTrue(Files.isRegularFile(source), id + ": no " + source);

            Process dryRun = new ProcessBuilder("make", "-n", "--makefile", REPO.resolve("Makefile").toString(),
                    "build-" + id, "ARTIFACTS_DIR=/tmp/artifacts-" + id).directory(REPO.toFile())
                    .redirectErrorStream(true).start();
            String commands = new String(dryRun.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(dryRun.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, dryRun.exitValue(), id + ": " + commands);
            assertTrue(commands.contains("-pl functions/" + module + " "), id + " builds functions/" + module + ": " + commands);
            assertTrue(commands.contains("voicedrop-" + module + "-" + VERSION + ".jar"), id + ": " + commands);
        }
    }

    @Test
    void aBuildInSamsCopyOfTheTreeShipsExactlyTheFunctionsArtifactAndLeavesTheOriginalAlone(@TempDir Path scratch)
            throws Exception {
        Path copy = scratch.resolve("source");
        copyLikeSam(REPO, copy);
        // A jar left over in the copy from an older build must not reach the artifact.
        Path stale = copy.resolve("functions/ingest/target/lambda/lib/stale-dependency-0.1.jar");
        Files.createDirectories(stale.getParent());
        Files.write(stale, new byte[] {'P', 'K', 5, 6});
        Path originalJar = REPO.resolve("functions/ingest/target/voicedrop-ingest-" + VERSION + ".jar");
        FileTime originalBuilt = Files.getLastModifiedTime(originalJar);
        Path artifacts = scratch.resolve("artifacts");

        ProcessBuilder make = new ProcessBuilder("make", "--makefile", REPO.resolve("Makefile").toString(),
                "build-IngestFunction").directory(copy.toFile()).redirectErrorStream(true)
                .redirectOutput(scratch.resolve("make.log").toFile());
        make.environment().put("ARTIFACTS_DIR", artifacts.toString());
        Process p = make.start();
        assertTrue(p.waitFor(15, TimeUnit.MINUTES), "make did not finish");
        assertEquals(0, p.exitValue(), Files.readString(scratch.resolve("make.log")));

        Set<String> expected = new TreeSet<>(names(REPO.resolve("functions/ingest/target/lambda/lib")));
        expected.add("voicedrop-ingest-" + VERSION + ".jar");
        assertEquals(expected, new TreeSet<>(names(artifacts.resolve("lib"))),
                "the artifact is lib/ with the module's runtime jars and its own jar, nothing else");
        try (JarFile jar = new JarFile(artifacts.resolve("lib/voicedrop-ingest-" + VERSION + ".jar").toFile())) {
            assertTrue(jar.getEntry("io/voicedrop/ingest/IngestHandler.class") != null);
        }
        assertTrue(Files.isRegularFile(copy.resolve("functions/ingest/target/voicedrop-ingest-" + VERSION + ".jar")),
                "the build ran in SAM's copy");
        assertEquals(originalBuilt, Files.getLastModifiedTime(originalJar), "the original tree was not rebuilt");
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).toList();
        }
    }

    /**
     * What SAM copies, less the build output of earlier builds (target/, node_modules/): SAM would copy those too
     * (it has no ignore file; docs/operations.md says to clean first), and the stale jar planted above stands in
     * for them.
     */
    private static void copyLikeSam(Path from, Path to) throws IOException {
        Set<String> skipped = Set.of(".git", ".aws-sam", "target", "node_modules");
        List<Path> dirs = new ArrayList<>();
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (!dir.equals(from) && skipped.contains(dir.getFileName().toString())) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                dirs.add(dir);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (file.getFileName().toString().equals(".git")) {
                    return FileVisitResult.CONTINUE; // a worktree's .git is a file
                }
                Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES);
                return FileVisitResult.CONTINUE;
            }
        });
        assertTrue(dirs.size() > 1);
    }
}
