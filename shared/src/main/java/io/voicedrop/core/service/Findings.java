package io.voicedrop.core.service;

import io.voicedrop.core.model.JobOptions;
import io.voicedrop.core.model.ModelSpec;
import io.voicedrop.core.model.Sample;
import java.util.ArrayList;
import java.util.List;

/** Problems (fatal) and warnings found while checking one upload, and the decision they add up to. */
final class Findings {

    /** Keeps a job record and its report readable (and far below DynamoDB's item size) whatever the input. */
    static final int MAX_LISTED = 50;

    private final List<String> problems = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();

    void problem(String text) {
        problems.add(text);
    }

    void problems(List<String> texts) {
        problems.addAll(texts);
    }

    void warning(String text) {
        warnings.add(text);
    }

    boolean hasProblems() {
        return !problems.isEmpty();
    }

    /**
     * Accepts only when nothing is wrong. With {@code strict}, every warning is a problem too (prefixed
     * {@code strict:}), so a manifest can refuse to pay for anything the contract merely advises against.
     */
    IngestDecision decide(ModelSpec spec, List<String> sourceKeys, List<Sample> samples, boolean strict) {
        return decide(spec, JobOptions.NONE, sourceKeys, samples, strict);
    }

    /** As {@link #decide(ModelSpec, List, List, boolean)}, for an upload that asked for a webhook or a preview. */
    IngestDecision decide(ModelSpec spec, JobOptions options, List<String> sourceKeys, List<Sample> samples,
                          boolean strict) {
        List<String> fatal = new ArrayList<>(problems);
        List<String> advisory = new ArrayList<>(warnings);
        if (strict) {
            advisory.forEach(w -> fatal.add("strict: " + w));
            advisory.clear();
        }
        if (fatal.isEmpty()) {
            return new IngestDecision.Accept(spec, options, sourceKeys, samples, capped(advisory, "warnings"));
        }
        return new IngestDecision.Reject(spec, options, sourceKeys, capped(fatal, "problems"),
                capped(advisory, "warnings"));
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
