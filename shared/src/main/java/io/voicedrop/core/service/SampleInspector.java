package io.voicedrop.core.service;

import io.voicedrop.audio.AudioInfo;
import io.voicedrop.core.model.UploadedObject;
import io.voicedrop.core.port.UploadStore;
import java.util.Optional;

/**
 * Checks one bucket sample: its file name here, its content with {@link SampleRules} (the same rules as
 * {@code POST /fish/model}), read through the upload store with a few ranged reads.
 */
final class SampleInspector {

    private final UploadStore store;
    private final SampleRules rules;

    SampleInspector(UploadStore store, SampleRules rules) {
        this.store = store;
        this.rules = rules;
    }

    /**
     * Adds what is wrong with {@code object} (shown to the user as {@code name}) to {@code findings}; returns what
     * the probe found, or empty when the sample is unusable.
     *
     * @throws java.io.UncheckedIOException when the bytes could not be read: a retry may succeed, so this is no
     *                                      rejection
     */
    Optional<AudioInfo> inspect(UploadedObject object, String name, Findings findings) {
        if (!UploadLayout.looksLikeAudio(object.key())) {
            findings.problem(name + ": not an audio file name (expected one of " + extensions() + ")");
            return Optional.empty();
        }
        SampleRules.Verdict verdict = rules.check(() -> store.open(object), object.sizeBytes(), name);
        findings.problems(verdict.problems());
        verdict.warnings().forEach(findings::warning);
        return verdict.usable();
    }

    private static String extensions() {
        return String.join(", ", UploadLayout.AUDIO_EXTENSIONS.stream().sorted().toList());
    }
}
