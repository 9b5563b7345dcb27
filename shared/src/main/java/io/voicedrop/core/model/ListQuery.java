package io.voicedrop.core.model;

import java.util.List;

/** A validated {@code GET /fish/model} query. Bounds are checked where the query is parsed, not here. */
public record ListQuery(int pageSize, int pageNumber, String title, List<String> tags, boolean self,
                        String authorId, List<String> languages, List<String> titleLanguages, String sortBy) {

    public static final int DEFAULT_PAGE_SIZE = 10;
    public static final int MAX_PAGE_SIZE = 100;

    public ListQuery {
        tags = tags == null ? List.of() : List.copyOf(tags);
        languages = languages == null ? List.of() : List.copyOf(languages);
        titleLanguages = titleLanguages == null ? List.of() : List.copyOf(titleLanguages);
    }
}
