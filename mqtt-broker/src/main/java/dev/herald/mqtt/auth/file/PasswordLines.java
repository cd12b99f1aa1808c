package dev.herald.mqtt.auth.file;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * The text of a {@link PasswordFile}: parsing and formatting one line, checking a username, and
 * reading and atomically rewriting the file. Messages about a bad line never quote the line, so no
 * verifier reaches a log.
 */
final class PasswordLines {

    static final String SCHEME = "SCRAM-SHA-256$";

    private static final int SALT_BYTES = 16;
    private static final char BYTE_ORDER_MARK = '\uFEFF';
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private PasswordLines() {}

    static List<String> read(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            if (!lines.isEmpty() && !lines.get(0).isEmpty() && lines.get(0).charAt(0) == BYTE_ORDER_MARK) {
                lines.set(0, lines.get(0).substring(1));
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** A blank line or a comment. */
    static boolean isIgnored(String line) {
        String stripped = line.strip();
        return stripped.isEmpty() || stripped.charAt(0) == '#';
    }

    /** The username of an entry: everything before the first colon. */
    static String user(String line) {
        int colon = line.indexOf(':');
        return colon < 0 ? line : line.substring(0, colon);
    }

    /** The verifier of an entry; an {@link IllegalArgumentException} says what is wrong with it. */
    static ScramCredentials parse(String line) {
        int colon = line.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("expected username:" + SCHEME + "...");
        }
        if (colon == 0) {
            throw new IllegalArgumentException("empty username");
        }
        String verifier = line.substring(colon + 1).stripTrailing();
        if (!verifier.startsWith(SCHEME)) {
            throw new IllegalArgumentException("the verifier does not start with " + SCHEME);
        }
        String[] halves = verifier.substring(SCHEME.length()).split("\\$", -1);
        if (halves.length != 2) {
            throw new IllegalArgumentException("expected <iterations>:<salt>$<StoredKey>:<ServerKey> after " + SCHEME);
        }
        String[] saltPart = pair(halves[0], "<iterations>:<salt>");
        String[] keyPart = pair(halves[1], "<StoredKey>:<ServerKey>");
        return new ScramCredentials(
                base64(saltPart[1], "salt", -1),
                iterations(saltPart[0]),
                key(keyPart[0], "StoredKey"),
                key(keyPart[1], "ServerKey"));
    }

    static String format(String user, ScramCredentials credentials) {
        Base64.Encoder base64 = Base64.getEncoder();
        return user + ":" + SCHEME + credentials.iterations() + ":" + base64.encodeToString(credentials.salt()) + "$"
                + base64.encodeToString(credentials.storedKey()) + ":" + base64.encodeToString(credentials.serverKey());
    }

    /** A username an entry can hold and a reader can find again. */
    static void checkUser(String user) {
        if (user == null || user.isEmpty()) {
            throw new IllegalArgumentException("username may not be empty");
        }
        if (user.indexOf(':') >= 0) {
            throw new IllegalArgumentException("username may not contain ':'");
        }
        if (user.charAt(0) == '#' || Character.isWhitespace(user.charAt(0))) {
            throw new IllegalArgumentException("username may not start with '#' or white space");
        }
        if (user.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("username may not contain control characters");
        }
    }

    static byte[] utf8(char[] password) {
        try {
            ByteBuffer encoded = StandardCharsets.UTF_8
                    .newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(password));
            byte[] bytes = new byte[encoded.remaining()];
            encoded.get(bytes);
            if (encoded.hasArray()) {
                Arrays.fill(encoded.array(), (byte) 0);
            }
            return bytes;
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("password is not valid UTF-16 text", e);
        }
    }

    static byte[] newSalt(SecureRandom random) {
        return Scram.randomBytes(random, SALT_BYTES);
    }

    /** Replaces the file with these lines through a temporary file in its directory and an atomic move. */
    static void writeAtomically(Path file, List<String> lines) throws IOException {
        Path target = file.toAbsolutePath();
        Path directory = target.getParent();
        boolean posix = target.getFileSystem().supportedFileAttributeViews().contains("posix");
        String prefix = "." + target.getFileName() + ".";
        Path temp = posix
                ? Files.createTempFile(directory, prefix, ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY))
                : Files.createTempFile(directory, prefix, ".tmp");
        try {
            StringBuilder text = new StringBuilder();
            lines.forEach(line -> text.append(line).append('\n'));
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer bytes = StandardCharsets.UTF_8.encode(text.toString());
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                channel.force(true);
            }
            if (posix) {
                Files.setPosixFilePermissions(temp, OWNER_ONLY);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
    }

    private static String[] pair(String text, String expected) {
        String[] parts = text.split(":", -1);
        if (parts.length != 2) {
            throw new IllegalArgumentException("expected " + expected + " after " + SCHEME);
        }
        return parts;
    }

    private static int iterations(String text) {
        try {
            int iterations = Integer.parseInt(text);
            if (iterations > 0) {
                return iterations;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("the iteration count is not a positive integer");
    }

    private static byte[] key(String text, String name) {
        return base64(text, name, Scram.KEY_BYTES);
    }

    /** Decodes one field; {@code length} -1 accepts any length but zero. */
    private static byte[] base64(String text, String name, int length) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the " + name + " is not base64");
        }
        if (bytes.length == 0 || (length >= 0 && bytes.length != length)) {
            throw new IllegalArgumentException(
                    "the " + name + " must be " + (length < 0 ? "non-empty" : length + " bytes"));
        }
        return bytes;
    }
}
