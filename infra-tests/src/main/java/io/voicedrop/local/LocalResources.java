package io.voicedrop.local;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Creates, in the emulator, the buckets, queues, tables and secrets that {@code template.yaml} declares, with the
 * template's key schemas, indexes, visibility timeouts and redrive policies. Creating an existing resource is a
 * no-op, so a runner can reuse a long-lived endpoint such as LocalStack.
 */
final class LocalResources {

    private final CfnTemplate template;
    private final S3Client s3;
    private final SqsClient sqs;
    private final DynamoDbClient dynamo;
    private final SecretsManagerClient secrets;
    private final EventBridgeClient events;

    LocalResources(CfnTemplate template, S3Client s3, SqsClient sqs, DynamoDbClient dynamo, SecretsManagerClient secrets,
                   EventBridgeClient events) {
        this.template = template;
        this.s3 = s3;
        this.sqs = sqs;
        this.dynamo = dynamo;
        this.secrets = secrets;
        this.events = events;
    }

    void createAll(String upstreamToken) {
        createBuckets();
        createQueues();
        createTables();
        createSecrets(upstreamToken);
        createEventBuses();
    }

    /** Buses the template creates (with {@code EventBus=voicedrop}); the default bus always exists. */
    private void createEventBuses() {
        template.resourcesOfType("AWS::Events::EventBus").forEach((id, res) -> {
            String name = template.resolveString(CfnTemplate.properties(res).get("Name"));
            String arn;
            try {
                arn = events.createEventBus(b -> b.name(name)).eventBusArn();
            } catch (software.amazon.awssdk.services.eventbridge.model.ResourceAlreadyExistsException exists) {
                arn = events.describeEventBus(b -> b.name(name)).arn();
            }
            template.registerPhysical(id, name, Map.of("Arn", arn, "Name", name));
        });
    }

    private void createBuckets() {
        template.resourcesOfType("AWS::S3::Bucket").forEach((id, res) -> {
            Map<String, Object> p = CfnTemplate.properties(res);
            String name = p.containsKey("BucketName") ? template.resolveString(p.get("BucketName")) : id.toLowerCase();
            if (s3.listBuckets().buckets().stream().noneMatch(b -> b.name().equals(name))) {
                s3.createBucket(b -> b.bucket(name));
            }
            s3.putBucketVersioning(b -> b.bucket(name).versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
            template.registerPhysical(id, name, Map.of("Arn", "arn:aws:s3:::" + name));
        });
    }

    @SuppressWarnings("unchecked")
    private void createQueues() {
        Map<String, Map<String, Object>> queues = template.resourcesOfType("AWS::SQS::Queue");
        queues.forEach((id, res) -> {
            String url = sqs.createQueue(b -> b.queueName(id)).queueUrl();
            template.registerPhysical(id, url, Map.of("Arn", queueArn(sqs, url), "QueueName", id, "QueueUrl", url));
        });
        // Attributes second: a redrive policy names its dead-letter queue, which must exist by then.
        queues.forEach((id, res) -> {
            Map<String, Object> p = CfnTemplate.properties(res);
            Map<QueueAttributeName, String> attrs = new HashMap<>();
            if (p.containsKey("VisibilityTimeout")) {
                attrs.put(QueueAttributeName.VISIBILITY_TIMEOUT, template.resolveString(p.get("VisibilityTimeout")));
            }
            if (p.containsKey("MessageRetentionPeriod")) {
                attrs.put(QueueAttributeName.MESSAGE_RETENTION_PERIOD, template.resolveString(p.get("MessageRetentionPeriod")));
            }
            if (p.containsKey("RedrivePolicy")) {
                Map<String, Object> redrive = (Map<String, Object>) template.resolve(p.get("RedrivePolicy"));
                attrs.put(QueueAttributeName.REDRIVE_POLICY, "{\"deadLetterTargetArn\":\"" + redrive.get("deadLetterTargetArn")
                        + "\",\"maxReceiveCount\":\"" + redrive.get("maxReceiveCount") + "\"}");
            }
            if (!attrs.isEmpty()) {
                String url = template.resolveString(Map.of("Ref", id));
                sqs.setQueueAttributes(b -> b.queueUrl(url).attributes(attrs));
            }
        });
    }

    /** The emulator's own ARN: LocalStack and moto file queues under different account ids. */
    static String queueArn(SqsClient sqs, String url) {
        return sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
    }

    @SuppressWarnings("unchecked")
    private void createTables() {
        template.resourcesOfType("AWS::DynamoDB::Table").forEach((id, res) -> {
            Map<String, Object> p = (Map<String, Object>) template.resolve(CfnTemplate.properties(res));
            String name = p.containsKey("TableName") ? (String) p.get("TableName") : id;
            List<AttributeDefinition> attrs = new ArrayList<>();
            for (Map<String, Object> a : (List<Map<String, Object>>) p.get("AttributeDefinitions")) {
                attrs.add(AttributeDefinition.builder().attributeName((String) a.get("AttributeName"))
                        .attributeType((String) a.get("AttributeType")).build());
            }
            CreateTableRequest.Builder req = CreateTableRequest.builder().tableName(name)
                    .billingMode(BillingMode.PAY_PER_REQUEST).attributeDefinitions(attrs)
                    .keySchema(keys((List<Map<String, Object>>) p.get("KeySchema")));
            List<GlobalSecondaryIndex> gsis = new ArrayList<>();
            for (Map<String, Object> g : (List<Map<String, Object>>) p.getOrDefault("GlobalSecondaryIndexes", List.of())) {
                Map<String, Object> projection = (Map<String, Object>) g.get("Projection");
                gsis.add(GlobalSecondaryIndex.builder().indexName((String) g.get("IndexName"))
                        .keySchema(keys((List<Map<String, Object>>) g.get("KeySchema")))
                        .projection(Projection.builder().projectionType(ProjectionType.fromValue((String) projection.get("ProjectionType"))).build())
                        .build());
            }
            if (!gsis.isEmpty()) {
                req.globalSecondaryIndexes(gsis);
            }
            Map<String, Object> stream = (Map<String, Object>) p.get("StreamSpecification");
            if (stream != null) {
                req.streamSpecification(s -> s.streamEnabled(true)
                        .streamViewType(String.valueOf(stream.get("StreamViewType"))));
            }
            try {
                dynamo.createTable(req.build());
            } catch (ResourceInUseException exists) {
                // reused endpoint: keep the table
            }
            Map<String, String> attributes = new HashMap<>();
            attributes.put("Arn", "arn:aws:dynamodb:us-east-1:" + CfnTemplate.ACCOUNT + ":table/" + name);
            String streamArn = dynamo.describeTable(b -> b.tableName(name)).table().latestStreamArn();
            if (streamArn != null) {
                attributes.put("StreamArn", streamArn);
            }
            template.registerPhysical(id, name, attributes);
        });
    }

    /** Letters and digits of the template's PasswordLength (ExcludePunctuation), from a secure random source. */
    @SuppressWarnings("unchecked")
    private static String generated(Map<String, Object> secret) {
        Map<String, Object> spec = (Map<String, Object>) CfnTemplate.properties(secret)
                .getOrDefault("GenerateSecretString", Map.of());
        int length = Integer.parseInt(String.valueOf(spec.getOrDefault("PasswordLength", "32")));
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        java.security.SecureRandom random = new java.security.SecureRandom();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < length; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    private static List<KeySchemaElement> keys(List<Map<String, Object>> schema) {
        return schema.stream().map(k -> KeySchemaElement.builder().attributeName((String) k.get("AttributeName"))
                .keyType((String) k.get("KeyType")).build()).toList();
    }

    /** The upstream token goes into FishTokenSecret; every other secret gets a value as GenerateSecretString would. */
    private void createSecrets(String upstreamToken) {
        template.resourcesOfType("AWS::SecretsManager::Secret").forEach((id, res) -> {
            String value = id.equals("FishTokenSecret") ? upstreamToken : generated(res);
            String arn;
            try {
                arn = secrets.createSecret(b -> b.name(id).secretString(value)).arn();
            } catch (software.amazon.awssdk.services.secretsmanager.model.ResourceExistsException exists) {
                secrets.putSecretValue(b -> b.secretId(id).secretString(value));
                arn = secrets.describeSecret(b -> b.secretId(id)).arn();
            }
            template.registerPhysical(id, arn, Map.of("Id", arn));
        });
    }
}
