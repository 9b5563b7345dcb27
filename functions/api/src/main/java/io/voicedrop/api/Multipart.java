package io.voicedrop.api;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A strict, bounded parser of {@code multipart/form-data} bodies (RFC 7578), enough for what the Fish SDKs send:
 * text fields and file parts, each with a {@code Content-Disposition: form-data; name="..."[; filename="..."]}
 * header. At most {@value #MAX_PARTS} parts and {@value #MAX_HEADER_BYTES} bytes of headers per part; anything
 * malformed is a 400 naming the problem, never an exception from deeper down.
 */
final class Multipart {

    static final int MAX_PARTS = 64;
    static final int MAX_HEADER_BYTES = 8 * 1024;
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] HEADER_END = {'\r', '\n', '\r', '\n'};

    private Multipart() {
    }

    /** One part: a text field ({@code filename == null}) or a file. */
    record Part(String name, String filename, String contentType, byte[] data) {
        boolean isFile() {
            return filename != null;
        }

        String text() {
            return new String(data, StandardCharsets.UTF_8);
        }
    }

    static List<Part> parse(byte[] body, String boundary) {
        if (boundary == null || boundary.isEmpty() || boundary.length() > 200) {
            throw ApiException.badRequest("multipart/form-data needs a boundary parameter");
        }
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        byte[] separator = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        int pos;
        if (startsWith(body, 0, delimiter)) {
            pos = delimiter.length;
        } else {
            int found = indexOf(body, separator, 0);
            if (found < 0) {
                throw malformed("the boundary does not occur in the body");
            }
            pos = found + separator.length;
        }
        List<Part> parts = new ArrayList<>();
        while (true) {
            if (startsWith(body, pos, new byte[] {'-', '-'})) {
                return parts; // closing delimiter; the epilogue is ignored
            }
            pos = skipLinearWhitespace(body, pos);
            if (!startsWith(body, pos, CRLF)) {
                throw malformed("a boundary line does not end with CRLF");
            }
            pos += 2;
            int headerEnd = indexOf(body, HEADER_END, pos);
            if (startsWith(body, pos, CRLF)) {
                headerEnd = pos - 2; // no headers at all
            }
            if (headerEnd < 0 || headerEnd - pos > MAX_HEADER_BYTES) {
                throw malformed("part headers are missing or too long");
            }
            String headers = new String(body, pos, Math.max(0, headerEnd - pos), StandardCharsets.UTF_8);
            int dataStart = headerEnd + 4;
            int dataEnd = indexOf(body, separator, dataStart);
            if (dataEnd < 0) {
                throw malformed("the closing boundary is missing");
            }
            if (parts.size() == MAX_PARTS) {
                throw ApiException.badRequest("at most " + MAX_PARTS + " multipart parts are allowed");
            }
            parts.add(part(headers, Arrays.copyOfRange(body, dataStart, dataEnd)));
            pos = dataEnd + separator.length;
        }
    }

    private static Part part(String headers, byte[] data) {
        String name = null;
        String filename = null;
        String contentType = null;
        for (String line : headers.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String header = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).strip();
            if (header.equals("content-disposition")) {
                name = dispositionParameter(value, "name");
                filename = dispositionParameter(value, "filename");
            } else if (header.equals("content-type")) {
                contentType = value;
            }
        }
        if (name == null) {
            throw malformed("a part has no Content-Disposition name");
        }
        return new Part(name, filename, contentType, data);
    }

    /** A parameter of a Content-Disposition value, quoted or not (quotes may hold ';'). */
    static String dispositionParameter(String value, String parameter) {
        int i = 0;
        int n = value.length();
        while (i < n) {
            int semi = value.indexOf(';', i);
            if (semi < 0) {
                return null;
            }
            i = semi + 1;
            while (i < n && value.charAt(i) == ' ') {
                i++;
            }
            int eq = value.indexOf('=', i);
            if (eq < 0) {
                return null;
            }
            String key = value.substring(i, eq).strip();
            int j = eq + 1;
            String v;
            if (j < n && value.charAt(j) == '"') {
                StringBuilder sb = new StringBuilder();
                j++;
                while (j < n && value.charAt(j) != '"') {
                    char c = value.charAt(j);
                    if (c == '\\' && j + 1 < n) {
                        j++;
                        c = value.charAt(j);
                    }
                    sb.append(c);
                    j++;
                }
                v = sb.toString();
                j++;
            } else {
                int end = value.indexOf(';', j);
                v = (end < 0 ? value.substring(j) : value.substring(j, end)).strip();
                j = end < 0 ? n : end;
            }
            if (key.equalsIgnoreCase(parameter)) {
                return v;
            }
            i = j;
        }
        return null;
    }

    private static ApiException malformed(String why) {
        return ApiException.badRequest("the multipart body is malformed: " + why);
    }

    private static int skipLinearWhitespace(byte[] b, int pos) {
        while (pos < b.length && (b[pos] == ' ' || b[pos] == '\t')) {
            pos++;
        }
        return pos;
    }

    private static boolean startsWith(byte[] b, int pos, byte[] prefix) {
        if (pos < 0 || pos + prefix.length > b.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (b[pos + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    static int indexOf(byte[] b, byte[] needle, int from) {
        if (needle.length == 0) {
            return from;
        }
        byte first = needle[0];
        int max = b.length - needle.length;
        for (int i = Math.max(0, from); i <= max; i++) {
            if (b[i] != first) {
                continue;
            }
            int j = 1;
            while (j < needle.length && b[i + j] == needle[j]) {
                j++;
            }
            if (j == needle.length) {
                return i;
            }
        }
        return -1;
    }
}
