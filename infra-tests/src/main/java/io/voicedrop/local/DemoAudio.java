package io.voicedrop.local;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Random;

/**
 * Generates speech-like test audio as a PCM WAV file: a vowel-ish tone with a wandering pitch and syllable-rate
 * amplitude, so tests and the demo never download audio and never commit large fixtures.
 */
public final class DemoAudio {

    private DemoAudio() {
    }

    public static byte[] wav(Duration length, int sampleRate, int channels, long seed) {
        int frames = (int) (length.toMillis() * sampleRate / 1000);
        Random random = new Random(seed);
        ByteBuffer pcm = ByteBuffer.allocate(frames * channels * 2).order(ByteOrder.LITTLE_ENDIAN);
        double phase = 0;
        for (int i = 0; i < frames; i++) {
            double t = (double) i / sampleRate;
            double pitch = 140 + 30 * Math.sin(2 * Math.PI * 0.7 * t);
            phase += 2 * Math.PI * pitch / sampleRate;
            double syllable = 0.5 + 0.5 * Math.sin(2 * Math.PI * 4 * t);
            double v = syllable * (0.6 * Math.sin(phase) + 0.25 * Math.sin(2 * phase) + 0.1 * Math.sin(3 * phase))
                    + 0.02 * random.nextGaussian();
            short s = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, v * 12_000));
            for (int c = 0; c < channels; c++) {
                pcm.putShort(s);
            }
        }
        return withHeader(pcm.array(), sampleRate, channels);
    }

    private static byte[] withHeader(byte[] pcm, int sampleRate, int channels) {
        ByteBuffer h = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
        h.put("RIFF".getBytes()).putInt(36 + pcm.length).put("WAVE".getBytes());
        h.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) channels).putInt(sampleRate)
                .putInt(sampleRate * channels * 2).putShort((short) (channels * 2)).putShort((short) 16);
        h.put("data".getBytes()).putInt(pcm.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream(44 + pcm.length);
        out.writeBytes(h.array());
        out.writeBytes(pcm);
        return out.toByteArray();
    }
}
