package io.voicedrop.sim;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/** Command line of {@link FishSimulator#main}: for running the simulator next to a local stack. */
final class SimCli {

    private static final String USAGE = "usage: FishSimulator [--port N] [--token T]... [--rate-limit R] "
            + "[--latency-ms M] [--no-fetch] [--state training|trained]";

    private SimCli() {
    }

    static void run(String[] args) throws InterruptedException {
        FishSimulator.Settings settings;
        try {
            settings = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        FishSimulator sim = FishSimulator.start(settings);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sim.close();
            stopped.countDown();
        }));
        // The bare URL on stdout is the machine-readable part; scripts read the first line.
        System.out.println(sim.baseUrl());
        System.err.println("Fish simulator on " + sim.baseUrl() + "/fish/model, tokens " + settings.tokens());
        stopped.await();
    }

    static FishSimulator.Settings parse(String[] args) {
        FishSimulator.Settings s = FishSimulator.Settings.defaults();
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--port" -> s = s.port(intValue(arg, value(args, ++i, arg)));
                case "--token" -> tokens.add(value(args, ++i, arg));
                case "--rate-limit" -> s = s.rateLimitPerSecond(intValue(arg, value(args, ++i, arg)));
                case "--latency-ms" -> s = s.latency(Duration.ofMillis(intValue(arg, value(args, ++i, arg))));
                case "--no-fetch" -> s = s.fetchVoices(false);
                case "--state" -> s = s.initialState(value(args, ++i, arg));
                case "-h", "--help" -> throw new IllegalArgumentException("help requested");
                default -> throw new IllegalArgumentException("unknown argument " + arg);
            }
        }
        return tokens.isEmpty() ? s : s.tokens(tokens.toArray(String[]::new));
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return args[i];
    }

    private static int intValue(String flag, String raw) {
        try {
            return Integer.parseInt(raw);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " needs an integer, got " + raw);
        }
    }
}
