package io.voicedrop.template;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Every IAM policy statement written in a template, and every policy it refers to without spelling it out. */
final class PolicyStatements {

    /** Where a statement lives decides what a "*" resource means there. */
    enum Kind {
        /** Attached to a role or function: "*" means every resource of the account. */
        IDENTITY,
        /** A resource policy (bucket, queue, topic, secret): "*" principal means anyone. */
        RESOURCE,
        /** A KMS key policy: "*" resource means this key, it is the only form allowed. */
        KEY_POLICY
    }

    record Statement(String where, Kind kind, JsonNode node) {

        String sid() {
            return node.path("Sid").asText("(no Sid)");
        }

        boolean isAllow() {
            return "Allow".equals(node.path("Effect").asText());
        }

        String describe() {
            return where + " statement " + sid();
        }
    }

    /**
     * A policy that is not written out as statements: a managed policy ARN or name, or a SAM policy template such as
     * {@code DynamoDBCrudPolicy} (which expands to broad actions such as {@code dynamodb:*Item} on its own).
     */
    record OpaquePolicy(String where, String name) {
    }

    private final List<Statement> statements = new ArrayList<>();
    private final List<OpaquePolicy> opaque = new ArrayList<>();

    static PolicyStatements of(TemplateModel template) {
        PolicyStatements out = new PolicyStatements();
        for (Map.Entry<String, JsonNode> e : template.resources().entrySet()) {
            out.collect(e.getKey(), e.getValue());
        }
        return out;
    }

    List<Statement> statements() {
        return statements;
    }

    List<OpaquePolicy> opaquePolicies() {
        return opaque;
    }

    private void collect(String id, JsonNode resource) {
        String type = resource.path("Type").asText();
        JsonNode props = resource.path("Properties");
        switch (type) {
            case "AWS::Serverless::Function", "AWS::Serverless::StateMachine" -> {
                for (JsonNode policy : TemplateModel.listOf(props.path("Policies"))) {
                    if (policy.isTextual()) {
                        opaque.add(new OpaquePolicy(id + ".Policies", policy.asText()));
                    } else if (policy.has("Statement")) {
                        addDocument(id + ".Policies", Kind.IDENTITY, policy);
                    } else if (policy.isObject() && policy.size() == 1) {
                        opaque.add(new OpaquePolicy(id + ".Policies", policy.fieldNames().next()));
                    } else {
                        opaque.add(new OpaquePolicy(id + ".Policies", policy.toString()));
                    }
                }
            }
            case "AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group" -> {
                for (JsonNode policy : TemplateModel.listOf(props.path("Policies"))) {
                    addDocument(id + ".Policies." + policy.path("PolicyName").asText("?"), Kind.IDENTITY,
                            policy.path("PolicyDocument"));
                }
                for (JsonNode arn : TemplateModel.listOf(props.path("ManagedPolicyArns"))) {
                    opaque.add(new OpaquePolicy(id + ".ManagedPolicyArns", arn.isTextual() ? arn.asText() : arn.toString()));
                }
            }
            case "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy" ->
                    addDocument(id + ".PolicyDocument", Kind.IDENTITY, props.path("PolicyDocument"));
            case "AWS::S3::BucketPolicy", "AWS::SQS::QueuePolicy", "AWS::SNS::TopicPolicy" ->
                    addDocument(id + ".PolicyDocument", Kind.RESOURCE, props.path("PolicyDocument"));
            case "AWS::SecretsManager::ResourcePolicy" ->
                    addDocument(id + ".ResourcePolicy", Kind.RESOURCE, props.path("ResourcePolicy"));
            case "AWS::KMS::Key" -> addDocument(id + ".KeyPolicy", Kind.KEY_POLICY, props.path("KeyPolicy"));
            default -> {
            }
        }
    }

    private void addDocument(String where, Kind kind, JsonNode document) {
        for (JsonNode doc : TemplateModel.alternatives(document)) {
            for (JsonNode statement : TemplateModel.listOf(doc.path("Statement"))) {
                statements.add(new Statement(where, kind, statement));
            }
        }
    }

    // ---------------------------------------------------------------- resource ARNs

    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{[^}]*}");
    /** "table/*", "function:*", "secret:*": every resource of one type. */
    private static final Pattern WHOLE_RESOURCE_TYPE = Pattern.compile("^[A-Za-z0-9-]+[/:]\\*$");

    /**
     * The literal text of a resource entry: a plain string, or the template of a {@code Fn::Sub} with its variables
     * replaced by a placeholder; empty for other intrinsics (a Ref or GetAtt names exactly one resource).
     */
    static String resourceText(JsonNode resource) {
        if (resource.isTextual()) {
            return resource.asText();
        }
        JsonNode sub = resource.path("Fn::Sub");
        String text = sub.isArray() ? sub.path(0).asText(null) : sub.isTextual() ? sub.asText() : null;
        return text == null ? "" : SUB_VARIABLE.matcher(text).replaceAll("x");
    }

    /**
     * True if a resource ARN names every resource where a narrower one exists: "*", any region or account wildcard,
     * or every resource of a type ("table/*", "function:*"). An S3 object ARN such as {@code bucket/prefix/*} is not
     * broad: its first segment is a bucket name, not a type.
     */
    static boolean isOverlyBroad(String arn) {
        if (arn.equals("*")) {
            return true;
        }
        String[] parts = arn.split(":", 6);
        if (parts.length < 6 || !parts[0].equals("arn")) {
            return false;
        }
        String service = parts[2];
        String region = parts[3];
        String account = parts[4];
        String rest = parts[5];
        if (service.contains("*") || region.equals("*") || account.equals("*") || rest.equals("*")) {
            return true;
        }
        return !service.equals("s3") && WHOLE_RESOURCE_TYPE.matcher(rest).matches();
    }
}
