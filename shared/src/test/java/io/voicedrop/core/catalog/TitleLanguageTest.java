package io.voicedrop.core.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.voicedrop.core.model.CatalogEntry;
import io.voicedrop.core.model.ModelEntity;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class TitleLanguageTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Narrator - Alice|en",
        "こんにちは 世界|ja",
        "東京タワー|ja",
        "北京话 男声|zh",
        "안녕하세요|ko",
        "Привет мир|ru",
        "مرحبا|ar",
        "Καλημέρα|el",
        "שלום|he",
        "สวัสดี|th",
        "नमस्ते|hi",
        "2026 - 42 !!|''",
        "Voice 北京|zh",
        "😀😀|''"})
    void guessesFromTheScript(String title, String expected) {
        assertEquals(expected, TitleLanguage.detect(title));
    }

    @Test
    void aRecordedLanguageWinsAndIsLowerCased() {
        ModelEntity m = new ModelEntity("id", null, "Bonjour", null, null, null, null, List.of(), List.of(), "", "",
                List.of(), null, false, 0, 0, 0, 0, false, false, null);
        assertEquals("fr", TitleLanguage.of(new CatalogEntry(m, "j", List.of(), " FR ")));
        assertEquals("en", TitleLanguage.of(new CatalogEntry(m, "j", List.of(), null)));
        assertEquals("", TitleLanguage.detect(null));
    }
}
