package io.voicedrop.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The jars of one function's deployment package: {@code functions/<fn>/target/lambda/lib/*} plus the function's own
 * jar, exactly what the Makefile copies into the {@code lib/} of the zip SAM builds. A benchmark variant can take
 * jars out or add some ({@link #without}, {@link #with}).
 */
record LambdaArtifact(String name, List<Path> jars) {

    static LambdaArtifact of(Path repo, String function, String version) throws IOException {
        Path lib = repo.resolve("functions").resolve(function).resolve("target/lambda/lib");
        Path jar = repo.resolve("functions").resolve(function).resolve("target/voicedrop-" + function + "-" + version + ".jar");
        if (!Files.isDirectory(lib) || !Files.isRegularFile(jar)) {
            throw new IllegalStateException("no Lambda artifact for " + function + " (" + lib + "): run "
                    + "./mvnw -B -q package -DskipTests first");
        }
        List<Path> jars = new ArrayList<>();
        try (Stream<Path> files = Files.list(lib)) {
            files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().forEach(jars::add);
        }
        jars.add(jar);
        return new LambdaArtifact(function, List.copyOf(jars));
    }

    LambdaArtifact without(Predicate<String> jarName) {
        return new LambdaArtifact(name, jars.stream().filter(j -> !jarName.test(j.getFileName().toString())).toList());
    }

    LambdaArtifact with(List<Path> more) {
        List<Path> all = new ArrayList<>(more);
        all.addAll(jars);
        return new LambdaArtifact(name, List.copyOf(all));
    }

    int count() {
        return jars.size();
    }

    long bytes() throws IOException {
        long sum = 0;
        for (Path j : jars) {
            sum += Files.size(j);
        }
        return sum;
    }

    /** The size of the deployment zip: every jar under lib/, deflated as SAM does. */
    long zipBytes() throws IOException {
        CountingStream counter = new CountingStream();
        try (ZipOutputStream zip = new ZipOutputStream(counter)) {
            for (Path f : jars) {
                zip.putNextEntry(new ZipEntry("lib/" + f.getFileName()));
                Files.copy(f, zip);
                zip.closeEntry();
            }
        }
        return counter.count;
    }

    private static final class CountingStream extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }
}
