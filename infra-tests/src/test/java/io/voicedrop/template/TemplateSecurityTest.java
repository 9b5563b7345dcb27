package io.voicedrop.template;

import io.voicedrop.adapters.json.Json;
import io.voicedrop.local.CfnYaml;

import static io.voicedrop.template.TemplateModel.alternatives;
import static io.voicedrop.template.TemplateModel.isGetAtt;
import static io.voicedrop.template.TemplateModel.isRef;
import static io.voicedrop.template.TemplateModel.isTrue;
import static io.voicedrop.template.TemplateModel.listOf;
import static io.voicedrop.template.TemplateModel.literal;
import static io.voicedrop.template.TemplateModel.number;
import static io.voicedrop.template.TemplateModel.refersTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.voicedrop.template.PolicyStatements.Kind;
import io.voicedrop.template.PolicyStatements.Statement;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Guards template.yaml: least-privilege IAM, encryption and TLS on every data store, no secrets in parameters,
 * handlers that exist, a clean cfn-lint, and the settings the worker's retry design depends on.
 *
 * <p>Every check collects all violations before failing, so one run lists everything to fix.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TemplateSecurityTest {

    /**
     * Actions that have no resource-level permissions: IAM only accepts {@code "Resource": "*"} for them. A statement
     * may use "*" as its resource only if every one of its actions is listed here.
     */
    static final Map<String, String> ACTIONS_ONLY_ALLOWING_STAR_RESOURCE = Map.of(
            "cloudwatch:PutMetricData",
            "has no resource types; scope it with the cloudwatch:namespace condition key instead",
            "xray:PutTraceSegments", "X-Ray write APIs have no resource types",
            "xray:PutTelemetryRecords", "X-Ray write APIs have no resource types",
            "xray:GetSamplingRules", "X-Ray sampling APIs used by the SDK have no resource types",
            "xray:GetSamplingTargets", "X-Ray sampling APIs used by the SDK have no resource types");

    /**
     * Managed policies and SAM policy templates that may be attached although their statements cannot be checked
     * here. Empty on purpose: every permission of VoiceDrop is an inline statement in template.yaml. (SAM itself
     * attaches AWSLambdaBasicExecutionRole, AWSLambdaSQSQueueExecutionRole for the SQS event and
     * AWSXrayWriteOnlyAccess for Tracing to the roles it generates; those are not written in the template.)
     */
    static final Map<String, String> ALLOWED_OPAQUE_POLICIES = Map.of();

    /**
     * Parameters whose name looks like a secret but whose value is not one. Each must be constrained by an
     * AllowedPattern that rejects a pasted token (checked below).
     */
    static final Map<String, String> NOT_SECRET_PARAMETERS = Map.of(
            "FishTokenSecretArn",
            "the ARN of the Secrets Manager secret holding the token, not the token; it appears in outputs and"
                    + " environment variables by design");

    /** Words (of a CamelCase parameter name) that mark a parameter as a secret. */
    static final Set<String> SECRET_WORDS = Set.of(
            "token", "secret", "password", "passwd", "passphrase", "key", "apikey", "credential", "credentials");

    /** Defaults that look like real credentials. */
    static final List<Pattern> CREDENTIAL_PATTERNS = List.of(
            Pattern.compile("(A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}"),
            Pattern.compile("-----BEGIN [A-Z ]*PRIVATE KEY-----"),
            Pattern.compile("\\b(sk|pk|rk)[-_][A-Za-z0-9_-]{16,}"),
            Pattern.compile("(?i)bearer\\s+\\S{8,}"),
            // a long opaque token: letters and digits, no spaces, no URL/ARN punctuation
            Pattern.compile("^(?=.*[0-9])(?=.*[A-Za-z])[A-Za-z0-9+/=_-]{32,}$"));

    /** The intrinsic functions the local runner resolves (besides Ref and Condition references). */
    static final Set<String> RUNNER_INTRINSICS = Set.of("Fn::Sub", "Fn::GetAtt", "Fn::If", "Fn::Equals", "Fn::Not");

    /** Environment variables of the contract with the Java code (shared VoiceDropConfig) and the local runner. */
    static final List<String> ENVIRONMENT_CONTRACT = List.of(
            "BUCKET_NAME", "JOBS_TABLE", "MODELS_TABLE", "API_KEYS_TABLE", "JOBS_QUEUE_URL", "DEAD_LETTER_QUEUE_URL",
            "FISH_BASE_URL", "FISH_TOKEN_SECRET_ARN", "VOICES_SHAPE", "UPSTREAM_REQUESTS_PER_SECOND",
            "PRESIGN_EXPIRY_SECONDS", "MAX_SAMPLE_BYTES", "MAX_SAMPLES_PER_MODEL", "MAX_TOTAL_DURATION_SECONDS",
            "MAX_ATTEMPTS", "LOG_LEVEL", "POWERTOOLS_SERVICE_NAME", "POWERTOOLS_METRICS_NAMESPACE",
            "EVENT_BUS_NAME", "WEBHOOKS_QUEUE_URL", "WEBHOOKS_DEAD_LETTER_QUEUE_URL", "WEBHOOK_SECRET_ARN",
            "WEBHOOK_RETRY_WINDOW_SECONDS", "DEFAULT_PREVIEW_TEXT", "SAMPLE_RETENTION");

    /**
     * Functions whose code lives in a module not named after them. The two notification functions (the stream reader
     * and the webhook sender) share functions/notify: the same core services, one artifact built twice.
     */
    static final Map<String, String> FUNCTION_MODULES = Map.of("WebhookFunction", "notify");

    private TemplateModel template;
    private PolicyStatements policies;

    @BeforeAll
    void load() {
        template = TemplateModel.load();
        policies = PolicyStatements.of(template);
    }

    // =========================================================================== the parser itself

    @Test
    void shortFormIntrinsicTagsAreKeptNotDropped() throws IOException {
        String yaml = String.join("\n",
                "a: !Ref JobsTable",
                "b: !GetAtt JobsQueue.Arn",
                "c: !Sub \"${AWS::StackName}-x\"",
                "d: !If [Cond, !Ref A, !Ref AWS::NoValue]",
                "e: !Not [!Equals [!Ref P, \"\"]]",
                "f: plain",
                "g: !!str 5");
        // Plain Jackson YAML silently drops unknown tags: the reference becomes an indistinguishable plain string.
        JsonNode plain = new YAMLMapper().readTree(yaml);
        assertEquals("JobsTable", plain.path("a").asText());
        assertTrue(plain.path("d").isArray());

        JsonNode cfn = Json.MAPPER.valueToTree(CfnYaml.parse(yaml));
        assertTrue(isRef(cfn.path("a"), "JobsTable"), cfn.toString());
        assertTrue(isGetAtt(cfn.path("b"), "JobsQueue", "Arn"), cfn.toString());
        assertEquals("${AWS::StackName}-x", cfn.path("c").path("Fn::Sub").asText());
        assertEquals(3, cfn.path("d").path("Fn::If").size());
        assertTrue(isRef(cfn.path("d").path("Fn::If").get(1), "A"));
        assertTrue(cfn.path("e").path("Fn::Not").get(0).has("Fn::Equals"));
        assertEquals("plain", cfn.path("f").asText());
        assertEquals("5", cfn.path("g").asText());
        assertEquals(1, alternatives(cfn.path("d")).size(), "AWS::NoValue is not an alternative");
    }

    // =========================================================================== IAM

    @Test
    void allowStatementsHaveNoWildcardActions() {
        List<String> problems = new ArrayList<>();
        for (Statement s : policies.statements()) {
            if (!s.isAllow()) {
                continue; // a broad Deny (such as the TLS-only bucket policy) only takes permissions away
            }
            if (s.node().has("NotAction")) {
                problems.add(s.describe() + ": Allow with NotAction grants every other action");
            }
            for (JsonNode action : listOf(s.node().path("Action"))) {
                String text = literal(action).orElse(action.toString());
                if (text.contains("*") || text.contains("?")) {
                    problems.add(s.describe() + ": wildcard action '" + text + "'");
                }
            }
            if (listOf(s.node().path("Action")).isEmpty() && !s.node().has("NotAction")) {
                problems.add(s.describe() + ": no Action");
            }
        }
        assertNoProblems("wildcard IAM actions", problems);
    }

    @Test
    void allowStatementsHaveNoWildcardResourcesExceptDocumentedOnes() {
        List<String> problems = new ArrayList<>();
        for (Statement s : policies.statements()) {
            if (!s.isAllow()) {
                continue;
            }
            if (s.node().has("NotResource")) {
                problems.add(s.describe() + ": Allow with NotResource grants every other resource");
            }
            List<String> actions = listOf(s.node().path("Action")).stream()
                    .map(a -> literal(a).orElse(a.toString()))
                    .toList();
            boolean starIsOnlyOption = s.kind() == Kind.KEY_POLICY
                    || (!actions.isEmpty() && ACTIONS_ONLY_ALLOWING_STAR_RESOURCE.keySet().containsAll(actions));
            for (JsonNode resource : listOf(s.node().path("Resource"))) {
                String text = PolicyStatements.resourceText(resource);
                if (PolicyStatements.isOverlyBroad(text) && !(text.equals("*") && starIsOnlyOption)) {
                    problems.add(s.describe() + ": resource '" + text + "' for " + actions
                            + " (name the resource, or document the action in ACTIONS_ONLY_ALLOWING_STAR_RESOURCE)");
                }
            }
            if (s.kind() == Kind.IDENTITY && !s.node().has("Resource") && !s.node().has("NotResource")) {
                problems.add(s.describe() + ": no Resource");
            }
        }
        assertNoProblems("wildcard IAM resources", problems);
    }

    @Test
    void resourcePoliciesDoNotAllowAnyone() {
        List<String> problems = new ArrayList<>();
        for (Statement s : policies.statements()) {
            if (s.kind() == Kind.IDENTITY || !s.isAllow()) {
                continue;
            }
            JsonNode principal = s.node().path("Principal");
            boolean anyone = "*".equals(principal.asText(null))
                    || listOf(principal.path("AWS")).stream().anyMatch(p -> "*".equals(p.asText(null)));
            if (anyone) {
                problems.add(s.describe() + ": allows Principal '*'");
            }
        }
        assertNoProblems("public resource policies", problems);
    }

    @Test
    void everyPermissionIsWrittenOutAsStatements() {
        List<String> problems = policies.opaquePolicies().stream()
                .filter(p -> !ALLOWED_OPAQUE_POLICIES.containsKey(p.name()))
                .map(p -> p.where() + ": '" + p.name() + "' is a managed policy or SAM policy template whose"
                        + " statements this test cannot check (write the statements inline, or add it with a reason to"
                        + " ALLOWED_OPAQUE_POLICIES)")
                .toList();
        assertNoProblems("unchecked policies", problems);
    }

    // =========================================================================== data stores

    @Test
    void bucketsBlockAllPublicAccess() {
        List<String> problems = new ArrayList<>();
        template.resourcesOfType("AWS::S3::Bucket").forEach((id, bucket) -> {
            JsonNode block = bucket.path("Properties").path("PublicAccessBlockConfiguration");
            for (String flag : List.of("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls",
                    "RestrictPublicBuckets")) {
                if (!isTrue(block.path(flag))) {
                    problems.add(id + ": PublicAccessBlockConfiguration." + flag + " is not true");
                }
            }
        });
        assertNoProblems("public buckets", problems);
    }

    @Test
    void bucketsAreEncryptedAtRest() {
        Set<String> algorithms = Set.of("AES256", "aws:kms", "aws:kms:dsse");
        List<String> problems = new ArrayList<>();
        template.resourcesOfType("AWS::S3::Bucket").forEach((id, bucket) -> {
            List<JsonNode> rules = listOf(bucket.path("Properties").path("BucketEncryption")
                    .path("ServerSideEncryptionConfiguration"));
            if (rules.isEmpty()) {
                problems.add(id + ": no BucketEncryption.ServerSideEncryptionConfiguration");
            }
            for (JsonNode rule : rules) {
                String algorithm = rule.path("ServerSideEncryptionByDefault").path("SSEAlgorithm").asText("");
                if (!algorithms.contains(algorithm)) {
                    problems.add(id + ": SSEAlgorithm '" + algorithm + "' is not one of " + algorithms);
                }
            }
        });
        assertNoProblems("unencrypted buckets", problems);
    }

    @Test
    void bucketsDenyRequestsWithoutTls() {
        List<String> problems = new ArrayList<>();
        Map<String, JsonNode> bucketPolicies = template.resourcesOfType("AWS::S3::BucketPolicy");
        template.resourcesOfType("AWS::S3::Bucket").forEach((id, bucket) -> {
            boolean denied = bucketPolicies.values().stream()
                    .filter(p -> isRef(p.path("Properties").path("Bucket"), id))
                    .flatMap(p -> listOf(p.path("Properties").path("PolicyDocument").path("Statement")).stream())
                    .anyMatch(s -> deniesInsecureTransport(s, id));
            if (!denied) {
                problems.add(id + ": no bucket policy (Bucket: !Ref " + id + ") with a statement Effect Deny,"
                        + " Principal '*', Action 's3:*', on the bucket and its objects,"
                        + " Condition Bool aws:SecureTransport false");
            }
        });
        assertNoProblems("buckets reachable without TLS", problems);
    }

    private static boolean deniesInsecureTransport(JsonNode statement, String bucketId) {
        if (!"Deny".equals(statement.path("Effect").asText())) {
            return false;
        }
        JsonNode principal = statement.path("Principal");
        boolean everyone = "*".equals(principal.asText(null))
                || listOf(principal.path("AWS")).stream().anyMatch(p -> "*".equals(p.asText(null)));
        boolean allActions = listOf(statement.path("Action")).stream()
                .anyMatch(a -> "s3:*".equals(a.asText(null)) || "*".equals(a.asText(null)));
        List<JsonNode> resources = listOf(statement.path("Resource"));
        boolean bucketItself = resources.stream().anyMatch(r -> isGetAtt(r, bucketId, "Arn"));
        boolean objects = resources.stream()
                .anyMatch(r -> refersTo(r, bucketId) && PolicyStatements.resourceText(r).endsWith("/*"));
        JsonNode secure = statement.path("Condition").path("Bool").path("aws:SecureTransport");
        boolean insecureOnly = secure.isBoolean() ? !secure.booleanValue() : "false".equalsIgnoreCase(secure.asText());
        return everyone && allActions && bucketItself && objects && insecureOnly;
    }

    @Test
    void queuesAreEncrypted() {
        List<String> problems = new ArrayList<>();
        template.resourcesOfType("AWS::SQS::Queue").forEach((id, queue) -> {
            JsonNode props = queue.path("Properties");
            if (!isTrue(props.path("SqsManagedSseEnabled")) && props.path("KmsMasterKeyId").isMissingNode()) {
                problems.add(id + ": neither SqsManagedSseEnabled: true nor KmsMasterKeyId");
            }
        });
        assertNoProblems("unencrypted queues", problems);
    }

    @Test
    void tablesAreEncryptedWithSseSpecification() {
        List<String> problems = new ArrayList<>();
        for (String type : List.of("AWS::DynamoDB::Table", "AWS::DynamoDB::GlobalTable",
                "AWS::Serverless::SimpleTable")) {
            template.resourcesOfType(type).forEach((id, table) -> {
                if (!isTrue(table.path("Properties").path("SSESpecification").path("SSEEnabled"))) {
                    problems.add(id + ": SSESpecification.SSEEnabled is not true");
                }
            });
        }
        assertNoProblems("tables without SSESpecification", problems);
    }

    @Test
    void alarmTopicsCanBeUsedByCloudWatch() {
        // CloudWatch cannot publish to a topic encrypted with the AWS managed key alias/aws/sns (its key policy
        // cannot grant cloudwatch.amazonaws.com): every alarm notification would be dropped.
        List<String> problems = new ArrayList<>();
        Set<String> alarmTargets = new TreeSet<>();
        template.resourcesOfType("AWS::CloudWatch::Alarm").forEach((id, alarm) -> {
            for (String list : List.of("AlarmActions", "OKActions", "InsufficientDataActions")) {
                for (JsonNode action : listOf(alarm.path("Properties").path(list))) {
                    Optional.ofNullable(action.path("Ref").asText(null)).ifPresent(alarmTargets::add);
                }
            }
        });
        template.resourcesOfType("AWS::SNS::Topic").forEach((id, topic) -> {
            String key = topic.path("Properties").path("KmsMasterKeyId").asText("");
            if (alarmTargets.contains(id) && key.equals("alias/aws/sns")) {
                problems.add(id + ": alarm target encrypted with alias/aws/sns; use a customer managed key that"
                        + " grants cloudwatch.amazonaws.com kms:Decrypt and kms:GenerateDataKey");
            }
        });
        assertNoProblems("alarm topics CloudWatch cannot publish to", problems);
    }

    // =========================================================================== parameters

    @Test
    void secretLookingParametersAreNoEchoAndHaveNoSecretDefault() {
        List<String> problems = new ArrayList<>();
        template.parameters().fields().forEachRemaining(e -> {
            String name = e.getKey();
            JsonNode parameter = e.getValue();
            if (!looksLikeSecret(name)) {
                return;
            }
            if (NOT_SECRET_PARAMETERS.containsKey(name)) {
                String pattern = parameter.path("AllowedPattern").asText("");
                if (pattern.isEmpty()) {
                    problems.add(name + ": exempted as not a secret, so it needs an AllowedPattern that only admits"
                            + " its non-secret form (an ARN)");
                } else if (Pattern.matches(pattern, "sk-Abcdefghijklmnop0123456789abcdef")
                        || Pattern.matches(pattern, "0123456789abcdef0123456789abcdef")) {
                    problems.add(name + ": AllowedPattern " + pattern + " admits a pasted token");
                }
                return;
            }
            if (!isTrue(parameter.path("NoEcho"))) {
                problems.add(name + ": looks like a secret but is not NoEcho: true");
            }
            String defaultValue = parameter.path("Default").asText("");
            if (!defaultValue.isEmpty()) {
                problems.add(name + ": looks like a secret but has a Default (a secret never belongs in the template)");
            }
        });
        assertNoProblems("secret parameters", problems);
    }

    @Test
    void noParameterDefaultLooksLikeACredential() {
        List<String> problems = new ArrayList<>();
        template.parameters().fields().forEachRemaining(e -> {
            String value = e.getValue().path("Default").asText("");
            for (Pattern p : CREDENTIAL_PATTERNS) {
                if (p.matcher(value).find()) {
                    problems.add(e.getKey() + ": Default looks like a credential (" + p.pattern() + ")");
                }
            }
        });
        assertNoProblems("credentials in parameter defaults", problems);
    }

    static boolean looksLikeSecret(String parameterName) {
        String[] words = parameterName.split("(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|[_\\-.]");
        for (String word : words) {
            if (SECRET_WORDS.contains(word.toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }

    // =========================================================================== code and tools

    @Test
    void everyHandlerIsASourceFileOfItsFunctionModule() throws IOException {
        Path functions = template.repoRoot().resolve("functions");
        List<String> problems = new ArrayList<>();
        Map<String, JsonNode> functionsInTemplate = template.resourcesOfType("AWS::Serverless::Function");
        assertFalse(functionsInTemplate.isEmpty(), "template.yaml declares no AWS::Serverless::Function");
        for (String id : functionsInTemplate.keySet()) {
            String handler = template.functionProperty(id, "Handler").asText("");
            if (handler.isEmpty()) {
                problems.add(id + ": no Handler");
                continue;
            }
            String className = handler.contains("::") ? handler.substring(0, handler.indexOf("::")) : handler;
            String relative = className.replace('.', '/') + ".java";
            String module = FUNCTION_MODULES.getOrDefault(id, id.replaceFirst("Function$", "").toLowerCase(Locale.ROOT));
            Path expected = functions.resolve(module).resolve("src/main/java").resolve(relative);
            if (Files.isRegularFile(expected)) {
                continue;
            }
            List<Path> elsewhere = new ArrayList<>();
            if (Files.isDirectory(functions)) {
                try (Stream<Path> modules = Files.list(functions)) {
                    modules.map(m -> m.resolve("src/main/java").resolve(relative))
                            .filter(Files::isRegularFile)
                            .forEach(elsewhere::add);
                }
            }
            problems.add(id + ": Handler " + handler + " has no source file " + template.repoRoot().relativize(expected)
                    + (elsewhere.isEmpty() ? "" : " (found in " + elsewhere + ", but the Makefile packages only"
                    + " functions/" + module + " and its dependencies for " + id + ")"));
        }
        assertNoProblems("handlers without a source file", problems);
    }

    /** The handler class loads and Lambda can build it: a RequestHandler with a public no-argument constructor. */
    @Test
    void everyHandlerLoadsAsALambdaRequestHandler() {
        List<String> problems = new ArrayList<>();
        for (String id : template.resourcesOfType("AWS::Serverless::Function").keySet()) {
            String handler = template.functionProperty(id, "Handler").asText("");
            String className = handler.contains("::") ? handler.substring(0, handler.indexOf("::")) : handler;
            try {
                Class<?> type = Class.forName(className, false, getClass().getClassLoader());
                if (!com.amazonaws.services.lambda.runtime.RequestHandler.class.isAssignableFrom(type)) {
                    problems.add(id + ": " + className + " is not a RequestHandler");
                }
                if (java.lang.reflect.Modifier.isAbstract(type.getModifiers())) {
                    problems.add(id + ": " + className + " is abstract");
                }
                type.getConstructor();
            } catch (ClassNotFoundException e) {
                problems.add(id + ": " + className + " does not load");
            } catch (NoSuchMethodException e) {
                problems.add(id + ": " + className + " has no public no-argument constructor");
            }
        }
        assertNoProblems("handlers Lambda could not start", problems);
    }

    @Test
    void everyFunctionIsBuiltByTheMakefile() throws IOException {
        Path makefile = template.repoRoot().resolve("Makefile");
        assertTrue(Files.isRegularFile(makefile), "no Makefile at the repository root");
        Set<String> targets = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^(build-[A-Za-z0-9]+)\\s*:").matcher(Files.readString(makefile));
        while (m.find()) {
            targets.add(m.group(1));
        }
        List<String> problems = new ArrayList<>();
        template.resourcesOfType("AWS::Serverless::Function").forEach((id, function) -> {
            if (!"makefile".equals(function.path("Metadata").path("BuildMethod").asText())) {
                problems.add(id + ": Metadata.BuildMethod is not makefile");
            }
            if (!".".equals(template.functionProperty(id, "CodeUri").asText())) {
                problems.add(id + ": CodeUri is not '.' (the Makefile builds from the repository root)");
            }
            if (!targets.contains("build-" + id)) {
                problems.add(id + ": the Makefile has no target build-" + id + " (has " + targets + ")");
            }
        });
        assertNoProblems("functions SAM cannot build", problems);
    }

    @Test
    void cfnLintReportsNothing() throws Exception {
        Path cfnLint = findOnPath("cfn-lint").orElseThrow(() -> new AssertionError(
                "cfn-lint is not on the PATH (" + System.getenv("PATH") + "): install it (pip install cfn-lint)."
                        + " This check is required, it is never skipped."));
        ProcessBuilder builder = new ProcessBuilder(cfnLint.toString(), "template.yaml")
                .directory(template.repoRoot().toFile())
                .redirectErrorStream(true);
        Process process = builder.start();
        process.getOutputStream().close();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> {
            try (InputStream in = process.getInputStream()) {
                in.transferTo(output);
            } catch (IOException ignored) {
                // the process was killed
            }
        });
        reader.start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            fail("cfn-lint template.yaml did not finish within 5 minutes");
        }
        reader.join(10_000);
        String text = output.toString(StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), "cfn-lint template.yaml failed:\n" + text);
        assertEquals("", text.strip(), "cfn-lint template.yaml printed findings:\n" + text);
    }

    static Optional<Path> findOnPath(String program) {
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
        for (String dir : path.split(Pattern.quote(File.pathSeparator))) {
            if (dir.isBlank()) {
                continue;
            }
            Path candidate = Paths.get(dir).resolve(program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    // =========================================================================== consistency of the retry design

    @Test
    void jobsQueueVisibilityTimeoutIsAtLeastSixWorkerTimeouts() {
        long visibility = number(template.resource("JobsQueue").path("Properties").path("VisibilityTimeout"))
                .orElseThrow(() -> new AssertionError("JobsQueue.VisibilityTimeout must be a literal number"));
        long timeout = number(template.functionProperty("WorkerFunction", "Timeout"))
                .orElseThrow(() -> new AssertionError("WorkerFunction Timeout must be a literal number"));
        assertTrue(visibility >= 6 * timeout, "JobsQueue VisibilityTimeout " + visibility
                + " must be >= 6 x WorkerFunction Timeout " + timeout + " = " + 6 * timeout);
    }

    @Test
    void jobsQueueRedriveLeavesRoomForBackoffReturns() {
        JsonNode redrive = template.resource("JobsQueue").path("Properties").path("RedrivePolicy");
        long maxReceiveCount = number(redrive.path("maxReceiveCount"))
                .orElseThrow(() -> new AssertionError("JobsQueue RedrivePolicy.maxReceiveCount must be a number"));
        assertTrue(maxReceiveCount >= 10, "maxReceiveCount " + maxReceiveCount + " must be >= 10: every backoff"
                + " return of a message counts as a receive");
        assertTrue(isGetAtt(redrive.path("deadLetterTargetArn"), "JobsDeadLetterQueue", "Arn"),
                "JobsQueue must redrive to JobsDeadLetterQueue, has " + redrive.path("deadLetterTargetArn"));
        number(template.parameters().path("MaxAttempts").path("MaxValue")).ifPresent(maxAttempts ->
                assertTrue(maxReceiveCount > maxAttempts, "maxReceiveCount " + maxReceiveCount
                        + " must exceed the largest MaxAttempts (" + maxAttempts + "): the worker, not SQS, decides"
                        + " when a job has failed"));
    }

    @Test
    void noFunctionRelaxesTheOutboundUrlGuard() {
        List<JsonNode> environments = new ArrayList<>();
        environments.add(template.root().path("Globals").path("Function").path("Environment").path("Variables"));
        template.resourcesOfType("AWS::Serverless::Function").keySet().forEach(id ->
                environments.add(template.functionProperty(id, "Environment").path("Variables")));
        for (JsonNode env : environments) {
            for (String name : List.of("ALLOW_LOCAL_URLS", "API_ALLOW_LOCAL_VOICE_URLS")) {
                assertFalse(env.has(name), name + " is for local runs and tests only; it must not be in the template");
            }
        }
    }

    @Test
    void jobEventsComeFromTheJobsTableStreamAndGoToOneBusOnly() {
        assertEquals("NEW_AND_OLD_IMAGES", template.resource("JobsTable").path("Properties")
                .path("StreamSpecification").path("StreamViewType").asText(), "the notifier needs both images");
        List<JsonNode> streams = events("NotifyFunction", "DynamoDB");
        assertEquals(1, streams.size(), "NotifyFunction reads exactly one stream");
        JsonNode props = streams.get(0).path("Properties");
        assertTrue(isGetAtt(props.path("Stream"), "JobsTable", "StreamArn"), "it must be the jobs table's stream");
        assertEquals(List.of("ReportBatchItemFailures"), listOf(props.path("FunctionResponseTypes")).stream()
                .map(JsonNode::asText).toList(), "partial batch failures, so no record before a failure repeats");
        assertTrue(isTrue(props.path("BisectBatchOnFunctionError")), "a failing record must be isolated");
        assertTrue(isGetAtt(props.path("DestinationConfig").path("OnFailure").path("Destination"),
                "NotifyDeadLetterQueue", "Arn"), "records that cannot be announced must not vanish");
        List<Statement> puts = policies.statements().stream().filter(Statement::isAllow)
                .filter(st -> listOf(st.node().path("Action")).stream()
                        .anyMatch(a -> a.asText("").startsWith("events:")))
                .toList();
        assertEquals(1, puts.size(), "one statement grants EventBridge actions: " + puts);
        Statement put = puts.get(0);
        assertTrue(put.describe().startsWith("NotifyFunction"), "only NotifyFunction publishes: " + put.describe());
        assertEquals(List.of("events:PutEvents"), listOf(put.node().path("Action")).stream().map(JsonNode::asText)
                .toList());
        List<JsonNode> buses = listOf(put.node().path("Resource"));
        assertEquals(2, buses.size(), "the created bus or the default bus, chosen by the EventBus parameter");
        assertTrue(isGetAtt(buses.get(0), "JobEventsBus", "Arn"), buses.toString());
        assertTrue(PolicyStatements.resourceText(buses.get(1)).endsWith(":event-bus/default"), buses.toString());
    }

    @Test
    void webhookDeliveriesAreBoundedByTheirQueueAndFunction() {
        long visibility = number(template.resource("WebhooksQueue").path("Properties").path("VisibilityTimeout"))
                .orElseThrow();
        long timeout = number(template.functionProperty("WebhookFunction", "Timeout")).orElseThrow();
        assertTrue(visibility >= 6 * timeout, "WebhooksQueue VisibilityTimeout must be >= 6 x WebhookFunction Timeout");
        long attempt = number(template.functionProperty("WebhookFunction", "Environment").path("Variables")
                .path("WEBHOOK_TIMEOUT_SECONDS")).orElseThrow();
        long batch = number(events("WebhookFunction", "SQS").get(0).path("Properties").path("BatchSize"))
                .orElseThrow();
        assertTrue(batch * (attempt + 3) + 5 <= timeout, "a batch of hanging receivers must fit the function's"
                + " timeout: " + batch + " x (" + attempt + " s + 3 s) + 5 s > " + timeout + " s");
        assertTrue(number(template.parameters().path("WebhookRetrySeconds").path("MinValue")).orElseThrow() >= 86_400,
                "webhooks are retried for at least 24 h");
    }

    @Test
    void theApiAnswersCreatesBeforeItsTimeouts() {
        JsonNode env = template.functionProperty("ApiFunction", "Environment").path("Variables");
        long wait = number(env.path("API_CREATE_WAIT_SECONDS"))
                .orElseThrow(() -> new AssertionError("ApiFunction API_CREATE_WAIT_SECONDS must be a literal number"));
        long timeout = number(template.functionProperty("ApiFunction", "Timeout"))
                .orElseThrow(() -> new AssertionError("ApiFunction Timeout must be a literal number"));
        long gatewayMillis = number(events("ApiFunction", "HttpApi").get(0).path("Properties").path("TimeoutInMillis"))
                .orElseThrow(() -> new AssertionError("the HttpApi event needs a literal TimeoutInMillis"));
        assertTrue(wait + 3 <= timeout && timeout * 1000 < gatewayMillis, "POST /fish/model must answer before the"
                + " function (" + timeout + " s) and API Gateway (" + gatewayMillis + " ms) time out; waits " + wait + " s");
    }

    @Test
    void workerReportsBatchItemFailuresForTheJobsQueue() {
        List<JsonNode> sqsEvents = events("WorkerFunction", "SQS");
        assertEquals(1, sqsEvents.size(), "WorkerFunction must have exactly one SQS event");
        JsonNode props = sqsEvents.get(0).path("Properties");
        assertTrue(isGetAtt(props.path("Queue"), "JobsQueue", "Arn"), "the worker's SQS event must read JobsQueue");
        List<String> types = listOf(props.path("FunctionResponseTypes")).stream().map(JsonNode::asText).toList();
        assertEquals(List.of("ReportBatchItemFailures"), types,
                "the worker's SQS event must have FunctionResponseTypes [ReportBatchItemFailures]");
    }

    /**
     * Sample URLs are presigned with the exact {@code versionId} ingest checked, and S3 authorises a GET of a
     * version against {@code s3:GetObjectVersion}, not {@code s3:GetObject}: a role with only the latter signs URLs
     * that the upstream's download is refused with (moto does not check this, so only the template can).
     */
    @Test
    void everyRoleThatReadsSamplesMayReadTheirVersions() {
        List<Statement> sampleReads = policies.statements().stream()
                .filter(st -> st.kind() == Kind.IDENTITY && st.isAllow())
                .filter(st -> actions(st).contains("s3:GetObject"))
                .filter(st -> listOf(st.node().path("Resource")).stream()
                        .map(PolicyStatements::resourceText)
                        .anyMatch(r -> r.endsWith("/incoming/*") || r.endsWith("/uploads/*")))
                .toList();
        assertTrue(sampleReads.stream().anyMatch(st -> st.where().startsWith("WorkerFunction")),
                "the worker must be allowed to read samples");
        for (Statement st : sampleReads) {
            assertTrue(actions(st).contains("s3:GetObjectVersion"),
                    st.describe() + " allows s3:GetObject on samples but not s3:GetObjectVersion");
        }
    }

    private static List<String> actions(Statement st) {
        return listOf(st.node().path("Action")).stream().map(JsonNode::asText).toList();
    }

    @Test
    void ingestIsTriggeredOnlyUnderIncoming() {
        List<JsonNode> s3Events = events("IngestFunction", "S3");
        assertEquals(1, s3Events.size(), "IngestFunction must have exactly one S3 event");
        JsonNode props = s3Events.get(0).path("Properties");
        assertTrue(isRef(props.path("Bucket"), "AudioBucket"), "the S3 event must be on AudioBucket");
        List<String> prefixes = listOf(props.path("Filter").path("S3Key").path("Rules")).stream()
                .filter(rule -> "prefix".equalsIgnoreCase(rule.path("Name").asText()))
                .map(rule -> rule.path("Value").asText())
                .toList();
        assertEquals(List.of("incoming/"), prefixes, "the S3 event filter prefix must be exactly incoming/"
                + " (status/ and uploads/ objects must not trigger ingest)");
    }

    @Test
    void onlyIntrinsicsTheLocalRunnerResolves() {
        Set<String> used = new TreeSet<>();
        collectFunctionNames(template.root(), used);
        used.removeAll(RUNNER_INTRINSICS);
        assertTrue(used.isEmpty(), "template.yaml uses intrinsics the local runner does not resolve: " + used);
    }

    private static void collectFunctionNames(JsonNode node, Set<String> out) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().startsWith("Fn::")) {
                    out.add(e.getKey());
                }
                collectFunctionNames(e.getValue(), out);
            }
        } else if (node.isArray()) {
            node.forEach(child -> collectFunctionNames(child, out));
        }
    }

    @Test
    void globalsSetEveryEnvironmentVariableTheCodeReads() {
        JsonNode variables = template.root().path("Globals").path("Function").path("Environment").path("Variables");
        List<String> missing = ENVIRONMENT_CONTRACT.stream().filter(name -> !variables.has(name)).toList();
        assertTrue(missing.isEmpty(), "Globals.Function.Environment.Variables lacks " + missing);
    }

    private List<JsonNode> events(String functionId, String type) {
        List<JsonNode> out = new ArrayList<>();
        template.resource(functionId).path("Properties").path("Events").forEach(event -> {
            if (type.equals(event.path("Type").asText())) {
                out.add(event);
            }
        });
        return out;
    }

    private static void assertNoProblems(String what, List<String> problems) {
        if (!problems.isEmpty()) {
            fail(problems.size() + " " + what + " in template.yaml:\n  "
                    + problems.stream().collect(Collectors.joining("\n  ")));
        }
    }
}
