package io.voicedrop.core.quality;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** The kinds of quality finding; the ones an operator lists in {@code QUALITY_STRICT_CHECKS} can reject. */
public enum Check {
    SPEECH, SILENCE, CLIPPING, DC_OFFSET, LOUDNESS, NOISE, CHANNELS, DAMAGED;

    /** The name in settings, reports and documentation, e.g. {@code dc_offset}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * A comma-separated list of check names ({@code all} for every one, {@code none} or empty for none).
     *
     * @throws IllegalArgumentException naming the unknown entry and the known ones
     */
    public static Set<Check> parseList(String text) {
        Set<Check> out = EnumSet.noneOf(Check.class);
        for (String part : text.split(",")) {
            String id = part.strip().toLowerCase(Locale.ROOT);
            if (id.isEmpty() || id.equals("none")) {
                continue;
            }
            if (id.equals("all")) {
                out.addAll(EnumSet.allOf(Check.class));
                continue;
            }
            try {
                out.add(valueOf(id.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown quality check \"" + part.strip() + "\" (known: all, none, "
                        + String.join(", ", EnumSet.allOf(Check.class).stream().map(Check::id).toList()) + ")");
            }
        }
        return out;
    }
}
