package io.voicedrop.local;

import de.sciss.jump3r.lowlevel.LameEncoder;
import io.voicedrop.local.TestSignals.Signal;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import net.sourceforge.javaflacencoder.EncodingConfiguration;
import net.sourceforge.javaflacencoder.FLACEncoder;
import net.sourceforge.javaflacencoder.FLACOutputStream;
import net.sourceforge.javaflacencoder.StreamConfiguration;

/**
 * Writes {@link TestSignals} audio in every format the analysis decodes: WAV (integer PCM of 8 to 32 bits, 32-bit
 * float), FLAC (java-flac-encoder) and MP3 (jump3r, a Java port of LAME), all in memory and reproducible.
 */
public final class TestEncoders {

    private TestEncoders() {
    }

    /** Integer PCM WAV of {@code bits} (8, 16, 24 or 32). */
    public static byte[] wav(Signal s, int bits) {
        int width = bits / 8;
        ByteBuffer pcm = ByteBuffer.allocate(s.samples().length * width).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : s.samples()) {
            double c = Math.max(-1, Math.min(1, v));
            switch (bits) {
                case 8 -> pcm.put((byte) (Math.min(255, Math.round(c * 128 + 128))));
                case 16 -> pcm.putShort((short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(c * 32768))));
                case 24 -> {
                    int x = (int) Math.max(-8388608, Math.min(8388607, Math.round(c * 8388608)));
                    pcm.put((byte) x).put((byte) (x >> 8)).put((byte) (x >> 16));
                }
                case 32 -> pcm.putInt((int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE,
                        Math.round(c * 2147483648.0))));
                default -> throw new IllegalArgumentException("bits " + bits);
            }
        }
        return withHeader(pcm.array(), s, 1, bits);
    }

    /** 32-bit IEEE float WAV (values are written as they are, even beyond full scale). */
    public static byte[] wavFloat(Signal s) {
        ByteBuffer pcm = ByteBuffer.allocate(s.samples().length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : s.samples()) {
            pcm.putFloat(v);
        }
        return withHeader(pcm.array(), s, 3, 32);
    }

    private static byte[] withHeader(byte[] data, Signal s, int tag, int bits) {
        int block = s.channels() * bits / 8;
        ByteBuffer h = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
        h.put("RIFF".getBytes()).putInt(36 + data.length).put("WAVE".getBytes());
        h.put("fmt ".getBytes()).putInt(16).putShort((short) tag).putShort((short) s.channels()).putInt(s.rate())
                .putInt(s.rate() * block).putShort((short) block).putShort((short) bits);
        h.put("data".getBytes()).putInt(data.length);
        byte[] out = Arrays.copyOf(h.array(), 44 + data.length);
        System.arraycopy(data, 0, out, 44, data.length);
        return out;
    }

    /** 16-bit FLAC, with the sample count in STREAMINFO (the encoder seeks back to write it). */
    public static byte[] flac(Signal s) {
        try {
            StreamConfiguration config = new StreamConfiguration(s.channels(), StreamConfiguration.MIN_BLOCK_SIZE,
                    4096, s.rate(), 16);
            FLACEncoder encoder = new FLACEncoder();
            encoder.setStreamConfiguration(config);
            encoder.setEncodingConfiguration(new EncodingConfiguration());
            encoder.setThreadCount(1);
            MemoryFlacStream out = new MemoryFlacStream();
            encoder.setOutputStream(out);
            encoder.openFLACStream();
            int[] pcm = new int[s.samples().length];
            for (int i = 0; i < pcm.length; i++) {
                pcm[i] = (int) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(s.samples()[i] * 32768.0)));
            }
            int frames = s.frames();
            int chunk = 4096;
            for (int at = 0; at < frames; at += chunk) {
                int n = Math.min(chunk, frames - at);
                encoder.addSamples(Arrays.copyOfRange(pcm, at * s.channels(), (at + n) * s.channels()), n);
                encoder.encodeSamples(encoder.fullBlockSamplesAvailableToEncode(), false);
            }
            encoder.encodeSamples(encoder.samplesAvailableToEncode(), true);
            return out.bytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Constant-bitrate MP3; stereo is coded as two independent channels, so a dead or inverted one stays so. */
    public static byte[] mp3(Signal s, int kbps) {
        javax.sound.sampled.AudioFormat pcmFormat =
                new javax.sound.sampled.AudioFormat(s.rate(), 16, s.channels(), true, false);
        LameEncoder encoder = new LameEncoder(pcmFormat, kbps,
                s.channels() == 1 ? LameEncoder.CHANNEL_MODE_MONO : LameEncoder.CHANNEL_MODE_STEREO,
                LameEncoder.QUALITY_MIDDLE, false);
        ByteBuffer pcm = ByteBuffer.allocate(s.samples().length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : s.samples()) {
            pcm.putShort((short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(v * 32768.0))));
        }
        byte[] in = pcm.array();
        byte[] buffer = new byte[encoder.getMP3BufferSize()];
        int step = encoder.getPCMBufferSize();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int at = 0; at < in.length; at += step) {
            int n = encoder.encodeBuffer(in, at, Math.min(step, in.length - at), buffer);
            out.write(buffer, 0, n);
        }
        int n = encoder.encodeFinish(buffer);
        out.write(buffer, 0, n);
        encoder.close();
        return out.toByteArray();
    }

    /** A seekable in-memory FLAC sink, so the encoder can fill in STREAMINFO when it finishes. */
    private static final class MemoryFlacStream implements FLACOutputStream {
        private byte[] data = new byte[1 << 16];
        private int size;
        private int pos;

        @Override
        public long seek(long position) {
            pos = (int) position;
            return pos;
        }

        @Override
        public int write(byte[] b, int off, int len) {
            ensure(pos + len);
            System.arraycopy(b, off, data, pos, len);
            pos += len;
            size = Math.max(size, pos);
            return len;
        }

        @Override
        public void write(byte b) {
            ensure(pos + 1);
            data[pos++] = b;
            size = Math.max(size, pos);
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public boolean canSeek() {
            return true;
        }

        @Override
        public long getPos() {
            return pos;
        }

        private void ensure(int capacity) {
            if (capacity > data.length) {
                data = Arrays.copyOf(data, Math.max(capacity, data.length * 2));
            }
        }

        byte[] bytes() {
            return Arrays.copyOf(data, size);
        }
    }
}
