package io.voicedrop.api;

import java.util.ArrayList;
import java.util.List;

/**
 * One reason a create request cannot be used, about one field as the caller wrote it ({@code title},
 * {@code voices[2]}). A refused request lists every one of them, so a caller fixes everything in one round.
 *
 * @param message the whole sentence shown to the caller; it starts with the field's name
 */
record FieldProblem(String field, String message) {

    /** Where the problem is, in the shape of the official API's 422 items: {@code ["body", "voices", 2]}. */
    List<Object> location() {
        List<Object> loc = new ArrayList<>();
        loc.add("body");
        int bracket = field.indexOf('[');
        if (bracket > 0 && field.endsWith("]")) {
            loc.add(field.substring(0, bracket));
            loc.add(Integer.parseInt(field.substring(bracket + 1, field.length() - 1)));
        } else {
            loc.add(field);
        }
        return loc;
    }

    static String voice(int index) {
        return "voices[" + index + "]";
    }
}
