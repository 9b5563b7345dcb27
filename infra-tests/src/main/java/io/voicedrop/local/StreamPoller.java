package io.voicedrop.local;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * What Lambda's DynamoDB event source mapping does, for the local runner: reads a table's stream in order, hands
 * each batch to the function, and on a failure starts again exactly where Lambda would: at the record the function
 * reported (ReportBatchItemFailures), or at the first record of a batch whose invocation failed as a whole. The
 * stream is read from where it stood when the poller started (the runner's tables are new).
 */
final class StreamPoller {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(StreamPoller.class);

    private final DynamoDbStreamsClient streams;
    private final String streamArn;
    private final int batchSize;
    private final Function<DynamodbEvent, StreamsEventResponse> function;
    private String shardId;
    private String iterator;

    StreamPoller(DynamoDbStreamsClient streams, String streamArn, int batchSize,
                 Function<DynamodbEvent, StreamsEventResponse> function) {
        this.streams = streams;
        this.streamArn = streamArn;
        this.batchSize = batchSize;
        this.function = function;
        // Positioned now, before any job exists: every later change is seen.
        shardId = streams.describeStream(b -> b.streamArn(streamArn)).streamDescription().shards().get(0).shardId();
        iterator = streams.getShardIterator(b -> b.streamArn(streamArn).shardId(shardId)
                .shardIteratorType(ShardIteratorType.LATEST)).shardIterator();
    }

    void run(BooleanSupplier running) {
        while (running.getAsBoolean()) {
            try {
                if (!pollOnce()) {
                    Thread.sleep(100);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                if (running.getAsBoolean()) {
                    LOG.warn("reading the jobs table's stream failed; trying again", e);
                    sleep();
                }
            }
        }
    }

    /** One GetRecords and, if it returned records, one invocation. Returns false when there was nothing to read. */
    boolean pollOnce() {
        GetRecordsResponse r = streams.getRecords(b -> b.shardIterator(iterator).limit(batchSize));
        List<Record> records = r.records();
        if (records.isEmpty()) {
            iterator = r.nextShardIterator();
            return false;
        }
        String retryFrom;
        try {
            StreamsEventResponse response = function.apply(toEvent(records));
            retryFrom = response == null || response.getBatchItemFailures() == null
                    || response.getBatchItemFailures().isEmpty() ? null
                    : response.getBatchItemFailures().get(0).getItemIdentifier();
        } catch (RuntimeException | Error invocationFailed) {
            LOG.warn("the stream function failed; its batch is retried", invocationFailed);
            retryFrom = records.get(0).dynamodb().sequenceNumber();
        }
        if (retryFrom == null) {
            iterator = r.nextShardIterator();
        } else {
            String at = retryFrom;
            iterator = streams.getShardIterator(b -> b.streamArn(streamArn).shardId(shardId)
                    .shardIteratorType(ShardIteratorType.AT_SEQUENCE_NUMBER).sequenceNumber(at)).shardIterator();
            sleep(); // Lambda retries a failed batch after a short backoff
        }
        return true;
    }

    private DynamodbEvent toEvent(List<Record> records) {
        DynamodbEvent event = new DynamodbEvent();
        event.setRecords(records.stream().map(rec -> {
            DynamodbEvent.DynamodbStreamRecord out = new DynamodbEvent.DynamodbStreamRecord();
            out.setEventID(rec.eventID());
            out.setEventName(rec.eventNameAsString());
            out.setEventSource("aws:dynamodb");
            out.setEventSourceARN(streamArn);
            out.setAwsRegion(rec.awsRegion());
            StreamRecord sr = new StreamRecord();
            sr.setSequenceNumber(rec.dynamodb().sequenceNumber());
            sr.setStreamViewType(com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamViewType
                    .fromValue(rec.dynamodb().streamViewTypeAsString()));
            sr.setKeys(image(rec.dynamodb().keys()));
            sr.setNewImage(rec.dynamodb().hasNewImage() ? image(rec.dynamodb().newImage()) : null);
            sr.setOldImage(rec.dynamodb().hasOldImage() ? image(rec.dynamodb().oldImage()) : null);
            out.setDynamodb(sr);
            return out;
        }).toList());
        return event;
    }

    /** The attribute kinds VoiceDrop's items use (strings, numbers, booleans); others are left out. */
    private static Map<String, AttributeValue> image(Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> in) {
        Map<String, AttributeValue> out = new HashMap<>();
        in.forEach((name, v) -> {
            if (v.s() != null) {
                out.put(name, new AttributeValue().withS(v.s()));
            } else if (v.n() != null) {
                out.put(name, new AttributeValue().withN(v.n()));
            } else if (v.bool() != null) {
                out.put(name, new AttributeValue().withBOOL(v.bool()));
            }
        });
        return out;
    }

    private static void sleep() {
        try {
            Thread.sleep(300);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
