package io.voicedrop.core.service;

import io.voicedrop.core.model.JobOptions;
import io.voicedrop.core.model.ModelSpec;
import io.voicedrop.core.model.QualityReport;
import io.voicedrop.core.model.Sample;
import java.util.List;

/** What ingest makes of one upload after checking it: a runnable job, a rejected one, or nothing at all. */
public sealed interface IngestDecision {

    /**
     * Every check passed: the only decision that can become a queued (billable) job.
     *
     * @param quality what the quality check heard; null when it did not run
     */
    record Accept(ModelSpec spec, JobOptions options, List<String> sourceKeys, List<Sample> samples,
                  List<String> warnings, QualityReport quality) implements IngestDecision {
        public Accept(ModelSpec spec, List<String> sourceKeys, List<Sample> samples, List<String> warnings) {
            this(spec, JobOptions.NONE, sourceKeys, samples, warnings, null);
        }

        public Accept {
            if (samples.isEmpty()) {
                throw new IllegalArgumentException("an accepted upload has at least one sample");
            }
            sourceKeys = List.copyOf(sourceKeys);
            samples = List.copyOf(samples);
            warnings = List.copyOf(warnings);
        }
    }

    /** At least one check failed; {@code reasons} lists every failure. */
    record Reject(ModelSpec spec, JobOptions options, List<String> sourceKeys, List<String> reasons,
                  List<String> warnings, QualityReport quality) implements IngestDecision {
        public Reject(ModelSpec spec, List<String> sourceKeys, List<String> reasons, List<String> warnings) {
            this(spec, JobOptions.NONE, sourceKeys, reasons, warnings, null);
        }

        public Reject {
            if (reasons.isEmpty()) {
                throw new IllegalArgumentException("a rejection needs a reason");
            }
            sourceKeys = List.copyOf(sourceKeys);
            reasons = List.copyOf(reasons);
            warnings = List.copyOf(warnings);
        }
    }

    /** The upload starts nothing (no job, no report), e.g. it was deleted or replaced before it could be read. */
    record Skip(String note) implements IngestDecision {
    }
}
