package io.voicedrop.core.service;

import java.time.Duration;

/**
 * What the worker should do with the queue message after running a job.
 *
 * @param delay for {@link Action#RETRY_LATER}: how long the message should stay invisible before it comes back
 */
public record WorkOutcome(Action action, Duration delay, String reason) {

    public enum Action {
        /** The job reached a state where this message has nothing more to do: delete it. */
        DONE,
        /** Hand the message back to the queue; it returns after {@code delay}. */
        RETRY_LATER,
        /** The message can never be processed (not a job we know): move it aside for a human. */
        DEAD_LETTER
    }

    public static WorkOutcome done(String reason) {
        return new WorkOutcome(Action.DONE, Duration.ZERO, reason);
    }

    public static WorkOutcome retryLater(Duration delay, String reason) {
        return new WorkOutcome(Action.RETRY_LATER, delay, reason);
    }

    public static WorkOutcome deadLetter(String reason) {
        return new WorkOutcome(Action.DEAD_LETTER, Duration.ZERO, reason);
    }
}
