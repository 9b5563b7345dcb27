package io.voicedrop.core.service;

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
    public static final String MANIFEST_NAME = "model.json";
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

    /** Where the status report of an upload lives: {@code incoming/a/b.wav} → {@code status/a/b.wav.json}. */
    public static String statusKey(String sourceKey) {
        String relative = sourceKey.startsWith(INCOMING) ? sourceKey.substring(INCOMING.length()) : sourceKey;
        return STATUS + relative + ".json";
    }
}
