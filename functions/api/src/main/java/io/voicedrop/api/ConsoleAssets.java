package io.voicedrop.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The console's files, read once from the resource folder {@code console/} of this module (plain HTML, CSS and ES
 * modules: no build step). Every file but the page itself is served under {@code assets/<version>/}, where the
 * version is a digest of all files: a deployment that changes any file changes every asset URL, so assets can be
 * cached for a year ({@code immutable}) while the page, which names the version, is revalidated on every load
 * ({@code no-cache} with an ETag). Relative imports between modules keep working because they resolve inside the
 * same versioned folder.
 */
final class ConsoleAssets {

    static final String PAGE = "index.html";
    /** Written in {@code index.html} where the asset version goes. */
    static final String VERSION_PLACEHOLDER = "{{version}}";
    private static final String ROOT = "console";

    /** A file as served: bytes, type and a validator. */
    record Asset(byte[] bytes, String contentType, String etag) {
    }

    private final String version;
    private final Asset page;
    private final Map<String, Asset> assets;

    private ConsoleAssets(String version, Asset page, Map<String, Asset> assets) {
        this.version = version;
        this.page = page;
        this.assets = assets;
    }

    static ConsoleAssets load() {
        Map<String, byte[]> files = readAll();
        byte[] html = files.remove(PAGE);
        if (html == null) {
            throw new IllegalStateException("resource " + ROOT + "/" + PAGE + " is missing from the artifact");
        }
        MessageDigest all = sha256();
        files.forEach((name, bytes) -> {
            all.update(name.getBytes(StandardCharsets.UTF_8));
            all.update(bytes);
        });
        all.update(html);
        String version = HexFormat.of().formatHex(all.digest()).substring(0, 12);
        Map<String, Asset> assets = new TreeMap<>();
        files.forEach((name, bytes) -> assets.put(name, asset(name, bytes)));
        byte[] page = new String(html, StandardCharsets.UTF_8).replace(VERSION_PLACEHOLDER, version)
                .getBytes(StandardCharsets.UTF_8);
        return new ConsoleAssets(version, asset(PAGE, page), Map.copyOf(assets));
    }

    String version() {
        return version;
    }

    Asset page() {
        return page;
    }

    /** The asset at {@code path} below {@code assets/<version>/}; empty for an unknown file or another version. */
    Optional<Asset> asset(String requestedVersion, String path) {
        if (!version.equals(requestedVersion)) {
            return Optional.empty();
        }
        return Optional.ofNullable(assets.get(path));
    }

    java.util.Set<String> names() {
        return assets.keySet();
    }

    private static Asset asset(String name, byte[] bytes) {
        String etag = "W/\"" + HexFormat.of().formatHex(sha256().digest(bytes)).substring(0, 20) + "\"";
        return new Asset(bytes, contentType(name), etag);
    }

    static String contentType(String name) {
        String ext = name.substring(name.lastIndexOf('.') + 1);
        return switch (ext) {
            case "html" -> "text/html; charset=utf-8";
            case "css" -> "text/css; charset=utf-8";
            case "js", "mjs" -> "text/javascript; charset=utf-8";
            case "svg" -> "image/svg+xml";
            case "png" -> "image/png";
            case "json", "webmanifest" -> "application/json";
            default -> "application/octet-stream";
        };
    }

    /** Every file under the resource folder, by its path relative to it, from the jar (Lambda) or a directory. */
    private static Map<String, byte[]> readAll() {
        URL url = ConsoleAssets.class.getResource("/" + ROOT + "/" + PAGE);
        if (url == null) {
            throw new IllegalStateException("resource " + ROOT + "/" + PAGE + " is missing from the artifact");
        }
        try {
            URI uri = url.toURI();
            if ("jar".equals(uri.getScheme())) {
                try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of())) {
                    return readTree(jar.getPath("/" + ROOT));
                } catch (java.nio.file.FileSystemAlreadyExistsException open) {
                    return readTree(FileSystems.getFileSystem(uri).getPath("/" + ROOT));
                }
            }
            return readTree(Path.of(uri).getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, byte[]> readTree(Path root) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                String name = root.relativize(p).toString().replace('\\', '/');
                try (InputStream in = Files.newInputStream(p)) {
                    files.put(name, in.readAllBytes());
                }
            }
        }
        return files;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
