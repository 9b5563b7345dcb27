package io.voicedrop.local;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parts of {@code template.yaml} the local runner needs, with the intrinsics it uses resolved ({@code Ref},
 * {@code Fn::Sub}, {@code Fn::GetAtt}, {@code Fn::If}, {@code Fn::Equals}, {@code Fn::Not}) against local
 * physical resources. Reading the template, rather than repeating names by hand, keeps local and AWS identical.
 */
public final class CfnTemplate {

    public static final String ACCOUNT = "123456789012";
    private static final Pattern SUB_VAR = Pattern.compile("\\$\\{([^}!]+)}");

    private final Map<String, Object> root;
    private final Map<String, String> parameters = new HashMap<>();
    private final Map<String, String> pseudo = new HashMap<>();
    private final Map<String, Map<String, String>> physical = new HashMap<>();

    public CfnTemplate(Path file, String stackName, String region, Map<String, String> parameterOverrides) {
        this.root = CfnYaml.load(file);
        section("Parameters").forEach((name, def) -> {
            Object d = ((Map<?, ?>) def).get("Default");
            parameters.put(name, d == null ? "" : String.valueOf(d));
        });
        parameters.putAll(parameterOverrides);
        pseudo.put("AWS::StackName", stackName);
        pseudo.put("AWS::Region", region);
        pseudo.put("AWS::AccountId", ACCOUNT);
        pseudo.put("AWS::Partition", "aws");
        pseudo.put("AWS::URLSuffix", "amazonaws.com");
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> section(String name) {
        Object s = root.get(name);
        return s == null ? Map.of() : (Map<String, Object>) s;
    }

    /** Logical id → resource definition, for every resource of this CloudFormation type, in template order. */
    @SuppressWarnings("unchecked")
    public Map<String, Map<String, Object>> resourcesOfType(String type) {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        section("Resources").forEach((id, r) -> {
            Map<String, Object> res = (Map<String, Object>) r;
            Object cond = res.get("Condition");
            if (type.equals(res.get("Type")) && (cond == null || condition((String) cond))) {
                out.put(id, res);
            }
        });
        return out;
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> properties(Map<String, Object> resource) {
        Object p = resource.get("Properties");
        return p == null ? Map.of() : (Map<String, Object>) p;
    }

    /** Records what a created resource is called locally: its {@code Ref} value and attributes ({@code Arn}...). */
    public void registerPhysical(String logicalId, String ref, Map<String, String> attributes) {
        Map<String, String> values = new HashMap<>(attributes);
        values.put("Ref", ref);
        physical.put(logicalId, values);
    }

    public boolean condition(String name) {
        Object c = section("Conditions").get(name);
        if (c == null) {
            throw new IllegalArgumentException("unknown condition " + name);
        }
        return truthy(resolve(c));
    }

    /** Resolves intrinsics in a template value; scalars come back as strings, lists and maps recursively. */
    @SuppressWarnings("unchecked")
    public Object resolve(Object value) {
        if (value instanceof Map<?, ?> map && map.size() == 1) {
            String key = (String) map.keySet().iterator().next();
            Object arg = map.get(key);
            switch (key) {
                case "Ref": return ref((String) arg);
                case "Condition": return Boolean.toString(condition((String) arg));
                case "Fn::Sub": return sub(arg);
                case "Fn::GetAtt": {
                    List<Object> parts = (List<Object>) arg;
                    return attribute((String) parts.get(0), (String) parts.get(1));
                }
                case "Fn::If": {
                    List<Object> parts = (List<Object>) arg;
                    return resolve(condition((String) parts.get(0)) ? parts.get(1) : parts.get(2));
                }
                case "Fn::Equals": {
                    List<Object> parts = (List<Object>) arg;
                    return Boolean.toString(String.valueOf(resolve(parts.get(0))).equals(String.valueOf(resolve(parts.get(1)))));
                }
                case "Fn::Not": return Boolean.toString(!truthy(resolve(((List<Object>) arg).get(0))));
                default: break;
            }
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put((String) k, resolve(v)));
            return out;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            list.forEach(v -> out.add(resolve(v)));
            return out;
        }
        return value == null ? null : String.valueOf(value);
    }

    public String resolveString(Object value) {
        Object r = resolve(value);
        return r == null ? null : String.valueOf(r);
    }

    private static boolean truthy(Object o) {
        return "true".equalsIgnoreCase(String.valueOf(o));
    }

    private String ref(String name) {
        if (pseudo.containsKey(name)) {
            return pseudo.get(name);
        }
        if (parameters.containsKey(name)) {
            return parameters.get(name);
        }
        return attribute(name, "Ref");
    }

    private String attribute(String logicalId, String attr) {
        Map<String, String> values = physical.get(logicalId);
        if (values == null || !values.containsKey(attr)) {
            throw new IllegalStateException("the local runner has no value for " + logicalId + "." + attr);
        }
        return values.get(attr);
    }

    @SuppressWarnings("unchecked")
    private String sub(Object arg) {
        String text;
        Map<String, Object> vars = Map.of();
        if (arg instanceof List<?> list) {
            text = (String) list.get(0);
            vars = (Map<String, Object>) list.get(1);
        } else {
            text = (String) arg;
        }
        Matcher m = SUB_VAR.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String replacement;
            if (vars.containsKey(name)) {
                replacement = resolveString(vars.get(name));
            } else if (name.contains(".") && !name.startsWith("AWS::")) {
                int dot = name.indexOf('.');
                replacement = attribute(name.substring(0, dot), name.substring(dot + 1));
            } else {
                replacement = ref(name);
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(sb);
        return sb.toString();
    }
}
