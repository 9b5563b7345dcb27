package io.voicedrop.core.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class UploadLayoutFolderTest {

    @Test
    void folderPartsOfAKey() {
        assertEquals("incoming/Narrator Alice/", UploadLayout.folderPrefix("incoming/Narrator Alice/sub/take1.wav"));
        assertEquals("Narrator Alice", UploadLayout.folderName("incoming/Narrator Alice/model.json"));
        assertEquals("sub/take1.wav", UploadLayout.inFolder("incoming/Narrator Alice/sub/take1.wav"));
        assertTrue(UploadLayout.isHidden("._take1.wav"));
        assertTrue(UploadLayout.isHidden(".git/x.wav"));
        assertFalse(UploadLayout.isHidden("take.1.wav"));
    }

    @Test
    void reportKeysStayWithinS3sLimitAndOutsideIncoming() {
        assertEquals("status/alice/model.json.json", UploadLayout.statusKey("incoming/alice/model.json"));
        for (int length = 1000; length <= 1024; length++) {
            for (String unit : new String[] {"a", "ü", "😀"}) {
                String name = fill(unit, length - "incoming/".length() - ".wav".length()) + ".wav";
                String key = "incoming/" + name;
                if (UploadLayout.utf8Length(key) > 1024) {
                    continue;
                }
                String status = UploadLayout.statusKey(key);
                assertTrue(UploadLayout.utf8Length(status) <= 1024, status);
                assertTrue(status.startsWith("status/"));
                assertTrue(status.endsWith(".json"));
                assertEquals(status, UploadLayout.statusKey(key), "stable");
                assertFalse(status.contains("\uFFFD"), "never cuts a character in half");
            }
        }
        String a = "incoming/" + "a".repeat(1011) + ".wav";
        String b = "incoming/" + "a".repeat(1010) + "b.wav";
        assertFalse(UploadLayout.statusKey(a).equals(UploadLayout.statusKey(b)), "cut keys stay unique");
    }

    private static String fill(String unit, int bytes) {
        StringBuilder s = new StringBuilder();
        while (UploadLayout.utf8Length(s + unit) <= bytes) {
            s.append(unit);
        }
        return s.toString();
    }
}
