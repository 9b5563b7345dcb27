package io.voicedrop.core.service;

import static io.voicedrop.core.service.UploadLayout.KeyKind.FOLDER_FILE;
import static io.voicedrop.core.service.UploadLayout.KeyKind.FOLDER_MANIFEST;
import static io.voicedrop.core.service.UploadLayout.KeyKind.NOT_OURS;
import static io.voicedrop.core.service.UploadLayout.KeyKind.SINGLE_FILE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voicedrop.core.model.UploadedObject;
import org.junit.jupiter.api.Test;

class UploadLayoutTest {

    @Test
    void keysAreClassifiedByTheirPlaceUnderIncoming() {
        assertEquals(SINGLE_FILE, UploadLayout.classify("incoming/alice.wav"));
        assertEquals(SINGLE_FILE, UploadLayout.classify("incoming/my voice+1 ü.mp3"));
        assertEquals(FOLDER_MANIFEST, UploadLayout.classify("incoming/alice/model.json"));
        assertEquals(FOLDER_FILE, UploadLayout.classify("incoming/alice/take1.wav"));
        assertEquals(FOLDER_FILE, UploadLayout.classify("incoming/alice/deep/model.json"));
        assertEquals(NOT_OURS, UploadLayout.classify("status/alice.wav.json"));
        assertEquals(NOT_OURS, UploadLayout.classify("incoming/folder/"));
        assertEquals(NOT_OURS, UploadLayout.classify("incomingx/a.wav"));
    }

    @Test
    void titlesAndStatusKeysFollowTheFileName() {
        assertEquals("my voice+1 ü", UploadLayout.baseName("incoming/my voice+1 ü.mp3"));
        assertEquals(".hidden", UploadLayout.baseName("incoming/.hidden"));
        assertEquals("status/a/b.wav.json", UploadLayout.statusKey("incoming/a/b.wav"));
        assertFalse(UploadLayout.statusKey("incoming/x.wav").startsWith(UploadLayout.INCOMING));
        assertTrue(UploadLayout.looksLikeAudio("incoming/A.WAV"));
        assertFalse(UploadLayout.looksLikeAudio("incoming/notes.txt"));
        assertFalse(UploadLayout.looksLikeAudio("incoming/noext"));
    }

    @Test
    void jobIdsAreStablePerContentAndIgnoreEtagQuotesAndVersionIds() {
        UploadedObject a = new UploadedObject("b", "incoming/a.wav", null, "\"abc\"", 10);
        UploadedObject sameBare = new UploadedObject("b", "incoming/a.wav", "v1", "abc", 10);
        UploadedObject newContent = new UploadedObject("b", "incoming/a.wav", "v2", "def", 10);
        UploadedObject otherKey = new UploadedObject("b", "incoming/b.wav", null, "abc", 10);
        assertEquals(UploadIngestor.jobIdFor(a), UploadIngestor.jobIdFor(sameBare));
        assertFalse(UploadIngestor.jobIdFor(a).equals(UploadIngestor.jobIdFor(newContent)));
        assertFalse(UploadIngestor.jobIdFor(a).equals(UploadIngestor.jobIdFor(otherKey)));
    }
}
