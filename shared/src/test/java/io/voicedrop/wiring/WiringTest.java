package io.voicedrop.wiring;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voicedrop.core.port.FishApi;
import io.voicedrop.core.port.JobEventPublisher;
import io.voicedrop.testing.InMemoryJobStore;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/** The plain functions' composition root builds what is asked for, once, on the replacements it was given. */
class WiringTest {

    @Test
    void theIngestBuildsNeitherTheUpstreamNorEventBridge() {
        try (Wiring wiring = Wiring.of(UnreachableConfig.get())) {
            wiring.uploadIngestor();
            assertTrue(wiring.built(DynamoDbClient.class) && wiring.built(S3Client.class));
            assertFalse(wiring.built(FishApi.class), "the ingest never calls the upstream");
            assertFalse(wiring.built(JobEventPublisher.class));
        }
    }

    @Test
    void aComponentIsBuiltOnceAndSharedByWhatUsesIt() {
        try (Wiring wiring = Wiring.of(UnreachableConfig.get())) {
            assertSame(wiring.jobRunner(), wiring.jobRunner());
            assertSame(wiring.fishApi(), wiring.fishApi());
            assertSame(wiring.upstreamPause(), wiring.upstreamPause());
        }
    }

    @Test
    void aReplacementStandsInForEveryUseOfItsType() {
        InMemoryJobStore jobs = new InMemoryJobStore();
        try (Wiring wiring = Wiring.of(UnreachableConfig.get(), jobs)) {
            wiring.sampleRetention();
            assertSame(jobs, wiring.jobStore());
            // the retention's job store is the replacement: no DynamoDB client was needed for it
            assertFalse(wiring.built(DynamoDbClient.class));
        }
    }
}
