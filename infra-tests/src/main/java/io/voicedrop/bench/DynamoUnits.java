package io.voicedrop.bench;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * The read and write request units DynamoDB on-demand would bill for one call, from the sizes of the items the
 * call carries, by DynamoDB's published rules: a write unit per 1 KB written (two in a transaction), a read unit
 * per 4 KB read with strong consistency (half without), at least one unit per item or query. A conditional write
 * that fails is billed like one that succeeds. Where the call does not show the item (an UpdateItem answered
 * without it, a DeleteItem) it is taken as under 1 KB, which holds for VoiceDrop's control items and counters.
 * Moto does not report consumed capacity, hence the estimate.
 */
final class DynamoUnits {

    record Units(double read, double write) {
        static final Units NONE = new Units(0, 0);
    }

    private DynamoUnits() {
    }

    static Units of(SdkRequest request, SdkResponse response, Throwable failure) {
        if (request instanceof GetItemRequest get) {
            Map<String, AttributeValue> item = response instanceof GetItemResponse r && r.hasItem() ? r.item() : Map.of();
            return new Units(readUnits(size(item), Boolean.TRUE.equals(get.consistentRead())), 0);
        }
        if (request instanceof PutItemRequest put) {
            return new Units(0, writeUnits(size(put.item())));
        }
        if (request instanceof QueryRequest query) {
            long bytes = response instanceof QueryResponse r ? r.items().stream().mapToLong(DynamoUnits::size).sum() : 0;
            return new Units(readUnits(bytes, Boolean.TRUE.equals(query.consistentRead())), 0);
        }
        if (request instanceof TransactWriteItemsRequest tx) {
            double units = 0;
            for (TransactWriteItem item : tx.transactItems()) {
                units += 2 * (item.put() != null ? writeUnits(size(item.put().item())) : 1);
            }
            return new Units(0, units);
        }
        String name = request.getClass().getSimpleName();
        if (name.equals("UpdateItemRequest")) {
            long bytes = response instanceof UpdateItemResponse r && r.hasAttributes() ? size(r.attributes()) : 0;
            return new Units(0, writeUnits(bytes));
        }
        if (name.equals("DeleteItemRequest")) {
            return new Units(0, 1);
        }
        return Units.NONE;
    }

    private static double readUnits(long bytes, boolean consistent) {
        double units = Math.max(1, Math.ceil(bytes / 4096.0));
        return consistent ? units : units / 2;
    }

    private static double writeUnits(long bytes) {
        return Math.max(1, Math.ceil(bytes / 1024.0));
    }

    /** An item's size by DynamoDB's rules: names plus values (numbers about a byte per two digits). */
    static long size(Map<String, AttributeValue> item) {
        long bytes = 0;
        for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
            bytes += utf8(e.getKey()) + size(e.getValue());
        }
        return bytes;
    }

    private static long size(AttributeValue v) {
        if (v.s() != null) {
            return utf8(v.s());
        }
        if (v.n() != null) {
            return v.n().replaceAll("[^0-9]", "").length() / 2 + 2;
        }
        if (v.b() != null) {
            return v.b().asByteArray().length;
        }
        if (v.hasM()) {
            return 3 + v.m().size() + size(v.m());
        }
        if (v.hasL()) {
            List<AttributeValue> list = v.l();
            return 3 + list.size() + list.stream().mapToLong(DynamoUnits::size).sum();
        }
        if (v.hasSs()) {
            return v.ss().stream().mapToLong(DynamoUnits::utf8).sum();
        }
        return 1; // BOOL, NULL
    }

    private static long utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
