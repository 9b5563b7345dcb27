package io.voicedrop.ingest;

import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3EventNotificationRecord;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3ObjectEntity;
import io.voicedrop.core.model.UploadedObject;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Reads the created objects out of an S3 notification. */
public final class S3Notifications {

    private S3Notifications() {
    }

    /**
     * The objects created in this notification, keys decoded. A bucket's {@code s3:TestEvent} has no records and
     * yields nothing; other event types (deletes, restores) are skipped.
     */
    public static List<UploadedObject> createdObjects(S3Event event) {
        if (event == null || event.getRecords() == null) {
            return List.of();
        }
        return event.getRecords().stream()
                .filter(r -> r.getEventName() != null && r.getEventName().startsWith("ObjectCreated"))
                .map(S3Notifications::toUpload)
                .toList();
    }

    private static UploadedObject toUpload(S3EventNotificationRecord r) {
        S3ObjectEntity o = r.getS3().getObject();
        Long size = o.getSizeAsLong();
        return new UploadedObject(r.getS3().getBucket().getName(), decodeKey(o.getKey()), o.getVersionId(),
                o.geteTag(), size == null ? 0 : size);
    }

    /** S3 notification keys are form-URL-encoded: {@code +} is a space and {@code %2B} a plus sign. */
    static String decodeKey(String rawKey) {
        return URLDecoder.decode(rawKey, StandardCharsets.UTF_8);
    }
}
