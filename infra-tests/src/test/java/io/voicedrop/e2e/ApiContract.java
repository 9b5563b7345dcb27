package io.voicedrop.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.voicedrop.adapters.json.Json;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The API's own OpenAPI document (as served at {@code /openapi.yaml}) used as a validator of real responses: the
 * status must be documented for the operation, the content type must be one the response documents, a JSON body
 * must validate against the documented schema, and documented headers must hold values of their schema
 * ({@code X-Trace-Id} on every response, as the document promises).
 *
 * <p>OpenAPI 3.0 schemas are a dialect of JSON Schema draft 4; they are converted to draft 2020-12 for the
 * validator (networknt json-schema-validator): {@code #/components/schemas/X} becomes {@code #/$defs/X}, and
 * {@code nullable: true} becomes {@code "null"} added to {@code type} (and to {@code enum}), or, beside
 * {@code allOf}/{@code $ref} without a type, {@code anyOf: [schema, {type: null}]}, which is what the document
 * means there. A component that extends others ({@code allOf} of object schemas) is merged into one object first. Siblings of a {@code $ref} are dropped (OpenAPI 3.0 ignores them), and so is {@code example}.
 * Formats ({@code date-time}, {@code uuid}) are asserted, not just annotated.
 *
 * <p>With {@code closed}, an object schema that lists properties admits no others: a field the API sends but the
 * document does not describe fails the check. Clients must ignore unknown fields, but an undocumented field is a gap
 * in the document.
 */
final class ApiContract {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String OAS_SCHEMAS = "#/components/schemas/";
    private static final Set<String> DROPPED = Set.of("nullable", "example", "xml", "externalDocs", "discriminator");

    private final JsonNode document;
    private final boolean closed;
    private final ObjectNode defs;
    private final JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private final SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true)
            .build();

    ApiContract(String yaml, boolean closed) {
        try {
            document = YAML.readTree(yaml);
        } catch (Exception e) {
            throw new AssertionError("the OpenAPI document is not YAML", e);
        }
        assertTrue(document.path("openapi").asText().startsWith("3.0"), "an OpenAPI 3.0 document is expected");
        this.closed = closed;
        defs = NODES.objectNode();
        document.path("components").path("schemas").fields()
                .forEachRemaining(e -> defs.set(e.getKey(), convert(merged(e.getValue()), closed)));
    }

    /** Fetches the document from the running API, without a key, as any client would. */
    static ApiContract fetch(boolean closed) {
        HttpResponse<String> r = Pipeline.get("/openapi.yaml", null);
        assertEquals(200, r.statusCode(), "GET /openapi.yaml: " + r.body());
        assertEquals("application/yaml", mediaType(r), "content type of /openapi.yaml");
        return new ApiContract(r.body(), closed);
    }

    JsonNode document() {
        return document;
    }

    /**
     * Fails with every violation when the response does not match the document; returns the parsed JSON body (null
     * for another content type).
     */
    JsonNode assertConforms(String method, HttpResponse<String> r) {
        URI uri = r.request().uri();
        String where = method + " " + uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())
                + " -> " + r.statusCode();
        JsonNode operation = operation(method, uri.getRawPath())
                .orElseThrow(() -> new AssertionError("undocumented operation: " + where));
        JsonNode response = operation.path("responses").path(Integer.toString(r.statusCode()));
        if (response.isMissingNode()) {
            response = operation.path("responses").path("default");
        }
        if (response.isMissingNode()) {
            fail("status not documented for the operation: " + where + " " + r.body());
        }
        response = resolve(response);
        assertHeaders(response, r, where);
        JsonNode content = response.path("content");
        if (content.isMissingNode() || content.isEmpty()) {
            assertTrue(r.body().isEmpty(), "no content documented, but a body came: " + where);
            return null;
        }
        String type = mediaType(r);
        JsonNode media = content.path(type);
        assertTrue(!media.isMissingNode(), "content type " + type + " not documented (" + fieldNames(content)
                + "): " + where);
        if (!type.equals("application/json")) {
            return null;
        }
        JsonNode body;
        try {
            body = Json.MAPPER.readTree(r.body());
        } catch (Exception e) {
            throw new AssertionError("body is not JSON: " + where + " " + r.body(), e);
        }
        assertValid(media.path("schema"), body, where);
        if (body.has("trace_id")) {
            assertEquals(r.headers().firstValue("X-Trace-Id").orElse(null), body.path("trace_id").asText(),
                    "trace_id must equal the X-Trace-Id header: " + where);
        }
        return body;
    }

    /** What is wrong with {@code value} for an OpenAPI schema of the document (inline or a {@code $ref}). */
    Set<ValidationMessage> violations(JsonNode openApiSchema, JsonNode value) {
        return validator(openApiSchema).validate(value);
    }

    void assertValid(JsonNode openApiSchema, JsonNode value, String where) {
        Set<ValidationMessage> errors = violations(openApiSchema, value);
        if (!errors.isEmpty()) {
            fail("does not match the documented schema: " + where + "\n  "
                    + errors.stream().map(ValidationMessage::toString).sorted().collect(Collectors.joining("\n  "))
                    + "\n  body: " + value);
        }
    }

    /** A reference to one component schema, e.g. {@code ModelEntity}, for {@link #violations}. */
    JsonNode component(String name) {
        assertTrue(defs.has(name), "no component schema " + name);
        return NODES.objectNode().put("$ref", OAS_SCHEMAS + name);
    }

    private JsonSchema validator(JsonNode openApiSchema) {
        ObjectNode root = NODES.objectNode();
        root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        root.set("$defs", defs);
        JsonNode converted = convert(openApiSchema, closed);
        if (converted.isObject()) {
            converted.fields().forEachRemaining(e -> root.set(e.getKey(), e.getValue()));
        }
        return factory.getSchema(root, config);
    }

    private void assertHeaders(JsonNode response, HttpResponse<String> r, String where) {
        for (Iterator<Map.Entry<String, JsonNode>> it = response.path("headers").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> h = it.next();
            JsonNode header = resolve(h.getValue());
            Optional<String> value = r.headers().firstValue(h.getKey());
            if (h.getKey().equalsIgnoreCase("X-Trace-Id")) {
                assertTrue(value.isPresent(), "X-Trace-Id missing: " + where);
            }
            if (value.isEmpty() || !header.has("schema")) {
                continue;
            }
            JsonNode schema = resolve(header.path("schema"));
            JsonNode asJson = NODES.textNode(value.get());
            if ("integer".equals(schema.path("type").asText())) {
                try {
                    asJson = NODES.numberNode(Long.parseLong(value.get().trim()));
                } catch (NumberFormatException notAnInteger) {
                    // validated as the string it is, which fails the integer type
                }
            }
            assertValid(schema, asJson, where + " header " + h.getKey());
        }
    }

    /** Whether the document has an operation for this method and concrete path. */
    boolean documents(String method, String path) {
        return operation(method, path).isPresent();
    }

    /** The operation of a method on a concrete path; literal path segments win over templated ones. */
    private Optional<JsonNode> operation(String method, String path) {
        JsonNode best = null;
        int bestLiterals = -1;
        for (Iterator<Map.Entry<String, JsonNode>> it = document.path("paths").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> p = it.next();
            String[] template = p.getKey().split("/", -1);
            String[] actual = path.split("/", -1);
            if (template.length != actual.length) {
                continue;
            }
            int literals = 0;
            boolean match = true;
            for (int i = 0; i < template.length && match; i++) {
                if (template[i].startsWith("{") && template[i].endsWith("}")) {
                    match = !actual[i].isEmpty();
                } else {
                    match = template[i].equals(actual[i]);
                    literals++;
                }
            }
            JsonNode op = p.getValue().path(method.toLowerCase(Locale.ROOT));
            if (match && !op.isMissingNode() && literals > bestLiterals) {
                best = op;
                bestLiterals = literals;
            }
        }
        return Optional.ofNullable(best);
    }

    /** Follows a local {@code $ref} (responses, headers, schemas) to what it names. */
    private JsonNode resolve(JsonNode node) {
        while (node.has("$ref")) {
            String ref = node.path("$ref").asText();
            assertTrue(ref.startsWith("#/"), "only local references are expected: " + ref);
            node = document.at(ref.substring(1));
            assertTrue(!node.isMissingNode(), "dangling reference " + ref);
        }
        return node;
    }

    /**
     * A schema that extends others ({@code allOf} of object schemas, local {@code $ref}s resolved) as the one object
     * schema it means: properties and required fields joined. Closing each part on its own would make a closed
     * extension impossible to satisfy, since every part would refuse the other parts' fields.
     */
    private JsonNode merged(JsonNode schema) {
        if (!schema.has("allOf")) {
            return schema;
        }
        ObjectNode out = NODES.objectNode().put("type", "object");
        ObjectNode props = out.putObject("properties");
        ArrayNode required = out.putArray("required");
        schema.fields().forEachRemaining(e -> {
            if (!e.getKey().equals("allOf")) {
                out.set(e.getKey(), e.getValue());
            }
        });
        for (JsonNode part : schema.path("allOf")) {
            JsonNode p = merged(resolve(part));
            p.path("properties").fields().forEachRemaining(f -> props.set(f.getKey(), f.getValue()));
            p.path("required").forEach(required::add);
        }
        return out;
    }

    /** OpenAPI 3.0 schema to JSON Schema 2020-12 (see the class comment). */
    static JsonNode convert(JsonNode schema, boolean closed) {
        if (!schema.isObject()) {
            return schema;
        }
        if (schema.has("$ref")) {
            String ref = schema.path("$ref").asText();
            return NODES.objectNode().put("$ref", ref.startsWith(OAS_SCHEMAS)
                    ? "#/$defs/" + ref.substring(OAS_SCHEMAS.length()) : ref);
        }
        ObjectNode out = NODES.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = schema.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String k = e.getKey();
            JsonNode v = e.getValue();
            if (DROPPED.contains(k)) {
                continue;
            }
            switch (k) {
                case "properties" -> {
                    ObjectNode props = NODES.objectNode();
                    v.fields().forEachRemaining(p -> props.set(p.getKey(), convert(p.getValue(), closed)));
                    out.set(k, props);
                }
                case "items", "not" -> out.set(k, convert(v, closed));
                case "additionalProperties" -> out.set(k, v.isObject() ? convert(v, closed) : v);
                case "allOf", "anyOf", "oneOf" -> {
                    ArrayNode list = NODES.arrayNode();
                    v.forEach(s -> list.add(convert(s, closed)));
                    out.set(k, list);
                }
                default -> out.set(k, v.deepCopy());
            }
        }
        if (closed && out.has("properties") && !out.has("additionalProperties")) {
            out.put("additionalProperties", false);
        }
        if (!schema.path("nullable").asBoolean(false)) {
            return out;
        }
        if (out.has("type")) {
            out.set("type", NODES.arrayNode().add(out.path("type").asText()).add("null"));
            if (out.has("enum")) {
                ((ArrayNode) out.get("enum")).addNull();
            }
            return out;
        }
        ObjectNode either = NODES.objectNode();
        either.set("anyOf", NODES.arrayNode().add(out).add(NODES.objectNode().put("type", "null")));
        return either;
    }

    static String mediaType(HttpResponse<?> r) {
        return r.headers().firstValue("Content-Type").map(v -> v.split(";")[0].trim().toLowerCase(Locale.ROOT))
                .orElse("");
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
