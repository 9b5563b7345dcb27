package io.voicedrop.api;

import java.util.Optional;

/**
 * Recognises a cover image from its first bytes, the way {@link io.voicedrop.audio.AudioProbe} recognises audio:
 * a file name or a client's content type says nothing about what was sent, and a cover the upstream cannot read
 * would fail a create that costs money.
 */
final class CoverImages {

    private CoverImages() {
    }

    /** The file extension for the image formats web clients show everywhere; empty for anything else. */
    static Optional<String> extension(byte[] b) {
        if (starts(b, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return Optional.of("png");
        }
        if (starts(b, 0xFF, 0xD8, 0xFF)) {
            return Optional.of("jpg");
        }
        if (starts(b, 'G', 'I', 'F', '8')) {
            return Optional.of("gif");
        }
        if (b.length >= 12 && starts(b, 'R', 'I', 'F', 'F') && b[8] == 'W' && b[9] == 'E' && b[10] == 'B'
                && b[11] == 'P') {
            return Optional.of("webp");
        }
        return Optional.empty();
    }

    static String contentType(String extension) {
        return switch (extension) {
            case "png" -> "image/png";
            case "jpg" -> "image/jpeg";
            case "gif" -> "image/gif";
            default -> "image/webp";
        };
    }

    private static boolean starts(byte[] b, int... prefix) {
        if (b.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((b[i] & 0xff) != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
