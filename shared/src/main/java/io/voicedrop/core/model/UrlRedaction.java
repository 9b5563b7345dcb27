package io.voicedrop.core.model;

import java.util.regex.Pattern;

/**
 * Free text (an upstream error message, a warning) as it may be shown to people: any URL, and any presigning
 * parameter, replaced by {@value #REDACTED}. An upstream message may quote the presigned sample URL it could not
 * fetch, and such a URL is a credential. Used by the API's views and by the local runner's terminal view.
 */
public final class UrlRedaction {

    public static final String REDACTED = "[url removed]";
    private static final Pattern URL = Pattern.compile("(?i)\\b[a-z][a-z0-9+.-]*://[^\\s\"'<>]*");
    private static final Pattern PRESIGN = Pattern.compile("(?i)\\bX-Amz-[A-Za-z-]+=[^\\s&\"'<>]*");

    private UrlRedaction() {
    }

    /** The text with URLs and presigning parameters removed; null stays null. */
    public static String clean(String text) {
        if (text == null) {
            return null;
        }
        String noUrl = URL.matcher(text).replaceAll(REDACTED);
        return PRESIGN.matcher(noUrl).replaceAll(REDACTED);
    }

    /** The text with only the presigning parameters removed (what makes a URL a credential); null stays null. */
    public static String withoutPresigning(String text) {
        return text == null ? null : PRESIGN.matcher(text).replaceAll(REDACTED);
    }
}
