package io.voicedrop.core.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The bucket's folder conventions: what VoiceDrop watches ({@code incoming/}), where it writes reports
 * ({@code status/}, never under {@code incoming/}, so its own writes can never trigger it), and which files are audio.
 */
public final class UploadLayout {

    public static final String INCOMING = "incoming/";
    public static final String STATUS = "status/";
    /** Where the API stores what it received or made for a job ({@code uploads/<job id>/}): never watched. */
    public static final String UPLOADS = "uploads/";
    public static final String MANIFEST_NAME = "model.json";
    /** S3's limit on key length, in UTF-8 bytes. */
    public static final int MAX_KEY_BYTES = 1024;
    public static final Set<String> AUDIO_EXTENSIONS =
            Set.of("wav", "mp3", "flac", "ogg", "opus", "oga", "m4a", "mp4", "aac", "webm");

    private UploadLayout() {
    }

    /** What a key in the bucket means to VoiceDrop. */
    public enum KeyKind { SINGLE_FILE, FOLDER_MANIFEST, FOLDER_FILE, NOT_OURS }

    public static KeyKind classify(String key) {
        if (key == null || !key.startsWith(INCOMING) || key.endsWith("/")) {
            return KeyKind.NOT_OURS;
        }
        String rest = key.substring(INCOMING.length());
        int slash = rest.indexOf('/');
        if (slash < 0) {
            return KeyKind.SINGLE_FILE;
        }
        String inFolder = rest.substring(slash + 1);
        return inFolder.equals(MANIFEST_NAME) ? KeyKind.FOLDER_MANIFEST : KeyKind.FOLDER_FILE;
    }

    /** {@code uploads/<job id>/}: every object the API stored for one job (its samples, its covers). */
    public static String uploadsPrefix(String jobId) {
        return UPLOADS + jobId + "/";
    }

    /** The file name without folders. */
    public static String fileName(String key) {
        return key.substring(key.lastIndexOf('/') + 1);
    }

    /** The file name without its extension: the default model title of a single-file upload. */
    public static String baseName(String key) {
        String name = fileName(key);
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    public static Optional<String> extension(String key) {
        String name = fileName(key);
        int dot = name.lastIndexOf('.');
        return dot > 0 && dot < name.length() - 1
                ? Optional.of(name.substring(dot + 1).toLowerCase(Locale.ROOT)) : Optional.empty();
    }

    public static boolean looksLikeAudio(String key) {
        return extension(key).map(AUDIO_EXTENSIONS::contains).orElse(false);
    }

    /**
     * Where the status report of an upload lives: {@code incoming/a/b.wav} → {@code status/a/b.wav.json}, and for a
     * folder {@code incoming/a/model.json} → {@code status/a/model.json.json}. A source key within 3 bytes of S3's
     * limit would give a report key S3 refuses, so such keys are cut (at a character boundary) and made unique
     * again with a hash: {@code status/<cut>~<12 hex of SHA-256 of the source key>.json}.
     */
    public static String statusKey(String sourceKey) {
        return besideStatus(sourceKey, ".json");
    }

    /**
     * Where the spoken preview of an upload's model lives, next to its status report:
     * {@code incoming/a/b.wav} → {@code status/a/b.wav.preview.mp3} (long keys cut and hashed as for
     * {@link #statusKey}).
     */
    public static String previewKey(String sourceKey) {
        return besideStatus(sourceKey, PREVIEW_SUFFIX);
    }

    public static final String PREVIEW_SUFFIX = ".preview.mp3";

    private static String besideStatus(String sourceKey, String extension) {
        String relative = sourceKey.startsWith(INCOMING) ? sourceKey.substring(INCOMING.length()) : sourceKey;
        String key = STATUS + relative + extension;
        if (utf8Length(key) <= MAX_KEY_BYTES) {
            return key;
        }
        String suffix = "~" + sha256Hex(sourceKey).substring(0, 12) + extension;
        return cutToBytes(STATUS + relative, MAX_KEY_BYTES - utf8Length(suffix)) + suffix;
    }

    /** The folder a folder-upload key belongs to, with its slash: {@code incoming/a/x/y.wav} → {@code incoming/a/}. */
    public static String folderPrefix(String key) {
        int slash = key.indexOf('/', INCOMING.length());
        return key.substring(0, slash + 1);
    }

    /** The folder's name, the default model title: {@code incoming/a/model.json} → {@code a}. */
    public static String folderName(String key) {
        String prefix = folderPrefix(key);
        return prefix.substring(INCOMING.length(), prefix.length() - 1);
    }

    /** A key relative to its folder, as a manifest names it: {@code incoming/a/x/y.wav} → {@code x/y.wav}. */
    public static String inFolder(String key) {
        return key.substring(folderPrefix(key).length());
    }

    /** True when any part of the path starts with a dot ({@code .DS_Store}, macOS {@code ._take1.wav}, {@code .git/}). */
    public static boolean isHidden(String relativePath) {
        for (String part : relativePath.split("/")) {
            if (part.startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    public static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static String cutToBytes(String s, int maxBytes) {
        int bytes = 0;
        int end = 0;
        while (end < s.length()) {
            int cp = s.codePointAt(end);
            int size = utf8Length(new String(Character.toChars(cp)));
            if (bytes + size > maxBytes) {
                break;
            }
            bytes += size;
            end += Character.charCount(cp);
        }
        return s.substring(0, end);
    }

    private static String sha256Hex(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
