package io.voicedrop.core.port;

import io.voicedrop.core.view.JobStateChange;

/** Where job state changes are announced (an EventBridge bus). */
public interface JobEventPublisher {

    /** Publishes one event; throws when the bus did not accept it, so the caller can try again later. */
    void publish(JobStateChange change);
}
