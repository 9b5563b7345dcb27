package io.voicedrop.template;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * Reads a CloudFormation/SAM template written in YAML into a Jackson tree, turning the short-form intrinsic tags
 * ({@code !Ref X}, {@code !GetAtt A.B}, {@code !Sub ...}, {@code !If [...]}, ...) into their long JSON form
 * ({@code {"Ref": "X"}}, {@code {"Fn::GetAtt": ["A", "B"]}}, {@code {"Fn::Sub": ...}}, {@code {"Fn::If": [...]}}).
 *
 * <p>Why not just {@code new YAMLMapper().readTree(...)}: Jackson YAML does not reject unknown tags, it silently drops
 * them. {@code !Ref JobsTable} comes back as the plain string {@code "JobsTable"}, {@code !If [c, a, b]} as a plain
 * three-element array, so a reference could not be told from a literal. Jackson's {@link YAMLParser} does expose the
 * tag of the current scalar or collection through {@link YAMLParser#getTypeId()} (with the leading {@code !}
 * removed), so this class walks the token stream itself and wraps every tagged node.
 */
public final class TemplateYaml {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final YAMLFactory FACTORY = YAMLFactory.builder().build();

    /** Short-form tags that become {@code Fn::<Tag>}; Ref, Condition and GetAtt are handled on their own. */
    private static final Set<String> FN_TAGS = Set.of(
            "Sub", "If", "Equals", "Not", "And", "Or", "Join", "Select", "Split", "FindInMap", "Base64", "Cidr",
            "GetAZs", "ImportValue", "Transform", "ToJsonString", "Length", "ForEach");

    private TemplateYaml() {
    }

    public static JsonNode read(Path file) throws IOException {
        return parse(Files.readString(file));
    }

    public static JsonNode parse(String yaml) throws IOException {
        try (YAMLParser parser = (YAMLParser) FACTORY.createParser(yaml)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return NODES.missingNode();
            }
            JsonNode root = readValue(parser);
            if (parser.nextToken() != null) {
                throw new IOException("more than one YAML document");
            }
            return root;
        }
    }

    private static JsonNode readValue(YAMLParser parser) throws IOException {
        // The tag belongs to the token the parser stands on: read it before descending into children.
        String tag = parser.getTypeId();
        JsonToken token = parser.currentToken();
        JsonNode value;
        switch (token) {
            case START_OBJECT -> {
                ObjectNode object = NODES.objectNode();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    parser.nextToken();
                    if (object.has(name)) {
                        throw new IOException("duplicate key '" + name + "' at " + parser.currentLocation());
                    }
                    object.set(name, readValue(parser));
                }
                value = object;
            }
            case START_ARRAY -> {
                ArrayNode array = NODES.arrayNode();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    array.add(readValue(parser));
                }
                value = array;
            }
            case VALUE_STRING -> value = NODES.textNode(parser.getText());
            case VALUE_NUMBER_INT -> value = switch (parser.getNumberType()) {
                case INT -> NODES.numberNode(parser.getIntValue());
                case LONG -> NODES.numberNode(parser.getLongValue());
                default -> NODES.numberNode(parser.getBigIntegerValue());
            };
            case VALUE_NUMBER_FLOAT -> value = NODES.numberNode(parser.getDecimalValue());
            case VALUE_TRUE -> value = NODES.booleanNode(true);
            case VALUE_FALSE -> value = NODES.booleanNode(false);
            case VALUE_NULL -> value = NODES.nullNode();
            default -> throw new IOException("unexpected YAML token " + token + " at " + parser.currentLocation());
        }
        return tag == null ? value : applyTag(tag, value, parser);
    }

    private static JsonNode applyTag(String tag, JsonNode value, YAMLParser parser) throws IOException {
        if (tag.startsWith("tag:yaml.org,2002:")) {
            return value; // a standard YAML tag such as !!str: the value already has its type
        }
        ObjectNode wrapped = NODES.objectNode();
        switch (tag) {
            case "Ref" -> wrapped.set("Ref", value);
            case "Condition" -> wrapped.set("Condition", value);
            case "GetAtt" -> {
                if (value.isTextual()) {
                    // !GetAtt Resource.Attribute (the attribute may itself contain dots: split at the first one)
                    String text = value.asText();
                    int dot = text.indexOf('.');
                    if (dot <= 0 || dot == text.length() - 1) {
                        throw new IOException("malformed !GetAtt " + text + " at " + parser.currentLocation());
                    }
                    ArrayNode pair = NODES.arrayNode();
                    pair.add(text.substring(0, dot));
                    pair.add(text.substring(dot + 1));
                    wrapped.set("Fn::GetAtt", pair);
                } else {
                    wrapped.set("Fn::GetAtt", value);
                }
            }
            default -> {
                if (!FN_TAGS.contains(tag)) {
                    throw new IOException("unknown YAML tag !" + tag + " at " + parser.currentLocation());
                }
                wrapped.set("Fn::" + tag, value);
            }
        }
        return wrapped;
    }
}
