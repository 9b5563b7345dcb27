package io.voicedrop.wiring;

import com.fasterxml.jackson.databind.JsonNode;
import io.voicedrop.adapters.json.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * An SDK HTTP client that never opens a connection: it answers each AWS call locally with a minimal valid response
 * for that operation (JSON protocols by {@code X-Amz-Target}, S3 by method and query). Used by SnapStart priming,
 * both for the SDK pipelines and for the rehearsal of each function's first request ({@link FirstRequest}).
 *
 * <p>What it answers: DynamoDB GetItem finds what was {@link #putItem put} (staged, or written by PutItem) under
 * the same key, queries find nothing, other writes succeed. SQS sends succeed (with the MD5 the SDK checks). S3 holds one object, a short valid WAV
 * ({@link #SAMPLE_WAV}), under every key: HEAD and ranged GET answer from it, listings are empty, PUTs succeed.
 * Secrets Manager answers every secret with a {@code whsec_} value (it stands for the upstream token and the
 * webhook secret alike, and signs nothing outside the JVM). EventBridge accepts every entry.
 */
public final class OfflineAwsHttp implements SdkHttpClient {

    /** 2 s of a 440 Hz tone, 16 kHz mono 16-bit PCM: a sample every header check accepts. */
    public static final byte[] SAMPLE_WAV = wav(16_000, 2);
    /** The ETag S3 gives {@link #SAMPLE_WAV} here (its MD5, as for a single-part upload). */
    public static final String SAMPLE_ETAG = md5(SAMPLE_WAV);
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d*)");

    /** Calls answered, by operation ({@code DynamoDB_20120810.GetItem}, {@code s3:GET}, ...). */
    private final Map<String, Integer> calls = new ConcurrentHashMap<>();
    /** Items per table, newest first: what was staged and what PutItem wrote. */
    private final Map<String, java.util.Deque<JsonNode>> items = new ConcurrentHashMap<>();

    /** The calls answered so far, by operation, in no particular order. */
    public Map<String, Integer> calls() {
        return Map.copyOf(calls);
    }

    /**
     * Puts an item in {@code table} (DynamoDB JSON: {@code {"a":{"S":"v"}}}): a GetItem whose key attributes all
     * match it finds it, until a newer matching item is put.
     */
    public OfflineAwsHttp putItem(String table, String itemJson) {
        try {
            return putItem(table, Json.MAPPER.readTree(itemJson));
        } catch (IOException e) {
            throw new IllegalArgumentException("not DynamoDB JSON: " + itemJson, e);
        }
    }

    private OfflineAwsHttp putItem(String table, JsonNode item) {
        items.computeIfAbsent(table, t -> new java.util.concurrent.ConcurrentLinkedDeque<>()).addFirst(item);
        return this;
    }

    /**
     * From now on, the jobs table holds one ended job, {@link #JOB_ID}: SUCCEEDED, with a callback URL. The
     * worker's rehearsal gets it as a redelivered message (acknowledged, nothing billed); the notify functions as
     * the job whose end they announce.
     */
    public OfflineAwsHttp answerSucceededJob(String jobsTable) {
        String body = "{\"jobId\":\"" + JOB_ID + "\",\"status\":\"SUCCEEDED\",\"version\":3,\"bucket\":\"offline\","
                + "\"sourceKeys\":[\"incoming/snapstart-priming.wav\"],\"attempts\":1,\"createStarted\":true,"
                + "\"createdAt\":\"2026-01-01T00:00:00Z\",\"updatedAt\":\"2026-01-01T00:01:40Z\","
                + "\"modelId\":\"00000000000000000000000000000000\","
                + "\"options\":{\"callbackUrl\":\"https://hooks.example.com/voicedrop\"}}";
        try {
            return putItem(jobsTable, "{\"jobId\":{\"S\":\"" + JOB_ID + "\"},\"status\":{\"S\":\"SUCCEEDED\"},"
                    + "\"version\":{\"N\":\"3\"},\"body\":{\"S\":" + Json.MAPPER.writeValueAsString(body) + "}}");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The id of the job {@link #answerSucceededJob} stages. */
    public static final String JOB_ID = "snapstart-priming";

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        return new ExecutableHttpRequest() {
            @Override
            public HttpExecuteResponse call() throws IOException {
                return answer(request);
            }

            @Override
            public void abort() {
            }
        };
    }

    private HttpExecuteResponse answer(HttpExecuteRequest request) throws IOException {
        SdkHttpRequest http = request.httpRequest();
        String target = http.firstMatchingHeader("X-Amz-Target").orElse("");
        String operation = target.isEmpty() ? "s3:" + http.method() : target;
        calls.merge(operation, 1, Integer::sum);
        Map<String, String> headers = new LinkedHashMap<>();
        int status = 200;
        byte[] body;
        if (target.startsWith("DynamoDB_")) {
            headers.put("Content-Type", "application/x-amz-json-1.0");
            body = utf8(dynamo(target, request));
        } else if (target.startsWith("AmazonSQS.")) {
            headers.put("Content-Type", "application/x-amz-json-1.0");
            body = utf8(target.endsWith(".SendMessage")
                    ? "{\"MessageId\":\"00000000-0000-0000-0000-000000000000\",\"MD5OfMessageBody\":\""
                            + md5(jsonField(request, "MessageBody")) + "\"}"
                    : "{}");
        } else if (target.startsWith("AWSEvents.")) {
            headers.put("Content-Type", "application/x-amz-json-1.1");
            body = utf8("{\"Entries\":[{\"EventId\":\"offline\"}],\"FailedEntryCount\":0}");
        } else if (target.startsWith("secretsmanager.")) {
            headers.put("Content-Type", "application/x-amz-json-1.1");
            body = utf8("{\"ARN\":\"arn:aws:secretsmanager:us-east-1:000000000000:secret:offline\",\"Name\":\"offline\","
                    + "\"SecretString\":\"whsec_" + Base64.getEncoder().encodeToString(utf8("offline-priming-secret-0123"))
                    + "\",\"VersionId\":\"v1\"}");
        } else {
            headers.put("ETag", "\"" + SAMPLE_ETAG + "\"");
            headers.put("x-amz-version-id", "v1");
            body = new byte[0];
            String method = http.method().name();
            if (http.rawQueryParameters().containsKey("list-type")) {
                headers.put("Content-Type", "application/xml");
                body = utf8("<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListBucketResult "
                        + "xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>offline</Name><Prefix></Prefix>"
                        + "<KeyCount>0</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated></ListBucketResult>");
            } else if (method.equals("GET") || method.equals("HEAD")) {
                headers.put("Content-Type", "audio/wav");
                headers.put("Last-Modified", "Thu, 01 Jan 2026 00:00:00 GMT");
                byte[] object = SAMPLE_WAV;
                Matcher range = RANGE.matcher(http.firstMatchingHeader("Range").orElse(""));
                if (range.matches()) {
                    int from = Math.min(Integer.parseInt(range.group(1)), object.length);
                    int to = range.group(2).isEmpty() ? object.length - 1
                            : Math.min(Integer.parseInt(range.group(2)), object.length - 1);
                    byte[] part = new byte[Math.max(0, to - from + 1)];
                    System.arraycopy(object, from, part, 0, part.length);
                    headers.put("Content-Range", "bytes " + from + "-" + to + "/" + object.length);
                    object = part;
                    status = 206;
                }
                headers.put("Content-Length", Integer.toString(object.length));
                body = method.equals("GET") ? object : new byte[0];
            } else {
                headers.put("Content-Length", "0");
            }
        }
        SdkHttpResponse.Builder response = SdkHttpResponse.builder().statusCode(status).statusText("OK");
        headers.forEach(response::putHeader);
        return HttpExecuteResponse.builder().response(response.build())
                .responseBody(AbortableInputStream.create(new ByteArrayInputStream(body))).build();
    }

    private String dynamo(String target, HttpExecuteRequest request) throws IOException {
        JsonNode body = json(request);
        String table = body.path("TableName").asText("");
        if (target.endsWith(".PutItem") && body.has("Item")) {
            putItem(table, body.get("Item"));
            return "{}";
        }
        if (target.endsWith(".GetItem")) {
            JsonNode key = body.path("Key");
            for (JsonNode item : items.getOrDefault(table, new java.util.ArrayDeque<>())) {
                boolean matches = true;
                for (Map.Entry<String, JsonNode> k : (Iterable<Map.Entry<String, JsonNode>>) key::fields) {
                    matches &= k.getValue().equals(item.get(k.getKey()));
                }
                if (matches) {
                    return "{\"Item\":" + Json.MAPPER.writeValueAsString(item) + "}";
                }
            }
            return "{}";
        }
        if (target.endsWith(".Query") || target.endsWith(".Scan")) {
            return "{\"Count\":0,\"Items\":[],\"ScannedCount\":0}";
        }
        if (target.endsWith(".BatchGetItem")) {
            return "{\"Responses\":{},\"UnprocessedKeys\":{}}";
        }
        return "{}";
    }

    private static String jsonField(HttpExecuteRequest request, String field) throws IOException {
        return json(request).path(field).asText("");
    }

    private static JsonNode json(HttpExecuteRequest request) throws IOException {
        if (request.contentStreamProvider().isEmpty()) {
            return Json.MAPPER.createObjectNode();
        }
        try (InputStream in = request.contentStreamProvider().get().newStream()) {
            JsonNode node = Json.MAPPER.readTree(in);
            return node == null ? Json.MAPPER.createObjectNode() : node;
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String md5(String s) {
        return md5(utf8(s));
    }

    private static String md5(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] wav(int rate, int seconds) {
        int samples = rate * seconds;
        ByteBuffer pcm = ByteBuffer.allocate(samples * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < samples; i++) {
            pcm.putShort((short) (8000 * Math.sin(2 * Math.PI * 440 * i / rate)));
        }
        ByteBuffer header = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
        header.put(utf8("RIFF")).putInt(36 + samples * 2).put(utf8("WAVE"))
                .put(utf8("fmt ")).putInt(16).putShort((short) 1).putShort((short) 1).putInt(rate).putInt(rate * 2)
                .putShort((short) 2).putShort((short) 16)
                .put(utf8("data")).putInt(samples * 2);
        ByteArrayOutputStream out = new ByteArrayOutputStream(44 + samples * 2);
        out.writeBytes(header.array());
        out.writeBytes(pcm.array());
        return out.toByteArray();
    }

    @Override
    public String clientName() {
        return "VoiceDropOffline";
    }

    @Override
    public void close() {
    }
}
