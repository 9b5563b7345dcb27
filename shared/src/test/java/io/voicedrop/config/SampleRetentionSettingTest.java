package io.voicedrop.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code SAMPLE_RETENTION}: what the template's {@code SampleRetention} parameter allows, and nothing else. */
class SampleRetentionSettingTest {

    @Test
    void keepMeansNoPeriodAndDaysAreDays() {
        assertEquals(Optional.empty(), VoiceDropConfig.sampleRetention("keep"));
        assertEquals(Optional.empty(), VoiceDropConfig.sampleRetention("KEEP"));
        assertEquals(Optional.of(Duration.ofDays(1)), VoiceDropConfig.sampleRetention("1"));
        assertEquals(Optional.of(Duration.ofDays(3650)), VoiceDropConfig.sampleRetention("3650"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "3651", "-3", "forever", "", "7 days"})
    void anythingElseStopsTheFunctionWithTheReason(String value) {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> VoiceDropConfig.sampleRetention(value));
        assertTrue(e.getMessage().contains("SAMPLE_RETENTION must be keep or a number of days from 1 to 3650"),
                e.getMessage());
    }
}
