package io.voicedrop.e2e;

import io.voicedrop.local.LocalPipeline;
import io.voicedrop.sim.FishSimulator;

/** Access to the one shared test stack for test packages outside {@code io.voicedrop.e2e}. */
public final class SharedStack {

    private SharedStack() {
    }

    public static LocalPipeline pipeline() {
        return TestStack.get().pipeline;
    }

    public static FishSimulator simulator() {
        return TestStack.get().simulator;
    }

    public static String apiToken() {
        return TestStack.get().apiToken;
    }
}
