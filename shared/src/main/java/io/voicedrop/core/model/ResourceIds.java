package io.voicedrop.core.model;

/**
 * What a model or job id can look like in a request that changes something (edit, delete, cancel). Upstream model
 * ids are 32 hex characters in every example and job ids are UUIDs, but both are treated as opaque; every real one
 * fits in 1 to 128 characters of the URL-safe set {@code A-Z a-z 0-9 . _ ~ -} and is not a dot segment. Anything
 * else (a path trick such as {@code ..}, an encoded slash, control or non-ASCII characters, a kilobyte of text) is
 * refused before any store is asked, so no id can reach a key, a log line or the upstream in a shape nobody
 * expected.
 */
public final class ResourceIds {

    public static final int MAX_LENGTH = 128;

    private ResourceIds() {
    }

    public static boolean isWellFormed(String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_LENGTH || id.equals(".") || id.equals("..")) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '~' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** The reason shown with a 400. */
    public static String rule() {
        return "an id is 1 to " + MAX_LENGTH + " characters of A-Z, a-z, 0-9, '.', '_', '~' and '-' (not . or ..)";
    }
}
