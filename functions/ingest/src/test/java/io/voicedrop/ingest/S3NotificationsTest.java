package io.voicedrop.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import io.voicedrop.core.model.UploadedObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class S3NotificationsTest {

    /** What S3 sends when a notification configuration is saved (moto sends it too). */
    static final String TEST_EVENT = "{\"Service\":\"Amazon S3\",\"Event\":\"s3:TestEvent\",\"Time\":"
            + "\"2026-11-27T10:00:00.000Z\",\"Bucket\":\"voicedrop-audio\",\"RequestId\":\"5582815E1AEA5ADF\","
            + "\"HostId\":\"8cLeGAmw098X5cv4Zkwcmo8vvZa3eH3eKxsPzbB9wrR+YstdA6Knx4Ip8EXAMPLE\"}";

    static S3Event event(String json) {
        return LambdaEventSerializers.serializerFor(S3Event.class, S3NotificationsTest.class.getClassLoader())
                .fromJson(json);
    }

    static String record(String eventName, String rawKey, long size) {
        return "{\"eventVersion\":\"2.1\",\"eventSource\":\"aws:s3\",\"awsRegion\":\"us-east-1\","
                + "\"eventTime\":\"2026-11-27T10:00:00.000Z\",\"eventName\":\"" + eventName + "\","
                + "\"userIdentity\":{\"principalId\":\"x\"},\"requestParameters\":{\"sourceIPAddress\":\"127.0.0.1\"},"
                + "\"responseElements\":{},\"s3\":{\"s3SchemaVersion\":\"1.0\",\"configurationId\":\"c\","
                + "\"bucket\":{\"name\":\"b\",\"ownerIdentity\":{\"principalId\":\"x\"},\"arn\":\"arn:aws:s3:::b\"},"
                + "\"object\":{\"key\":\"" + rawKey + "\",\"size\":" + size + ",\"eTag\":\"abc\","
                + "\"versionId\":\"v1\",\"sequencer\":\"00\"}}}";
    }

    @Test
    void theTestEventYieldsNoUploads() {
        assertTrue(S3Notifications.createdObjects(event(TEST_EVENT)).isEmpty());
        assertTrue(S3Notifications.createdObjects(event("{\"Records\":[]}")).isEmpty());
        assertTrue(S3Notifications.createdObjects(null).isEmpty());
    }

    @Test
    void onlyCreatedObjectsCountAndKeysAreDecoded() {
        S3Event e = event("{\"Records\":[" + record("ObjectCreated:Put", "incoming/my+voice%2B1+%C3%BC+100%25.wav", 7)
                + "," + record("ObjectRemoved:Delete", "incoming/gone.wav", 0)
                + "," + record("ObjectCreated:CompleteMultipartUpload", "incoming/a/model.json", 2) + "]}");
        List<UploadedObject> uploads = S3Notifications.createdObjects(e);
        assertEquals(List.of(new UploadedObject("b", "incoming/my voice+1 ü 100%.wav", "v1", "abc", 7),
                new UploadedObject("b", "incoming/a/model.json", "v1", "abc", 2)), uploads);
    }
}
