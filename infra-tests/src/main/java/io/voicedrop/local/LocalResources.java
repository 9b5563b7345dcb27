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

    LocalResources(CfnTemplate template, S3Client s3, SqsClient sqs, DynamoDbClient dynamo, SecretsManagerClient secrets) {
        this.template = template;
        this.s3 = s3;
        this.sqs = sqs;
        this.dynamo = dynamo;
        this.secrets = secrets;
    }

    void createAll(String upstreamToken) {
        createBuckets();
        createQueues();
        createTables();
        createSecrets(upstreamToken);
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
            try {
                dynamo.createTable(req.build());
            } catch (ResourceInUseException exists) {
                // reused endpoint: keep the table
            }
            template.registerPhysical(id, name, Map.of("Arn", "arn:aws:dynamodb:us-east-1:" + CfnTemplate.ACCOUNT + ":table/" + name));
        });
    }

    private static List<KeySchemaElement> keys(List<Map<String, Object>> schema) {
        return schema.stream().map(k -> KeySchemaElement.builder().attributeName((String) k.get("AttributeName"))
                .keyType((String) k.get("KeyType")).build()).toList();
    }

    private void createSecrets(String upstreamToken) {
        template.resourcesOfType("AWS::SecretsManager::Secret").forEach((id, res) -> {
            String arn;
            try {
                arn = secrets.createSecret(b -> b.name(id).secretString(upstreamToken)).arn();
            } catch (software.amazon.awssdk.services.secretsmanager.model.ResourceExistsException exists) {
                secrets.putSecretValue(b -> b.secretId(id).secretString(upstreamToken));
                arn = secrets.describeSecret(b -> b.secretId(id)).arn();
            }
            template.registerPhysical(id, arn, Map.of("Id", arn));
        });
    }
}
