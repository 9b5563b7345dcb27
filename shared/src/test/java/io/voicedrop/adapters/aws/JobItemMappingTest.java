package io.voicedrop.adapters.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.voicedrop.core.model.Job;
import io.voicedrop.testing.Jobs;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The jobs table's item shape is a stored format: items written by older releases must still read, and readers of
 * the table (streams, operators' queries) see these exact attributes. The golden file was written by the release
 * before the Job builder; a change to it is a change of the stored format and needs a migration, not a new golden.
 */
class JobItemMappingTest {

    @Test
    void aFullyPopulatedJobIsStoredAsTheGoldenItemAndReadsBackEqual() throws IOException {
        Job job = Jobs.fullyPopulated();
        Map<String, AttributeValue> item = DynamoJobStore.toItem(job);
        assertEquals(golden(), render(item));
        assertEquals(job, DynamoJobStore.fromItem(item));
    }

    static String render(Map<String, AttributeValue> item) {
        return new TreeMap<>(item).entrySet().stream()
                .map(e -> e.getKey() + " " + (e.getValue().s() != null ? "S " + e.getValue().s() : "N " + e.getValue().n()))
                .collect(Collectors.joining("\n", "", "\n"));
    }

    private static String golden() throws IOException {
        try (InputStream in = JobItemMappingTest.class.getResourceAsStream("job-item.golden")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
