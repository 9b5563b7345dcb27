package io.voicedrop.core.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voicedrop.core.model.ListQuery;
import io.voicedrop.core.service.ListQueryParser.InvalidQuery;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ListQueryParserTest {

    /** Builds the parameter map from name/value pairs, keeping repeats, like a query string decoder would. */
    private static Map<String, List<String>> q(String... pairs) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.computeIfAbsent(pairs[i], k -> new ArrayList<>()).add(pairs[i + 1]);
        }
        return m;
    }

    private static String error(Map<String, List<String>> params) {
        return assertThrows(InvalidQuery.class, () -> ListQueryParser.parse(params)).getMessage();
    }

    @Test
    void defaultsWhenNothingIsGiven() {
        ListQuery query = ListQueryParser.parse(Map.of());
        assertEquals(10, query.pageSize());
        assertEquals(1, query.pageNumber());
        assertNull(query.title());
        assertEquals(List.of(), query.tags());
        assertFalse(query.self());
        assertNull(query.authorId());
        assertEquals(List.of(), query.languages());
        assertEquals(List.of(), query.titleLanguages());
        assertEquals("created_at", query.sortBy());
        assertEquals(query, ListQueryParser.parse(null));
    }

    @Test
    void everyParameter() {
        ListQuery query = ListQueryParser.parse(q("page_size", "25", "page_number", "3", "title", "Narrator x",
                "tag", "en", "tag", "narration", "self", "true", "author_id", "a1b2", "language", "en",
                "language", "zh", "title_language", "en", "sort_by", "task_count"));
        assertEquals(new ListQuery(25, 3, "Narrator x", List.of("en", "narration"), true, "a1b2",
                List.of("en", "zh"), List.of("en"), "task_count"), query);
    }

    @Test
    void pageBoundsAreInclusive() {
        assertEquals(1, ListQueryParser.parse(q("page_size", "1")).pageSize());
        assertEquals(100, ListQueryParser.parse(q("page_size", "100")).pageSize());
        assertEquals(7, ListQueryParser.parse(q("page_size", " 007 ")).pageSize());
        assertEquals(1, ListQueryParser.parse(q("page_number", "1")).pageNumber());
        assertEquals(Integer.MAX_VALUE, ListQueryParser.parse(q("page_number", "2147483647")).pageNumber());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "101", "abc", "", " ", "-1", "+5", "1.5", "1e2", "99999999999", "10 0", "٣"})
    void badPageSize(String value) {
        assertEquals("page_size must be between 1 and 100", error(q("page_size", value)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-3", "x", "", "2147483648", "1.0"})
    void badPageNumber(String value) {
        assertEquals("page_number must be a whole number of at least 1", error(q("page_number", value)));
    }

    @Test
    void lastValueWinsForSingleValuedParameters() {
        ListQuery query = ListQueryParser.parse(q("page_size", "5", "page_size", "7", "self", "false", "self", "1"));
        assertEquals(7, query.pageSize());
        assertTrue(query.self());
        assertEquals("page_size must be between 1 and 100", error(q("page_size", "5", "page_size", "0")));
    }

    @Test
    void titleLimitAndBlank() {
        assertEquals("x".repeat(200), ListQueryParser.parse(q("title", "x".repeat(200))).title());
        assertEquals("title must be at most 200 characters", error(q("title", "x".repeat(201))));
        assertNull(ListQueryParser.parse(q("title", "")).title());
        assertNull(ListQueryParser.parse(q("title", "   ")).title());
        // Characters, not UTF-16 units: 200 emoji are fine.
        assertEquals(200, ListQueryParser.parse(q("title", "\uD83C\uDFA4".repeat(200))).title().codePointCount(0, 400));
    }

    @Test
    void tagsInBothEncodings() {
        assertEquals(List.of("a", "b"), ListQueryParser.parse(q("tag", "a", "tag", "b")).tags());
        assertEquals(List.of("a", "b"), ListQueryParser.parse(q("tag[]", "a", "tag[]", "b")).tags());
        assertEquals(List.of("a", "c", "b"), ListQueryParser.parse(q("tag", "a", "tag[]", "b", "tag", "c")).tags());
        assertEquals(List.of("solo"), ListQueryParser.parse(q("tag[]", "solo")).tags());
    }

    @Test
    void tagsAreTakenLiterallyDeduplicatedAndBlanksDropped() {
        assertEquals(List.of("a,b"), ListQueryParser.parse(q("tag", "a,b")).tags());
        assertEquals(List.of("a", " b"), ListQueryParser.parse(q("tag", "a", "tag", "", "tag", "a", "tag", " b")).tags());
        assertEquals(List.of(), ListQueryParser.parse(q("tag", "", "tag[]", " ")).tags());
    }

    @Test
    void tagLimits() {
        String[] twenty = new String[40];
        for (int i = 0; i < 20; i++) {
            twenty[2 * i] = "tag";
            twenty[2 * i + 1] = "t" + i;
        }
        assertEquals(20, ListQueryParser.parse(q(twenty)).tags().size());
        String[] twentyOne = Arrays.copyOf(twenty, 42);
        twentyOne[40] = "tag[]";
        twentyOne[41] = "t20";
        assertEquals("at most 20 tags are allowed", error(q(twentyOne)));
        assertEquals(List.of("y".repeat(100)), ListQueryParser.parse(q("tag", "y".repeat(100))).tags());
        assertEquals("each tag must be at most 100 characters", error(q("tag", "ok", "tag", "y".repeat(101))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"true", "True", "TRUE", "1", "yes", "on", "t", "Y", " true "})
    void selfTrue(String value) {
        assertTrue(ListQueryParser.parse(q("self", value)).self());
    }

    @ParameterizedTest
    @ValueSource(strings = {"false", "False", "0", "no", "off", "f", "N"})
    void selfFalse(String value) {
        assertFalse(ListQueryParser.parse(q("self", value)).self());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "maybe", "2", "truee", "-1"})
    void badSelf(String value) {
        assertEquals("self must be true or false", error(q("self", value)));
    }

    @Test
    void authorId() {
        assertEquals("abc", ListQueryParser.parse(q("author_id", " abc ")).authorId());
        assertNull(ListQueryParser.parse(q("author_id", "")).authorId());
        assertEquals("author_id must be at most 200 characters", error(q("author_id", "a".repeat(201))));
    }

    @Test
    void languagesAsStringOrRepeated() {
        assertEquals(List.of("en"), ListQueryParser.parse(q("language", "en")).languages());
        assertEquals(List.of("en", "zh", "ja"),
                ListQueryParser.parse(q("language", "en", "language", "zh", "language[]", "ja")).languages());
        assertEquals(List.of("zh"), ListQueryParser.parse(q("title_language", "zh")).titleLanguages());
        assertEquals(List.of("zh", "en"),
                ListQueryParser.parse(q("title_language[]", "zh", "title_language[]", "en")).titleLanguages());
        assertEquals("each language must be at most 100 characters", error(q("language", "l".repeat(101))));
        assertEquals("each title_language must be at most 100 characters",
                error(q("title_language", "l".repeat(101))));
        String[] many = new String[42];
        for (int i = 0; i < 21; i++) {
            many[2 * i] = "language";
            many[2 * i + 1] = "l" + i;
        }
        assertEquals("at most 20 language values are allowed", error(q(many)));
    }

    @Test
    void sortBy() {
        for (String key : List.of("score", "task_count", "created_at")) {
            assertEquals(key, ListQueryParser.parse(q("sort_by", key)).sortBy());
        }
        assertEquals("sort_by must be one of score, task_count, created_at", error(q("sort_by", "likes")));
        assertEquals("sort_by must be one of score, task_count, created_at", error(q("sort_by", "")));
        assertEquals("sort_by must be one of score, task_count, created_at", error(q("sort_by", "SCORE")));
    }

    @Test
    void unknownParametersAndNamesInOtherCaseAreIgnored() {
        ListQuery query = ListQueryParser.parse(q("foo", "bar", "Page_Size", "0", "TAG", "x", "page_size[]", "0"));
        assertEquals(ListQueryParser.parse(Map.of()), query);
    }

    @Test
    void nullValuesAreSkipped() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("tag", Arrays.asList(null, "a"));
        m.put("page_size", Arrays.asList("5", null));
        m.put("language", null);
        ListQuery query = ListQueryParser.parse(m);
        assertEquals(List.of("a"), query.tags());
        assertEquals(5, query.pageSize());
    }
}
