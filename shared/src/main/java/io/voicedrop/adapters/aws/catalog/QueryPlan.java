package io.voicedrop.adapters.aws.catalog;

import io.voicedrop.adapters.json.Json;
import io.voicedrop.core.catalog.TitleLanguage;
import io.voicedrop.core.model.CatalogEntry;
import io.voicedrop.core.model.ListQuery;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * How a list query maps onto the listing partitions. {@code andKeys} are the partitions every answer is in (each
 * tag, the language or title language when only one is asked, the author); when one partition holds exactly the
 * answers the query is {@link #covered()} and needs no per-item check, otherwise {@link #matches} filters the compact
 * items of a scan. Values are normalised here (trimmed, lower-cased where matching ignores case, sorted, distinct),
 * so two spellings of one query share one cached search.
 */
public record QueryPlan(List<String> andKeys, String title, List<String> tags, List<String> languages, String author,
                 List<String> titleLanguages) {

    public static QueryPlan of(ListQuery q) {
        String title = q.title() == null || q.title().isBlank() ? null : CatalogItems.lower(q.title().strip());
        List<String> tags = q.tags().stream().distinct().sorted().toList();
        List<String> languages = q.languages().stream().map(TitleLanguage::normalize).filter(s -> !s.isEmpty())
                .distinct().sorted().toList();
        List<String> titleLanguages = q.titleLanguages().stream().map(TitleLanguage::normalize)
                .filter(s -> !s.isEmpty()).distinct().sorted().toList();
        String author = q.self() || q.authorId() == null || q.authorId().isBlank() ? null : q.authorId().strip();
        List<String> keys = new ArrayList<>();
        tags.forEach(t -> keys.add("TAG#" + t));
        if (languages.size() == 1) {
            keys.add("LANG#" + languages.get(0));
        }
        if (author != null) {
            keys.add("AUTHOR#" + author);
        }
        if (titleLanguages.size() == 1) {
            keys.add("TLANG#" + titleLanguages.get(0));
        }
        return new QueryPlan(List.copyOf(keys), title, tags, languages, author, titleLanguages);
    }

    /** One partition holds exactly the answers (no check per item); an unindexable value never is. */
    public boolean covered() {
        return andKeys.size() <= 1 && title == null && languages.size() <= 1 && titleLanguages.size() <= 1
                && andKeys.stream().allMatch(CatalogItems::indexableKey);
    }

    /** A title and nothing else to filter on. */
    boolean onlyTitle() {
        return title != null && tags.isEmpty() && languages.isEmpty() && author == null && titleLanguages.isEmpty();
    }

    /** The partition a covered query reads. */
    public String partition() {
        return andKeys.isEmpty() ? CatalogItems.ALL : andKeys.get(0);
    }

    /** Identity of the query without paging, for the search cache. */
    String shape() {
        return "t=" + (title == null ? "" : title) + "\u0000g=" + String.join("\u0001", tags) + "\u0000l="
                + String.join("\u0001", languages) + "\u0000a=" + (author == null ? "" : author) + "\u0000tl="
                + String.join("\u0001", titleLanguages);
    }

    boolean matches(Map<String, AttributeValue> item) {
        Compact c = Compact.of(item);
        if (title != null && !c.title().contains(title)) {
            return false;
        }
        if (!c.tags().containsAll(tags)) {
            return false;
        }
        if (!languages.isEmpty() && languages.stream().noneMatch(c.languages()::contains)) {
            return false;
        }
        if (author != null && !author.equals(c.author())) {
            return false;
        }
        return titleLanguages.isEmpty() || titleLanguages.contains(c.titleLanguage());
    }

    /** The filter fields of an index item; items of the first catalog version only have the body to go by. */
    record Compact(String title, String titleLanguage, Set<String> tags, Set<String> languages, String author) {

        static Compact of(Map<String, AttributeValue> item) {
            if (!item.containsKey("t") && item.containsKey("body")) {
                CatalogEntry e = Json.read(item.get("body").s(), CatalogEntry.class);
                return new Compact(CatalogItems.lower(e.model().title()), TitleLanguage.normalize(e.titleLanguage()),
                        Set.copyOf(e.model().tags()), Set.copyOf(e.model().languages().stream()
                        .map(TitleLanguage::normalize).toList()), e.model().author().id());
            }
            return new Compact(s(item, "t"), s(item, "tl"), list(item, "tg"), list(item, "lg"), s(item, "au"));
        }

        private static String s(Map<String, AttributeValue> item, String name) {
            AttributeValue v = item.get(name);
            return v == null || v.s() == null ? "" : v.s();
        }

        private static Set<String> list(Map<String, AttributeValue> item, String name) {
            AttributeValue v = item.get(name);
            if (v == null || !v.hasL()) {
                return Set.of();
            }
            Set<String> out = new LinkedHashSet<>();
            v.l().forEach(x -> out.add(x.s()));
            return out;
        }
    }
}
