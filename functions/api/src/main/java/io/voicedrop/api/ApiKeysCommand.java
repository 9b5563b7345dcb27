package io.voicedrop.api;

import io.voicedrop.adapters.aws.AwsClients;
import io.voicedrop.adapters.aws.DynamoApiKeyStore;
import io.voicedrop.config.VoiceDropConfig;
import io.voicedrop.core.model.ApiKey;
import io.voicedrop.core.port.ApiKeyStore;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Supplier;

/**
 * Operator command line for the API's client keys (table {@code API_KEYS_TABLE}; keys are stored only as SHA-256
 * hashes).
 *
 * <pre>
 * create --owner OWNER [--label LABEL] [--rate-limit N]
 *                                        issue a key; prints it ONCE on stdout (it cannot be shown again);
 *                                        N = the key's own requests per minute (default: API_RATE_LIMIT_PER_MINUTE)
 * list                                   every key: hash, enabled/disabled, created, owner, label, rate limit
 * revoke HASH_PREFIX                     disable the one key whose hash starts with HASH_PREFIX (8+ hex chars)
 * </pre>
 *
 * <p>Configuration is read by {@link VoiceDropConfig#fromEnvironment()}, so the same variables as the functions must
 * be set: {@code BUCKET_NAME}, {@code JOBS_TABLE}, {@code MODELS_TABLE}, {@code API_KEYS_TABLE} and
 * {@code JOBS_QUEUE_URL} (only {@code API_KEYS_TABLE} is used here; the others may be placeholders), plus
 * {@code AWS_REGION} and the usual AWS credentials ({@code AWS_ENDPOINT_URL} for an emulator). Example, after
 * {@code mvn -pl functions/api -am package -DskipTests}:
 *
 * <pre>
 * export API_KEYS_TABLE=$(aws cloudformation describe-stacks --stack-name voicedrop \
 *     --query "Stacks[0].Outputs[?OutputKey=='ApiKeysTableName'].OutputValue" --output text)
 * export BUCKET_NAME=- JOBS_TABLE=- MODELS_TABLE=- JOBS_QUEUE_URL=- AWS_REGION=eu-west-1
 * java -cp "functions/api/target/voicedrop-api-1.0.0-SNAPSHOT.jar:functions/api/target/lambda/lib/*" \
 *     io.voicedrop.api.ApiKeysCommand create --owner alice --label laptop
 * </pre>
 *
 * <p>Exit codes: 0 done, 1 the store refused (no such key, ambiguous prefix, AWS error), 2 usage or configuration
 * error.
 */
public final class ApiKeysCommand {

    private static final String USAGE = String.join(System.lineSeparator(),
            "usage: ApiKeysCommand create --owner OWNER [--label LABEL] [--rate-limit REQUESTS_PER_MINUTE]",
            "       ApiKeysCommand list",
            "       ApiKeysCommand revoke HASH_PREFIX");

    private ApiKeysCommand() {
    }

    public static void main(String[] args) {
        int code = run(args, ApiKeysCommand::storeFromEnvironment, System.out, System.err);
        System.exit(code);
    }

    private static ApiKeyStore storeFromEnvironment() {
        VoiceDropConfig config = VoiceDropConfig.fromEnvironment();
        return new DynamoApiKeyStore(new AwsClients(config).dynamoDb(), config.apiKeysTable());
    }

    /** Runs one command; the store is only built once the arguments are known to be valid. */
    static int run(String[] args, Supplier<ApiKeyStore> stores, PrintStream out, PrintStream err) {
        List<String> a = Arrays.asList(args == null ? new String[0] : args);
        if (a.isEmpty()) {
            err.println(USAGE);
            return 2;
        }
        try {
            switch (a.get(0)) {
                case "create" -> {
                    String owner = option(a, "--owner");
                    String label = option(a, "--label");
                    String limit = option(a, "--rate-limit");
                    int expected = 3 + (label == null ? 0 : 2) + (limit == null ? 0 : 2);
                    if (owner == null || owner.isBlank() || a.size() != expected) {
                        return usage(err);
                    }
                    int perMinute = 0;
                    if (limit != null) {
                        try {
                            perMinute = Integer.parseInt(limit.trim());
                        } catch (NumberFormatException e) {
                            return usage(err);
                        }
                    }
                    ApiKey key = store(stores).create(owner, label, perMinute);
                    out.println(key.plaintext());
                    err.println("Key created for owner '" + key.owner() + "' (hash " + key.keyHash() + ").");
                    err.println("It is printed above once and cannot be shown again: store it now.");
                    return 0;
                }
                case "list" -> {
                    if (a.size() != 1) {
                        return usage(err);
                    }
                    for (ApiKey key : store(stores).list()) {
                        out.println(String.join("\t", key.keyHash(), key.enabled() ? "enabled" : "disabled",
                                key.createdAt().toString(), key.owner(), key.label(),
                                key.rateLimitPerMinute() == 0 ? "default" : key.rateLimitPerMinute() + "/min"));
                    }
                    return 0;
                }
                case "revoke" -> {
                    if (a.size() != 2) {
                        return usage(err);
                    }
                    store(stores).revoke(a.get(1));
                    err.println("Key " + a.get(1) + "... disabled.");
                    return 0;
                }
                default -> {
                    return usage(err);
                }
            }
        } catch (ConfigurationError e) {
            err.println(e.getMessage());
            return 2;
        } catch (IllegalArgumentException | NoSuchElementException e) {
            err.println(e.getMessage());
            return 1;
        } catch (RuntimeException e) {
            err.println("failed: " + e);
            return 1;
        }
    }

    private static ApiKeyStore store(Supplier<ApiKeyStore> stores) {
        try {
            return stores.get();
        } catch (IllegalStateException e) {
            throw new ConfigurationError(e.getMessage());
        }
    }

    /** The value after {@code name}; null when the option is absent. */
    private static String option(List<String> args, String name) {
        int i = args.indexOf(name);
        if (i < 0) {
            return null;
        }
        return i + 1 < args.size() ? args.get(i + 1) : "";
    }

    private static int usage(PrintStream err) {
        err.println(USAGE);
        return 2;
    }

    private static final class ConfigurationError extends RuntimeException {
        ConfigurationError(String message) {
            super(message);
        }
    }
}
