package io.voicedrop.api;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.voicedrop.adapters.aws.DynamoApiKeyStore;
import io.voicedrop.config.VoiceDropConfig;
import io.voicedrop.core.port.ApiKeyStore;
import jakarta.inject.Singleton;
import java.time.Clock;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The API function's own beans. Everything else ({@link VoiceDropConfig}, {@link DynamoDbClient}, the model catalog,
 * the job store, the clock) comes from {@link io.voicedrop.wiring.VoiceDropBeans}.
 */
@Factory
public class ApiBeans {

    @Singleton
    @Requires(missingBeans = ApiKeyStore.class)
    ApiKeyStore apiKeyStore(DynamoDbClient dynamo, VoiceDropConfig config, Clock clock) {
        return new DynamoApiKeyStore(dynamo, config.apiKeysTable(), clock);
    }
}
