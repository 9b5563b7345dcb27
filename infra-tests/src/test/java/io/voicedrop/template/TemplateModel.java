package io.voicedrop.template;

import io.voicedrop.adapters.json.Json;
import io.voicedrop.local.CfnYaml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The repository's template.yaml, parsed by {@link TemplateYaml}, with the look-ups the template tests need. (The
 * local runner has its own reader, {@code io.voicedrop.local.CfnTemplate}, which resolves intrinsics; these tests
 * instead inspect them, so they keep their own small model.)
 */
public final class TemplateModel {

    /** System property naming the repository root; by default it is found by walking up from the working directory. */
    public static final String REPO_ROOT_PROPERTY = "voicedrop.repo.root";

    private final Path repoRoot;
    private final Path file;
    private final JsonNode root;

    private TemplateModel(Path repoRoot, Path file, JsonNode root) {
        this.repoRoot = repoRoot;
        this.file = file;
        this.root = root;
    }

    public static TemplateModel load() {
        Path repo = findRepoRoot();
        Path file = repo.resolve("template.yaml");
        return new TemplateModel(repo, file, Json.MAPPER.valueToTree(CfnYaml.load(file)));
    }

    /** The directory holding template.yaml and the root pom.xml (Surefire runs tests from the module directory). */
    public static Path findRepoRoot() {
        String configured = System.getProperty(REPO_ROOT_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            Path dir = Paths.get(configured).toAbsolutePath().normalize();
            if (!Files.isRegularFile(dir.resolve("template.yaml"))) {
                throw new IllegalStateException(REPO_ROOT_PROPERTY + "=" + dir + " has no template.yaml");
            }
            return dir;
        }
        Path start = Paths.get("").toAbsolutePath().normalize();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("template.yaml")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no template.yaml next to a pom.xml in " + start + " or above");
    }

    public Path repoRoot() {
        return repoRoot;
    }

    public Path file() {
        return file;
    }

    public JsonNode root() {
        return root;
    }

    public JsonNode parameters() {
        return root.path("Parameters");
    }

    /** All resources, by logical ID, in template order. */
    public Map<String, JsonNode> resources() {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        root.path("Resources").fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    public Map<String, JsonNode> resourcesOfType(String type) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        resources().forEach((id, r) -> {
            if (type.equals(r.path("Type").asText())) {
                out.put(id, r);
            }
        });
        return out;
    }

    public JsonNode resource(String logicalId) {
        JsonNode r = root.path("Resources").path(logicalId);
        if (r.isMissingNode()) {
            throw new AssertionError("template.yaml has no resource " + logicalId);
        }
        return r;
    }

    /** A property of a resource; for SAM functions, falls back to Globals.Function as SAM does. */
    public JsonNode functionProperty(String logicalId, String property) {
        JsonNode own = resource(logicalId).path("Properties").path(property);
        if (!own.isMissingNode()) {
            return own;
        }
        return root.path("Globals").path("Function").path(property);
    }

    // ---------------------------------------------------------------- intrinsic helpers

    /** True for {@code {"Ref": logicalId}}. */
    public static boolean isRef(JsonNode node, String logicalId) {
        return node.isObject() && node.size() == 1 && logicalId.equals(node.path("Ref").asText(null));
    }

    /** True for {@code {"Fn::GetAtt": [logicalId, attribute]}}. */
    public static boolean isGetAtt(JsonNode node, String logicalId, String attribute) {
        JsonNode getAtt = node.path("Fn::GetAtt");
        return node.isObject() && node.size() == 1 && getAtt.isArray() && getAtt.size() == 2
                && logicalId.equals(getAtt.get(0).asText()) && attribute.equals(getAtt.get(1).asText());
    }

    /** True if the node refers to the resource in any way (Ref, GetAtt, or ${Id} / ${Id.Attr} in a Sub). */
    public static boolean refersTo(JsonNode node, String logicalId) {
        if (isRef(node, logicalId)) {
            return true;
        }
        JsonNode getAtt = node.path("Fn::GetAtt");
        if (getAtt.isArray() && getAtt.size() >= 1 && logicalId.equals(getAtt.get(0).asText())) {
            return true;
        }
        JsonNode sub = node.path("Fn::Sub");
        String text = sub.isArray() ? sub.path(0).asText("") : sub.asText("");
        return text.contains("${" + logicalId + "}") || text.contains("${" + logicalId + ".");
    }

    /**
     * The possible values of a node: a {@code Fn::If} yields both branches (recursively, without
     * {@code Ref: AWS::NoValue}); anything else yields itself.
     */
    public static List<JsonNode> alternatives(JsonNode node) {
        List<JsonNode> out = new ArrayList<>();
        JsonNode fnIf = node.path("Fn::If");
        if (node.isObject() && node.size() == 1 && fnIf.isArray() && fnIf.size() == 3) {
            for (int i = 1; i <= 2; i++) {
                JsonNode branch = fnIf.get(i);
                if (!isRef(branch, "AWS::NoValue")) {
                    out.addAll(alternatives(branch));
                }
            }
        } else if (!node.isMissingNode() && !node.isNull()) {
            out.add(node);
        }
        return out;
    }

    /** A single value or a list of values (each expanded with {@link #alternatives}). */
    public static List<JsonNode> listOf(JsonNode node) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode alternative : alternatives(node)) {
            if (alternative.isArray()) {
                for (Iterator<JsonNode> it = alternative.elements(); it.hasNext(); ) {
                    out.addAll(alternatives(it.next()));
                }
            } else {
                out.add(alternative);
            }
        }
        return out;
    }

    /** The literal text of a node if it is a plain string (not an intrinsic). */
    public static Optional<String> literal(JsonNode node) {
        return node.isTextual() ? Optional.of(node.asText()) : Optional.empty();
    }

    /** A YAML boolean, or the strings "true"/"false" CloudFormation also accepts. */
    public static boolean isTrue(JsonNode node) {
        return node.isBoolean() ? node.booleanValue() : node.isTextual() && "true".equalsIgnoreCase(node.asText());
    }

    /** A literal number (or numeric string); empty for intrinsics or missing values. */
    public static Optional<Long> number(JsonNode node) {
        if (node.isIntegralNumber()) {
            return Optional.of(node.longValue());
        }
        if (node.isTextual()) {
            try {
                return Optional.of(Long.parseLong(node.asText().trim()));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    static JsonNode missing() {
        return MissingNode.getInstance();
    }
}
