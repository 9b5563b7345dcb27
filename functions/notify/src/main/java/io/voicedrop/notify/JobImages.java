package io.voicedrop.notify;

import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import io.voicedrop.adapters.json.Json;
import io.voicedrop.core.model.Job;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a job from a jobs-table stream image, as {@code DynamoJobStore} writes it: the whole job as JSON in
 * {@code body}, its {@code version} beside it. Other items of the table (owners, request claims, the pause and
 * rate-budget control items) have no {@code body} and are not jobs.
 */
final class JobImages {

    private JobImages() {
    }

    static Optional<Job> of(Map<String, AttributeValue> image) {
        if (image == null) {
            return Optional.empty();
        }
        AttributeValue body = image.get("body");
        AttributeValue version = image.get("version");
        if (body == null || body.getS() == null || version == null || version.getN() == null) {
            return Optional.empty();
        }
        return Optional.of(Json.read(body.getS(), Job.class).withVersion(Long.parseLong(version.getN())));
    }
}
