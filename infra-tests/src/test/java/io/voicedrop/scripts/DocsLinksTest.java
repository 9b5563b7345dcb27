package io.voicedrop.scripts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The documentation a newcomer follows holds together: every relative link and anchor in {@code README.md} and
 * {@code docs/*.md} resolves (anchors by GitHub's rules for heading ids), and every command in a fenced block under
 * the README's "Quick start" exists: a repository command is an executable file whose {@code --help} lists every
 * option the README gives it, and anything else is one of the tools the quick start names as prerequisites.
 * (Shell blocks are the commands; a {@code text} block shows what they print.)
 */
class DocsLinksTest {

    /** {@code [text](target)} and {@code ![alt](target)}, target without spaces, optional title. */
    private static final Pattern LINK = Pattern.compile("!?\\[(?:[^\\]\\[]|\\[[^\\]]*\\])*\\]\\(\\s*<?([^)\\s>]+)>?"
            + "(?:\\s+\"[^\"]*\")?\\s*\\)");
    private static final Pattern HEADING = Pattern.compile("^(#{1,6})\\s+(.*?)\\s*#*\\s*$");
    private static final Pattern HTML_ANCHOR = Pattern.compile("<a\\s+(?:id|name)=\"([^\"]+)\"");
    /** Tools the quick start may call besides the repository's own commands (its prerequisites). */
    private static final Set<String> TOOLS = Set.of("aws", "curl", "sam", "python3", "node", "npm", "java");

    private final Path repository = ScriptsUsageTest.repository();
    private final Map<Path, Set<String>> anchors = new HashMap<>();

    private List<Path> documents() throws IOException {
        List<Path> docs = new ArrayList<>(List.of(repository.resolve("README.md")));
        try (Stream<Path> files = Files.list(repository.resolve("docs"))) {
            files.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        return docs;
    }

    @Test
    void everyRelativeLinkAndAnchorResolves() throws IOException {
        List<String> broken = new ArrayList<>();
        int checked = 0;
        for (Path doc : documents()) {
            for (String target : links(read(doc))) {
                if (target.matches("(?i)^[a-z][a-z0-9+.-]*:.*")) {
                    continue; // https:, mailto: ...: not ours to check offline
                }
                checked++;
                String path = target.contains("#") ? target.substring(0, target.indexOf('#')) : target;
                String anchor = target.contains("#") ? target.substring(target.indexOf('#') + 1) : null;
                Path file = path.isEmpty() ? doc : doc.getParent().resolve(path).normalize();
                if (!file.startsWith(repository) || !Files.exists(file)) {
                    broken.add(repository.relativize(doc) + ": " + target + " (no such file)");
                } else if (anchor != null && !anchorsOf(file).contains(anchor)) {
                    broken.add(repository.relativize(doc) + ": " + target + " (no such heading; "
                            + repository.relativize(file) + " has " + anchorsOf(file) + ")");
                }
            }
        }
        assertTrue(checked > 10, "the documents link to each other: only " + checked + " relative links found");
        assertTrue(broken.isEmpty(), "broken links:\n" + String.join("\n", broken));
    }

    @Test
    void everyQuickStartCommandExists() throws Exception {
        String readme = read(repository.resolve("README.md"));
        String quickStart = section(readme, "Quick start");
        List<String> commands = commands(quickStart);
        assertTrue(commands.contains("scripts/run-local.sh --demo")
                && (commands.contains("./mvnw -B verify") || commands.contains("scripts/test.sh")),
                "the quick start shows the two commands: " + commands);
        List<String> problems = new ArrayList<>();
        for (String command : commands) {
            List<String> words = List.of(command.split("\\s+"));
            int first = 0;
            while (first < words.size() && words.get(first).matches("[A-Za-z_][A-Za-z0-9_]*=.*")) {
                first++; // VAR=value before the command
            }
            String program = words.get(first);
            if (!program.contains("/")) {
                if (!TOOLS.contains(program)) {
                    problems.add(command + ": " + program + " is neither a repository command nor a prerequisite");
                }
                continue;
            }
            Path file = repository.resolve(program).normalize();
            if (!Files.isRegularFile(file) || !Files.isExecutable(file)) {
                problems.add(command + ": " + program + " is not an executable file of the repository");
                continue;
            }
            if (program.startsWith("scripts/")) {
                String usage = ScriptsUsageTest.run(file, "--help").out();
                words.subList(first + 1, words.size()).stream().filter(w -> w.startsWith("--"))
                        .filter(option -> !usage.contains(option))
                        .forEach(option -> problems.add(command + ": " + program + " --help does not list " + option));
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void headingIdsFollowGitHubsRules() {
        assertEquals("post-fishmodel-a-second-way-into-the-pipeline",
                slug("POST /fish/model (a second way into the pipeline)"));
        assertEquals("get-jobs", slug("`GET /jobs`"));
        assertEquals("the-manifest-modeljson", slug("The manifest (`model.json`)"));
        assertEquals("emulators-moto-or-localstack", slug("Emulators: moto or LocalStack"));
        assertEquals("drop-audio", slug("[Drop audio](x.md)"));
        assertEquals("größe-und-1-2", slug("Größe und 1 2"));
    }

    /** Every link target outside code (fenced blocks and inline code spans). */
    static List<String> links(String markdown) {
        List<String> targets = new ArrayList<>();
        for (String line : prose(markdown)) {
            Matcher m = LINK.matcher(line.replaceAll("`[^`]*`", ""));
            while (m.find()) {
                targets.add(m.group(1));
            }
        }
        return targets;
    }

    /** The lines outside fenced code blocks. */
    private static List<String> prose(String markdown) {
        List<String> lines = new ArrayList<>();
        boolean fenced = false;
        for (String line : markdown.split("\n", -1)) {
            if (line.strip().startsWith("```")) {
                fenced = !fenced;
            } else if (!fenced) {
                lines.add(line);
            }
        }
        return lines;
    }

    private Set<String> anchorsOf(Path file) {
        return anchors.computeIfAbsent(file, f -> {
            Set<String> ids = new LinkedHashSet<>();
            if (!f.toString().endsWith(".md")) {
                return ids;
            }
            Map<String, Integer> seen = new HashMap<>();
            for (String line : prose(read(f))) {
                Matcher h = HEADING.matcher(line);
                if (h.matches()) {
                    String base = slug(h.group(2));
                    int n = seen.merge(base, 1, Integer::sum) - 1;
                    ids.add(n == 0 ? base : base + "-" + n);
                }
                Matcher a = HTML_ANCHOR.matcher(line);
                while (a.find()) {
                    ids.add(a.group(1));
                }
            }
            return ids;
        });
    }

    /**
     * GitHub's heading id (github-slugger): the rendered text in lower case, every character that is not a letter,
     * mark, number, connector (underscore), space or hyphen removed, each space a hyphen.
     */
    static String slug(String heading) {
        String text = heading.replaceAll("!?\\[([^\\]]*)\\]\\([^)]*\\)", "$1") // a link shows its text
                .replaceAll("<[^>]+>", "") // inline HTML
                .replace("`", "").replace("*", "");
        return text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{M}\\p{N}\\p{Pc} -]", "").replace(' ', '-');
    }

    /** The text under {@code ## title}, up to the next heading of that level. */
    static String section(String markdown, String title) {
        int start = markdown.indexOf("\n## " + title);
        assertTrue(start >= 0, "no \"## " + title + "\" section");
        int end = markdown.indexOf("\n## ", start + 4);
        return markdown.substring(start, end < 0 ? markdown.length() : end);
    }

    /**
     * The commands of the shell blocks ({@code ```bash}, {@code sh}, {@code shell}; a {@code ```text} block shows
     * output): one per line, comments dropped, continued lines joined.
     */
    static List<String> commands(String markdown) {
        List<String> commands = new ArrayList<>();
        boolean fenced = false;
        boolean shell = false;
        StringBuilder pending = new StringBuilder();
        for (String line : markdown.split("\n", -1)) {
            if (line.strip().startsWith("```")) {
                fenced = !fenced;
                shell = fenced && Set.of("bash", "sh", "shell").contains(line.strip().substring(3).strip());
                continue;
            }
            if (!shell) {
                continue;
            }
            String code = line.replaceAll("(^|\\s)#.*$", "").strip();
            if (code.endsWith("\\")) {
                pending.append(code, 0, code.length() - 1).append(' ');
                continue;
            }
            String command = (pending + code).strip();
            pending.setLength(0);
            if (!command.isEmpty()) {
                commands.add(command.replaceAll("\\s+", " "));
            }
        }
        return commands;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
