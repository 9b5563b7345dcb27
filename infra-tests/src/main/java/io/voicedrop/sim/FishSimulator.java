package io.voicedrop.sim;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * A loopback stand-in for the Ace Data Cloud proxy of Fish Audio's model API
 * ({@code POST/GET /fish/model}, {@code GET/PATCH/DELETE /fish/model/{id}}), faithful to
 * shared/reference/fish-model-api.md sections 3 to 7, with scriptable faults for tests, and its TTS
 * ({@code POST /fish/tts}, section 9: answers {@code {"audio_url"}} pointing at a real MP3 it serves). PATCH and
 * DELETE follow the official API (the proxy may not offer them: {@link EditOffer}).
 *
 * <p>Listing semantics where upstream is unconfirmed: {@code tag} filters keep a model only if it
 * carries <b>all</b> given tags (exact, case-sensitive; switch with {@link Settings#tagMatch});
 * {@code title} is a case-insensitive substring; {@code language} matches any given code; without
 * {@code self=true} the caller sees every public model plus all of its own. Each bearer token is
 * its own account (author id derived from the token).
 *
 * <pre>{@code
 * try (FishSimulator sim = FishSimulator.start(FishSimulator.Settings.defaults().rateLimitPerSecond(2))) {
 *     client.post(sim.baseUrl() + "/fish/model", "Bearer " + sim.token(), ...);
 * }
 * }</pre>
 */
public final class FishSimulator implements AutoCloseable {

    public static final String DEFAULT_TOKEN = Settings.DEFAULT_TOKEN;

    /** How several {@code tag} query values combine. */
    public enum TagMatch { ALL, ANY }

    /**
     * Whether {@code PATCH}/{@code DELETE /fish/model/{id}} are offered. The platform proxy documents neither
     * (contract sections 2 and 10), so each way it may refuse them can be switched on: an unknown route
     * (404 {@code no_api}), a method it does not route (405), or its {@code api_not_implemented} (400).
     */
    public enum EditOffer {
        OFFERED, NO_API, METHOD_NOT_ALLOWED, NOT_IMPLEMENTED;

        /** The refusal for this request, or null when the operation is offered. */
        Reply reply(String method, String path) {
            return switch (this) {
                case OFFERED -> null;
                case NO_API -> Reply.envelope(404, "no_api", "The API " + method + " " + path + " does not exist.");
                case METHOD_NOT_ALLOWED -> Reply.envelope(405, "method_not_allowed", "Method " + method
                        + " is not allowed.").withHeader("Allow", "GET, POST");
                case NOT_IMPLEMENTED -> Reply.envelope(400, "api_not_implemented", "The API " + method + " " + path
                        + " is not implemented.");
            };
        }
    }

    /**
     * Immutable settings; every setter returns a changed copy, so one instance can be shared and
     * swapped at runtime with {@link #update}. Defaults: free port, token {@value #DEFAULT_TOKEN},
     * create answers 200, no latency, no rate limit, Retry-After sent, models start {@code trained},
     * voices fetched with a 10 s timeout, languages {@code ["en"]}, tags match {@link TagMatch#ALL}.
     *
     * <p>Training: with {@code initialState("training")} a model answers {@code training} to its first
     * {@code trainAfterPolls} GET-by-id polls (0: polls never finish it) and/or until
     * {@code trainAfter} has passed since creation (null: time never finishes it), then
     * {@code trainingOutcome} ({@code trained} or {@code failed}). Changes apply to new models only.
     */
    public static final class Settings implements Cloneable {
        static final String DEFAULT_TOKEN = "sim-token";

        private int port;
        private Set<String> tokens = Set.of(DEFAULT_TOKEN);
        private int createStatus = 200;
        private Duration latency = Duration.ZERO;
        private int rateLimit;
        private boolean retryAfterHeader = true;
        private String initialState = "trained";
        private int trainAfterPolls;
        private Duration trainAfter;
        private String trainingOutcome = "trained";
        private TagMatch tagMatch = TagMatch.ALL;
        private boolean fetchVoices = true;
        private Duration voiceFetchTimeout = Duration.ofSeconds(10);
        private List<String> languages = List.of("en");
        private Clock clock = Clock.systemUTC();
        private EditOffer edits = EditOffer.OFFERED;

        private Settings() {
        }

        public static Settings defaults() {
            return new Settings();
        }

        // All fields are immutable values, so a shallow clone is a safe copy-on-write.
        private Settings with(Consumer<Settings> change) {
            try {
                Settings copy = (Settings) clone();
                change.accept(copy);
                return copy;
            } catch (CloneNotSupportedException e) {
                throw new AssertionError(e);
            }
        }

        private static void check(boolean ok, String what) {
            if (!ok) {
                throw new IllegalArgumentException("invalid " + what);
            }
        }

        public Settings port(int v) { check(v >= 0 && v < 65536, "port"); return with(s -> s.port = v); }
        public Settings tokens(String... v) {
            check(v.length > 0, "tokens");
            return with(s -> s.tokens = orderedSet(v));
        }
        /** 200 (ADC spec) or 201 (official API); upstream may send either. */
        public Settings createStatus(int v) {
            check(v == 200 || v == 201, "createStatus");
            return with(s -> s.createStatus = v);
        }
        public Settings latency(Duration v) { return with(s -> s.latency = Objects.requireNonNull(v)); }
        /** Create calls per second; 0 means unlimited. */
        public Settings rateLimitPerSecond(int v) { check(v >= 0, "rateLimit"); return with(s -> s.rateLimit = v); }
        public Settings retryAfterHeader(boolean v) { return with(s -> s.retryAfterHeader = v); }
        public Settings initialState(String v) {
            check(STARTS.contains(v), "initialState");
            return with(s -> s.initialState = v);
        }
        public Settings trainAfterPolls(int v) {
            check(v >= 0, "trainAfterPolls");
            return with(s -> s.trainAfterPolls = v);
        }
        public Settings trainAfter(Duration v) { return with(s -> s.trainAfter = v); }
        public Settings trainingOutcome(String v) {
            check(ENDS.contains(v), "trainingOutcome");
            return with(s -> s.trainingOutcome = v);
        }
        public Settings tagMatch(TagMatch v) { return with(s -> s.tagMatch = Objects.requireNonNull(v)); }
        /** false skips downloading voice URLs (e.g. for a local runner without reachable storage). */
        public Settings fetchVoices(boolean v) { return with(s -> s.fetchVoices = v); }
        public Settings voiceFetchTimeout(Duration v) {
            return with(s -> s.voiceFetchTimeout = Objects.requireNonNull(v));
        }
        public Settings languages(String... v) { return with(s -> s.languages = List.of(v)); }
        public Settings clock(Clock v) { return with(s -> s.clock = Objects.requireNonNull(v)); }
        /** Whether PATCH and DELETE of a model are offered (default: they are, with Fish's semantics). */
        public Settings edits(EditOffer v) { return with(s -> s.edits = Objects.requireNonNull(v)); }

        public int port() { return port; }
        public Set<String> tokens() { return tokens; }
        public int createStatus() { return createStatus; }
        public Duration latency() { return latency; }
        public int rateLimitPerSecond() { return rateLimit; }
        public boolean retryAfterHeader() { return retryAfterHeader; }
        public String initialState() { return initialState; }
        public int trainAfterPolls() { return trainAfterPolls; }
        public Duration trainAfter() { return trainAfter; }
        public String trainingOutcome() { return trainingOutcome; }
        public TagMatch tagMatch() { return tagMatch; }
        public boolean fetchVoices() { return fetchVoices; }
        public Duration voiceFetchTimeout() { return voiceFetchTimeout; }
        public List<String> languages() { return languages; }
        public Clock clock() { return clock; }
        public EditOffer edits() { return edits; }

        // Ordered so that token() is the first one given, which tests rely on.
        private static Set<String> orderedSet(String... values) {
            return Collections.unmodifiableSet(new LinkedHashSet<>(List.of(values)));
        }

        private static final Set<String> STARTS = Set.of("created", "training", "trained", "failed");
        private static final Set<String> ENDS = Set.of("trained", "failed");
    }

    private final Settings initial;
    private volatile Settings current;
    private final HttpServer server;
    private final ExecutorService pool;

    final ModelStore store = new ModelStore();
    final Faults faults = new Faults();
    final VoiceFetcher fetcher = new VoiceFetcher();
    final AtomicInteger createCalls = new AtomicInteger();
    final AtomicInteger modelsCreated = new AtomicInteger();
    final AtomicInteger status429 = new AtomicInteger();
    final List<String> createBodies = new CopyOnWriteArrayList<>();
    final AtomicInteger updateCalls = new AtomicInteger();
    final AtomicInteger deleteCalls = new AtomicInteger();
    final List<String> updateBodies = new CopyOnWriteArrayList<>();
    final Faults speechFaults = new Faults();
    final Faults audioFaults = new Faults();
    final AtomicInteger speechCalls = new AtomicInteger();
    final AtomicInteger speechServed = new AtomicInteger();
    final AtomicInteger audioFetches = new AtomicInteger();
    final List<String> speechBodies = new CopyOnWriteArrayList<>();

    private FishSimulator(Settings settings) throws IOException {
        this.initial = settings;
        this.current = settings;
        InetSocketAddress address = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), settings.port());
        this.server = HttpServer.create(address, 0);
        // Unbounded and daemon: held responses must not starve other requests nor keep a JVM alive.
        this.pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fish-sim");
            t.setDaemon(true);
            return t;
        });
        server.createContext("/", new Router(this));
        server.setExecutor(pool);
        server.start();
    }

    public static FishSimulator start(Settings settings) {
        try {
            return new FishSimulator(settings);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind the Fish simulator on port " + settings.port(), e);
        }
    }

    public static FishSimulator start() { return start(Settings.defaults()); }

    /** E.g. {@code http://127.0.0.1:41234}; clients call {@code baseUrl() + "/fish/model"}. */
    public String baseUrl() { return "http://127.0.0.1:" + port(); }

    public int port() { return server.getAddress().getPort(); }

    /** A token the simulator accepts (the first configured one). */
    public String token() { return current.tokens().iterator().next(); }

    public Settings settings() { return current; }

    /** Swaps settings atomically for subsequent requests; the port cannot change. */
    public synchronized FishSimulator update(UnaryOperator<Settings> change) {
        current = Objects.requireNonNull(change.apply(current));
        return this;
    }

    public FishSimulator setLatency(Duration latency) { return update(s -> s.latency(latency)); }

    /** At most {@code perSecond} create calls per second (token bucket); 0 disables the limit. */
    public FishSimulator setRateLimit(int perSecond) { return update(s -> s.rateLimitPerSecond(perSecond)); }

    public FishSimulator setRetryAfterHeader(boolean send) { return update(s -> s.retryAfterHeader(send)); }

    /**
     * The next {@code n} create calls that pass auth and the rate limit answer {@code status} with
     * the body upstream would use (ADC envelope; raw Fish JSON for 402; a validation array for 422),
     * storing nothing.
     */
    public FishSimulator failNextCreates(int n, int status) { return failNextCreates(n, status, null); }

    /** As {@link #failNextCreates(int, int)} with an exact raw body. */
    public FishSimulator failNextCreates(int n, int status, String rawBody) {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("status " + status);
        }
        for (int i = 0; i < n; i++) {
            faults.enqueue(new Faults.Fail(status, rawBody));
        }
        return this;
    }

    /**
     * The next create call that passes auth and the rate limit is processed normally (a valid one
     * is stored) but its answer is held for {@code hold}, so the client times out first.
     */
    public FishSimulator createThenTimeout(Duration hold) {
        faults.enqueue(new Faults.Hold(Objects.requireNonNull(hold)));
        return this;
    }

    /** As {@link #createThenTimeout} but the connection is closed with no answer at all. */
    public FishSimulator createThenReset() {
        faults.enqueue(new Faults.Drop());
        return this;
    }

    /** The next {@code n} PATCH calls of a model answer {@code status} (bodies as for creates), changing nothing. */
    public FishSimulator failNextUpdates(int n, int status) {
        return script(Faults.Operation.UPDATE, n, status);
    }

    /** The next {@code n} DELETE calls of a model answer {@code status} (bodies as for creates), deleting nothing. */
    public FishSimulator failNextDeletes(int n, int status) {
        return script(Faults.Operation.DELETE, n, status);
    }

    /** The next DELETE is carried out, but the connection is closed without an answer. */
    public FishSimulator deleteThenReset() {
        faults.enqueue(Faults.Operation.DELETE, new Faults.Drop());
        return this;
    }

    private FishSimulator script(Faults.Operation op, int n, int status) {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("status " + status);
        }
        for (int i = 0; i < n; i++) {
            faults.enqueue(op, new Faults.Fail(status, null));
        }
        return this;
    }

    /** The next {@code n} {@code POST /fish/tts} calls answer {@code status} (canned upstream bodies), billing nothing. */
    public FishSimulator failNextSpeech(int n, int status) {
        for (int i = 0; i < n; i++) {
            speechFaults.enqueue(new Faults.Fail(status, null));
        }
        return this;
    }

    /** Drops every scripted step not consumed yet (creates, updates, deletes); models and counters stay. */
    public FishSimulator clearScripts() {
        faults.clear();
        return this;
    }

    /** Switches PATCH and DELETE of models between offered and the platform's ways of not offering them. */
    public FishSimulator setEdits(EditOffer offer) { return update(s -> s.edits(offer)); }

    /** Every {@code PATCH /fish/model/{id}} received, including refused ones. */
    public int updateCalls() { return updateCalls.get(); }

    /** Raw bodies of every {@code PATCH /fish/model/{id}} received, in arrival order. */
    public List<String> updateRequestBodies() { return List.copyOf(updateBodies); }

    /** Every {@code DELETE /fish/model/{id}} received, including refused ones. */
    public int deleteCalls() { return deleteCalls.get(); }

    /** Scripted PATCH or DELETE steps not yet consumed. */
    public int pendingScriptedEdits() {
        return faults.pending(Faults.Operation.UPDATE).size() + faults.pending(Faults.Operation.DELETE).size();
    }

    /** The next {@code POST /fish/tts} is served (audio made, billed) but its answer is held for {@code hold}. */
    public FishSimulator speechThenTimeout(Duration hold) {
        speechFaults.enqueue(new Faults.Hold(Objects.requireNonNull(hold)));
        return this;
    }

    /** The next {@code n} downloads of a TTS {@code audio_url} answer {@code status} instead of the audio. */
    public FishSimulator failNextAudio(int n, int status) {
        for (int i = 0; i < n; i++) {
            audioFaults.enqueue(new Faults.Fail(status, null));
        }
        return this;
    }

    /** Every {@code POST /fish/tts} received, including refused ones. */
    public int speechCalls() { return speechCalls.get(); }

    /** {@code POST /fish/tts} calls that produced audio: what upstream would bill. */
    public int speechServed() { return speechServed.get(); }

    /** Raw bodies of every {@code POST /fish/tts} received, in arrival order. */
    public List<String> speechRequestBodies() { return List.copyOf(speechBodies); }

    /** Downloads of TTS audio URLs. */
    public int audioFetches() { return audioFetches.get(); }

    /** The bytes every TTS {@code audio_url} serves (a real 1 s MP3). */
    public static byte[] speechAudio() { return SpeechHandler.AUDIO.clone(); }

    /** Scripted steps not yet consumed, so a test can check its script was fully used. */
    public int pendingScriptedCreates() { return faults.pending().size(); }

    /** Every {@code POST /fish/model} received, including rejected ones. */
    public int createCalls() { return createCalls.get(); }

    /** Raw bodies of every {@code POST /fish/model} received, in arrival order. */
    public List<String> createRequestBodies() { return List.copyOf(createBodies); }

    public int modelsCreated() { return modelsCreated.get(); }

    /** Every 429 answered, whether from the rate limit or scripted. */
    public int status429Count() { return status429.get(); }

    /** Snapshot of stored models, newest first, with training state as a list call would show it. */
    public List<SimModel> models() { return store.newestFirst(current.clock().instant()); }

    /** A stored model by id, without counting as a poll. */
    public Optional<SimModel> model(String id) {
        return models().stream().filter(m -> m.id().equals(id)).findFirst();
    }

    /** Forgets models, counters and scripted faults, and restores the settings given to start. */
    public synchronized void reset() {
        store.clear();
        faults.clear();
        createCalls.set(0);
        modelsCreated.set(0);
        status429.set(0);
        createBodies.clear();
        updateCalls.set(0);
        deleteCalls.set(0);
        updateBodies.clear();
        speechFaults.clear();
        audioFaults.clear();
        speechCalls.set(0);
        speechServed.set(0);
        audioFetches.set(0);
        speechBodies.clear();
        current = initial;
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }

    /** Standalone: {@code --port N --token T (repeatable) --rate-limit R --latency-ms M}. */
    public static void main(String[] args) throws InterruptedException {
        SimCli.run(args);
    }
}
