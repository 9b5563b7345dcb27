package io.voicedrop.adapters.aws.catalog;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;

/**
 * The catalog's cache items ({@code CACHE#<kind>#<sha-256 of what they describe> / CACHE}), shared by every API
 * instance through the table, expiring by TTL. The cache is an optimisation only: a role that may not write them
 * (a stack deployed before they existed) gets the same answers, at full cost, and one warning.
 */
public final class CatalogCache {

    private static final Logger LOG = LoggerFactory.getLogger(CatalogCache.class);

    private final CatalogTable table;
    private final Clock clock;
    private volatile boolean writable = true;

    public CatalogCache(CatalogTable table, Clock clock) {
        this.table = table;
        this.clock = clock;
    }

    /** Hashed, because a query's identity can be longer than a key may be. */
    static String key(String kind, String identity) {
        return "CACHE#" + kind + "#" + digest(identity);
    }

    /** The cached attributes, or null when absent or past their TTL (TTL deletion lags by up to days). */
    Map<String, AttributeValue> read(String key, Instant now) {
        Map<String, AttributeValue> item = table.get(CatalogItems.key(key, "CACHE"), false);
        if (item == null) {
            return null;
        }
        table.counted(item);
        AttributeValue exp = item.get("expiresAt");
        boolean expired = exp != null && exp.n() != null && Long.parseLong(exp.n()) < now.getEpochSecond();
        return expired ? null : item;
    }

    void write(String key, Map<String, AttributeValue> data, Duration ttl) {
        if (!writable) {
            return;
        }
        Map<String, AttributeValue> item = new HashMap<>(data);
        item.put("pk", AttributeValue.fromS(key));
        item.put("sk", AttributeValue.fromS("CACHE"));
        item.put("expiresAt", AttributeValue.fromN(Long.toString(clock.instant().plus(ttl).getEpochSecond())));
        try {
            table.put(item);
        } catch (DynamoDbException e) {
            if (CatalogTable.isAccessDenied(e)) {
                writable = false;
                LOG.warn("dynamodb:PutItem is not allowed on {} (cache items): listing works without the cache",
                        table.name());
            } else {
                LOG.warn("could not write catalog cache item: {}", e.toString());
            }
        }
    }

    /** Thousands of sort keys in one item: gzip keeps them far below DynamoDB's 400 KB item limit. */
    static AttributeValue pack(List<String> lines) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(String.join("\n", lines).getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return AttributeValue.fromB(SdkBytes.fromByteArray(bytes.toByteArray()));
    }

    static List<String> unpack(AttributeValue value) {
        try (GZIPInputStream gz = new GZIPInputStream(new ByteArrayInputStream(value.b().asByteArray()))) {
            String text = new String(gz.readAllBytes(), StandardCharsets.UTF_8);
            return text.isEmpty() ? new ArrayList<>() : new ArrayList<>(List.of(text.split("\n", -1)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String digest(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
