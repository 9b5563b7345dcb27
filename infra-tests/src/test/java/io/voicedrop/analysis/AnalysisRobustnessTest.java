package io.voicedrop.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voicedrop.analysis.Analyse.Format;
import io.voicedrop.audio.AudioInfo;
import io.voicedrop.audio.analysis.Analysis;
import io.voicedrop.audio.analysis.Analysis.Outcome;
import io.voicedrop.audio.analysis.AudioAnalyzer;
import io.voicedrop.audio.analysis.SourceReadException;
import io.voicedrop.core.quality.QualityCheck;
import io.voicedrop.core.quality.QualitySettings;
import io.voicedrop.local.TestSignals;
import io.voicedrop.local.TestSignals.Signal;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Bad, odd, long and hostile input ends in a figure or a note, never in a crash, an endless read or a big allocation. */
class AnalysisRobustnessTest {

    private static final int RATE = 44_100;

    private static Signal speech(double seconds) {
        return TestSignals.mono(TestSignals.speech(RATE, seconds, 0.5, 21), RATE);
    }

    @ParameterizedTest
    @EnumSource(value = Format.class, names = {"FLAC", "MP3"})
    void aStreamDamagedMidFileIsAWarningWithTheFiguresBeforeIt(Format format) {
        byte[] bytes = format.encode(speech(20));
        byte[] damaged = bytes.clone();
        Random random = new Random(5);
        int from = damaged.length / 2;
        for (int i = from; i < from + damaged.length / 4; i++) {
            damaged[i] = (byte) random.nextInt(256);
        }
        Analysis a = Analyse.bytes(damaged);
        assertEquals(Outcome.DAMAGED, a.outcome(), String.valueOf(a.detail()));
        assertTrue(a.detail().contains("damaged after"), a.detail());
        assertNotNull(a.measures(), "what came before the damage is measured");
        assertTrue(a.measures().analysedSeconds() >= 9, "decoded up to the damage: " + a.measures().analysedSeconds());

        byte[] cut = Arrays.copyOf(bytes, bytes.length / 2); // an upload that stopped half-way
        Analysis truncated = Analyse.bytes(cut);
        assertNotNull(truncated.measures());
        assertEquals(10, truncated.measures().analysedSeconds(), 1.0);
    }

    @Test
    void aTruncatedWavIsDecodedAsFarAsItGoes() {
        byte[] bytes = Format.WAV_PCM16.encode(speech(10));
        Analysis a = Analyse.bytes(Arrays.copyOf(bytes, 44 + RATE * 2 * 4 + 1)); // 4 s and half a sample
        assertEquals(Outcome.COMPLETE, a.outcome());
        assertEquals(4.0, a.measures().analysedSeconds(), 0.001);
    }

    @Test
    void anOverLongFileStopsAtTheBoundWithoutReadingTheRest() {
        byte[] bytes = Format.WAV_PCM16.encode(speech(60));
        AtomicLong read = new AtomicLong();
        Analysis a = Analyse.stream(bytes, counting(new ByteArrayInputStream(bytes), read), 5,
                System.nanoTime() + Analyse.MINUTE_NANOS);
        assertEquals(Outcome.LENGTH_BOUND, a.outcome());
        assertTrue(a.detail().contains("only the first 5.0 s were analysed"), a.detail());
        assertEquals(5.0, a.measures().analysedSeconds(), 1e-6);
        assertTrue(read.get() < bytes.length / 4, "read " + read.get() + " of " + bytes.length + " bytes");

        byte[] mp3 = Format.MP3.encode(speech(60));
        read.set(0);
        Analysis m = Analyse.stream(mp3, counting(new ByteArrayInputStream(mp3), read), 5,
                System.nanoTime() + Analyse.MINUTE_NANOS);
        assertEquals(Outcome.LENGTH_BOUND, m.outcome());
        assertEquals(5.0, m.measures().analysedSeconds(), 1e-6);
        assertTrue(read.get() < mp3.length / 4, "read " + read.get() + " of " + mp3.length + " bytes");
    }

    @Test
    void thePastDeadlineStopsTheAnalysisWithWhatItHas() {
        byte[] bytes = Format.FLAC.encode(speech(30));
        Analysis a = Analyse.stream(bytes, new ByteArrayInputStream(bytes), 600, System.nanoTime() - 1);
        assertEquals(Outcome.TIME_LIMIT, a.outcome());
        assertTrue(a.measures().analysedSeconds() < 1, "stopped after its first block");
    }

    @Test
    void formatsThatAreNotDecodedAreNotAnalysedNeverRejected() {
        for (String fixture : List.of("opus_48k_stereo.opus", "aac_44k_stereo_faststart.m4a")) {
            Analysis a = Analyse.bytes(fixture(fixture));
            assertEquals(Outcome.NOT_DECODED, a.outcome(), fixture);
            assertTrue(a.detail().contains("is not decoded; WAV, FLAC and MP3 are"), a.detail());
            assertNull(a.measures());
        }
        byte[] alaw = Format.WAV_PCM8.encode(speech(1));
        ByteBuffer.wrap(alaw).order(ByteOrder.LITTLE_ENDIAN).putShort(20, (short) 6); // format tag 6: A-law
        Analysis a = Analyse.bytes(alaw);
        assertEquals(Outcome.NOT_DECODED, a.outcome());
        assertTrue(a.detail().startsWith("pcm_alaw: only PCM and float WAV are decoded"), a.detail());
    }

    @Test
    void hostileLengthsInTagsAreSkippedNotAllocated() {
        // An ID3v2 tag claiming 256 MB, then nothing: JLayer would allocate the tag; the analysis skips it.
        byte[] id3 = {'I', 'D', '3', 4, 0, 0, 0x7F, 0x7F, 0x7F, 0x7F};
        byte[] mp3 = Format.MP3.encode(speech(2));
        byte[] hostile = new byte[id3.length + mp3.length];
        System.arraycopy(id3, 0, hostile, 0, id3.length);
        System.arraycopy(mp3, 0, hostile, id3.length, mp3.length);
        Analysis a = new Analyzer().run(hostile, Analyse.probe(mp3));
        assertEquals(Outcome.DAMAGED, a.outcome(), String.valueOf(a.detail()));

        // A FLAC metadata block claiming 16 MB in a file of a few hundred bytes.
        byte[] flac = Format.FLAC.encode(speech(1));
        byte[] withBlock = new byte[flac.length + 4];
        System.arraycopy(flac, 0, withBlock, 0, 4 + 4 + 34); // fLaC + STREAMINFO
        withBlock[4] &= 0x7F; // STREAMINFO no longer last
        int at = 4 + 4 + 34;
        withBlock[at] = (byte) 0x86; // last block, type 6 (PICTURE)
        withBlock[at + 1] = (byte) 0xFF;
        withBlock[at + 2] = (byte) 0xFF;
        withBlock[at + 3] = (byte) 0xFF;
        System.arraycopy(flac, at, withBlock, at + 4, flac.length - at);
        Analysis f = Analyse.bytes(withBlock);
        assertEquals(Outcome.DAMAGED, f.outcome(), String.valueOf(f.detail()));
        assertTrue(f.detail().contains("ends inside a metadata block"), f.detail());
    }

    @Test
    void aReadFailureIsPassedOnForARetryNotCalledDamage() {
        byte[] bytes = Format.MP3.encode(speech(10));
        InputStream failing = new FilterInputStream(new ByteArrayInputStream(bytes)) {
            private int reads;

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (++reads > 3) {
                    throw new IOException("connection reset");
                }
                return super.read(b, off, Math.min(len, 4096));
            }
        };
        assertThrows(SourceReadException.class,
                () -> new AudioAnalyzer().analyse(Analyse.probe(bytes), failing, 600, System.nanoTime() + 60_000_000_000L));
        QualityCheck check = new QualityCheck(QualitySettings.DEFAULTS);
        QualityCheck.Item item = new QualityCheck.Item("take.mp3", Analyse.probe(bytes), () -> new FilterInputStream(
                new ByteArrayInputStream(bytes)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                throw new IOException("connection reset");
            }
        });
        assertThrows(UncheckedIOException.class, () -> check.listen(List.of(item), Duration.ofSeconds(10)));
    }

    @Test
    void anAnalysisThatCrashesLeavesANoteAndTheOtherSamplesTheirFigures() {
        byte[] good = Format.WAV_PCM16.encode(speech(3));
        AudioInfo info = Analyse.probe(good);
        QualityCheck check = new QualityCheck(QualitySettings.DEFAULTS);
        QualityCheck.Outcome out = check.listen(List.of(
                new QualityCheck.Item("crash.wav", info, () -> {
                    throw new IllegalStateException("decoder bug");
                }),
                new QualityCheck.Item("good.wav", info, () -> new ByteArrayInputStream(good))), Duration.ofSeconds(10));
        assertEquals("not_analysed", out.report().samples().get(0).status());
        assertTrue(out.findings().stream().anyMatch(f -> f.check() == null
                && f.text().equals("crash.wav: not checked for sound quality: the analysis failed"
                + " (IllegalStateException)")), out.findings().toString());
        assertEquals("analysed", out.report().samples().get(1).status());
        assertEquals(3.0, out.report().samples().get(1).analysedSeconds());
        assertEquals(1, out.report().model().analysed());
    }

    private static InputStream counting(InputStream in, AtomicLong read) {
        return new FilterInputStream(in) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n > 0) {
                    read.addAndGet(n);
                }
                return n;
            }
        };
    }

    private static byte[] fixture(String name) {
        try (InputStream in = AnalysisRobustnessTest.class.getResourceAsStream("/audio/" + name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Analyses bytes the probe would refuse, with the format the probe read from a clean copy. */
    private static final class Analyzer {
        Analysis run(byte[] bytes, AudioInfo info) {
            try {
                return new AudioAnalyzer().analyse(info, new ByteArrayInputStream(bytes), 600,
                        System.nanoTime() + Analyse.MINUTE_NANOS);
            } catch (SourceReadException e) {
                throw new AssertionError(e);
            }
        }
    }
}
