package io.voicedrop.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QueryParamsTest {

    @Test
    void keepsRepeatsInOrderAndDecodes() {
        Map<String, List<String>> expected = new LinkedHashMap<>();
        expected.put("tag", List.of("a", "b,c", "d e"));
        expected.put("tag[]", List.of("x"));
        expected.put("flag", List.of(""));
        expected.put("empty", List.of(""));
        expected.put("", List.of("v"));
        expected.put("t", List.of("\u00e9t\u00e9 + plus"));
        assertEquals(expected, QueryParams.parse(
                "tag=a&tag=b%2Cc&tag%5B%5D=x&flag&&empty=&tag=d+e&=v&t=%C3%A9t%C3%A9+%2B+plus"));
    }

    @Test
    void emptyQuery() {
        assertEquals(Map.of(), QueryParams.parse(""));
        assertEquals(Map.of(), QueryParams.parse(null));
        assertEquals(Map.of(), QueryParams.parse("&&"));
    }

    @Test
    void onlyTheFirstEqualsSplits() {
        assertEquals(Map.of("cursor", List.of("eyJ==")), QueryParams.parse("cursor=eyJ=="));
    }

    @Test
    void malformedEscapeIsABadRequest() {
        ApiException e = assertThrows(ApiException.class, () -> QueryParams.parse("title=%ZZ"));
        assertEquals("bad_request", e.code());
        assertEquals("the query string is malformed", e.getMessage());
    }
}
