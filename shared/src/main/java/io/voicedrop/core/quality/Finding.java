package io.voicedrop.core.quality;

/**
 * A warning about one sample's sound, in words a person can act on.
 *
 * @param check the kind, or null for a note about the analysis itself (stopped at a bound, failed), which is never
 *              a reason to reject
 */
public record Finding(String sample, Check check, String text) {
}
