package io.voicedrop.core.port;

import java.util.List;

/** The dead-letter queue, read by an operator's replay after the cause is fixed. */
public interface DeadLetters {

    /** Up to {@code max} messages; each stays invisible to other readers while this replay handles it. */
    List<Letter> receive(int max);

    void delete(Letter letter);

    /** One dead-lettered message: its body and the handle to delete it. */
    record Letter(String body, String handle) {
    }
}
