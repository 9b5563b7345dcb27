package io.voicedrop.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.voicedrop.core.port.SampleStorage;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The {@code SampleRetention} parameter as the template wires it: it accepts exactly what the functions accept
 * ({@code keep} or 1..3650 days), reaches every function as {@code SAMPLE_RETENTION}, and drives the bucket's
 * lifecycle rule, which filters on the tag the functions put on an ended job's objects.
 */
class SampleRetentionTemplateTest {

    private final TemplateModel template = TemplateModel.load();

    @Test
    void theParameterAcceptsKeepOrOneTo3650DaysAndNothingElse() {
        JsonNode p = template.parameters().path("SampleRetention");
        assertEquals("keep", p.path("Default").asText());
        Pattern allowed = Pattern.compile(p.path("AllowedPattern").asText());
        assertTrue(allowed.matcher("keep").matches());
        assertTrue(IntStream.rangeClosed(1, 3650).allMatch(d -> allowed.matcher(Integer.toString(d)).matches()),
                "every day count from 1 to 3650");
        for (String bad : List.of("0", "3651", "9999", "10000", "-1", "07", "Keep", "", "1.5", "30d")) {
            assertFalse(allowed.matcher(bad).matches(), bad);
        }
    }

    @Test
    void everyFunctionGetsItAndTheLifecycleRuleExpiresTaggedObjects() {
        JsonNode env = template.root().path("Globals").path("Function").path("Environment").path("Variables");
        assertTrue(TemplateModel.isRef(env.path("SAMPLE_RETENTION"), "SampleRetention"), env.toString());

        JsonNode rule = null;
        for (JsonNode r : template.resource("AudioBucket").path("Properties").path("LifecycleConfiguration")
                .path("Rules")) {
            if (r.path("Id").asText().equals("ExpireSamplesOfEndedJobs")) {
                rule = r;
            }
        }
        assertTrue(rule != null, "the retention rule exists");
        JsonNode tag = rule.path("TagFilters").get(0);
        assertEquals(SampleStorage.ENDED_TAG, tag.path("Key").asText());
        assertEquals(SampleStorage.ENDED_VALUE, tag.path("Value").asText());
        assertEquals(1, rule.path("TagFilters").size(), "only the functions' tag decides");
        assertTrue(rule.path("Prefix").isMissingNode(), "samples of API jobs (uploads/) expire too");
        List<JsonNode> status = TemplateModel.alternatives(rule.path("Status"));
        assertEquals(List.of("Enabled", "Disabled"), status.stream().map(JsonNode::asText).toList());
        List<JsonNode> days = TemplateModel.alternatives(rule.path("ExpirationInDays"));
        assertTrue(TemplateModel.isRef(days.get(0), "SampleRetention"), days.toString());
        assertEquals("RetainSamplesForDays", rule.path("Status").path("Fn::If").get(0).asText());
        assertEquals("RetainSamplesForDays", rule.path("ExpirationInDays").path("Fn::If").get(0).asText());
    }
}
