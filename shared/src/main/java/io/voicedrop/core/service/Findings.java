package io.voicedrop.core.service;

import io.voicedrop.core.model.JobOptions;
import io.voicedrop.core.model.ModelSpec;
import io.voicedrop.core.model.QualityReport;
import io.voicedrop.core.model.Sample;
import io.voicedrop.core.quality.Finding;
import io.voicedrop.core.quality.QualityCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** Problems (fatal) and warnings found while checking one upload, and the decision they add up to. */
final class Findings {

    /** Keeps a job record and its report readable (and far below DynamoDB's item size) whatever the input. */
    static final int MAX_LISTED = 50;

    /** A warning, and whether a strict upload is rejected for it. */
    private record Warning(String text, boolean strictable) {
    }

    private final List<String> problems = new ArrayList<>();
    private final List<Warning> warnings = new ArrayList<>();
    private QualityReport quality;

    void problem(String text) {
        problems.add(text);
    }

    void problems(List<String> texts) {
        problems.addAll(texts);
    }

    void warning(String text) {
        warnings.add(new Warning(text, true));
    }

    /** What the quality check heard: its report, and its findings as warnings ({@code strictable} ones can reject). */
    void quality(QualityCheck.Outcome outcome, Predicate<Finding> strictable) {
        quality = outcome.report();
        outcome.findings().forEach(f -> warnings.add(new Warning(f.text(), strictable.test(f))));
    }

    boolean hasProblems() {
        return !problems.isEmpty();
    }

    /**
     * Accepts only when nothing is wrong. With {@code strict}, every header warning and the quality findings the
     * deployment chose ({@code QUALITY_STRICT_CHECKS}) are problems too (prefixed {@code strict:}), so a manifest can
     * refuse to pay for anything the contract merely advises against.
     */
    IngestDecision decide(ModelSpec spec, List<String> sourceKeys, List<Sample> samples, boolean strict) {
        return decide(spec, JobOptions.NONE, sourceKeys, samples, strict);
    }

    /** As {@link #decide(ModelSpec, List, List, boolean)}, for an upload that asked for a webhook or a preview. */
    IngestDecision decide(ModelSpec spec, JobOptions options, List<String> sourceKeys, List<Sample> samples,
                          boolean strict) {
        List<String> fatal = new ArrayList<>(problems);
        List<String> advisory = new ArrayList<>();
        for (Warning w : warnings) {
            if (strict && w.strictable()) {
                fatal.add("strict: " + w.text());
            } else {
                advisory.add(w.text());
            }
        }
        if (fatal.isEmpty()) {
            return new IngestDecision.Accept(spec, options, sourceKeys, samples, capped(advisory, "warnings"),
                    quality);
        }
        return new IngestDecision.Reject(spec, options, sourceKeys, capped(fatal, "problems"),
                capped(advisory, "warnings"), quality);
    }

    private static List<String> capped(List<String> items, String what) {
        if (items.size() <= MAX_LISTED) {
            return items;
        }
        List<String> head = new ArrayList<>(items.subList(0, MAX_LISTED - 1));
        head.add("... and " + (items.size() - MAX_LISTED + 1) + " more " + what);
        return head;
    }
}
