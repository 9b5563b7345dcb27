package io.voicedrop.local;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The options of {@code scripts/run-local.sh} (which prints the usage with {@code --help}; the script refuses an
 * unknown option before anything is built, and this class refuses it again for a direct {@code java} start).
 */
record LocalRunOptions(boolean demo, boolean verbose, String awsEndpoint, String fishUrl, String fishToken, int port,
                       String template) {

    private static final Set<String> FLAGS = Set.of("demo", "verbose");
    private static final Set<String> VALUED = Set.of("aws-endpoint", "fish-url", "fish-token", "port", "template");

    /** @throws IllegalArgumentException naming the problem, for a usage error (exit code 2) */
    static LocalRunOptions parse(String[] args) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String name = a.startsWith("--") ? a.substring(2) : null;
            if (name != null && FLAGS.contains(name)) {
                values.put(name, "true");
            } else if (name != null && VALUED.contains(name)) {
                if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                    throw new IllegalArgumentException(a + " needs a value");
                }
                values.put(name, args[++i]);
            } else {
                throw new IllegalArgumentException((name == null ? "unexpected argument " : "unknown option ") + a);
            }
        }
        if (values.containsKey("fish-url") != values.containsKey("fish-token")) {
            throw new IllegalArgumentException("--fish-url and --fish-token go together");
        }
        int port;
        try {
            port = Integer.parseInt(values.getOrDefault("port", "0"));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--port must be a number, not " + values.get("port"));
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("--port must be between 0 and 65535");
        }
        return new LocalRunOptions(values.containsKey("demo"), values.containsKey("verbose"),
                values.get("aws-endpoint"), values.get("fish-url"), values.get("fish-token"), port,
                values.get("template"));
    }
}
