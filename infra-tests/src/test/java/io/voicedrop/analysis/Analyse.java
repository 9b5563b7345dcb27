package io.voicedrop.analysis;

import io.voicedrop.audio.AudioInfo;
import io.voicedrop.audio.AudioProbe;
import io.voicedrop.audio.AudioProbeException;
import io.voicedrop.audio.ByteSource;
import io.voicedrop.audio.analysis.Analysis;
import io.voicedrop.audio.analysis.AudioAnalyzer;
import io.voicedrop.audio.analysis.SourceReadException;
import io.voicedrop.local.TestEncoders;
import io.voicedrop.local.TestSignals.Signal;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.function.Function;

/** The formats the analysis decodes, and one call that probes and analyses bytes as ingest does. */
final class Analyse {

    static final long MINUTE_NANOS = 60_000_000_000L;

    private Analyse() {
    }

    /** An encoding the tests run every measure through, and whether it is lossy (wider tolerances). */
    enum Format {
        WAV_PCM8(s -> TestEncoders.wav(s, 8), false),
        WAV_PCM16(s -> TestEncoders.wav(s, 16), false),
        WAV_PCM24(s -> TestEncoders.wav(s, 24), false),
        WAV_PCM32(s -> TestEncoders.wav(s, 32), false),
        WAV_FLOAT(TestEncoders::wavFloat, false),
        FLAC(TestEncoders::flac, false),
        MP3(s -> TestEncoders.mp3(s, 128), true);

        private final Function<Signal, byte[]> encoder;
        final boolean lossy;

        Format(Function<Signal, byte[]> encoder, boolean lossy) {
            this.encoder = encoder;
            this.lossy = lossy;
        }

        byte[] encode(Signal s) {
            return encoder.apply(s);
        }
    }

    static Analysis bytes(byte[] bytes) {
        return bytes(bytes, 600);
    }

    static Analysis bytes(byte[] bytes, double maxSeconds) {
        return stream(bytes, new ByteArrayInputStream(bytes), maxSeconds, System.nanoTime() + MINUTE_NANOS);
    }

    static Analysis stream(byte[] bytes, InputStream in, double maxSeconds, long deadline) {
        try {
            return new AudioAnalyzer().analyse(probe(bytes), in, maxSeconds, deadline);
        } catch (SourceReadException e) {
            throw new AssertionError(e);
        }
    }

    static AudioInfo probe(byte[] bytes) {
        try {
            return new AudioProbe().probe(ByteSource.of(bytes));
        } catch (AudioProbeException e) {
            throw new AssertionError("the probe refused the test audio", e);
        }
    }
}
