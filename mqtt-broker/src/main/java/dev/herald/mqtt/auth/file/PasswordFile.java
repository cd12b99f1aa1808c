package dev.herald.mqtt.auth.file;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The users of a password file and their SCRAM-SHA-256 verifiers. Each line is
 * {@code username:SCRAM-SHA-256$<iterations>:<base64 salt>$<base64 StoredKey>:<base64 ServerKey>} (the
 * RFC 5803 form); lines starting with {@code #} and blank lines are ignored. One file serves both the
 * passwords of plain CONNECTs ({@link #verify}) and SCRAM-SHA-256 ({@link #credentials}). Passwords
 * are hashed as their UTF-8 bytes without SASLprep, which is the identity for ASCII passwords.
 * Immutable: a changed file is a new instance.
 */
public final class PasswordFile {

    /** The iteration count new entries get: the minimum RFC 7677 section 4 asks for. */
    public static final int DEFAULT_ITERATIONS = 4096;

    private final Map<String, ScramCredentials> users;

    private PasswordFile(Map<String, ScramCredentials> users) {
        this.users = Map.copyOf(users);
    }

    /**
     * Reads a password file; a malformed line is an {@link IllegalArgumentException} naming the file,
     * the line number and the problem, an unreadable file an {@link UncheckedIOException}.
     */
    public static PasswordFile load(Path file) {
        List<String> lines = PasswordLines.read(file);
        Map<String, ScramCredentials> users = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (PasswordLines.isIgnored(line)) {
                continue;
            }
            String user = PasswordLines.user(line);
            ScramCredentials credentials;
            try {
                credentials = PasswordLines.parse(line);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": " + e.getMessage());
            }
            if (users.putIfAbsent(user, credentials) != null) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": user '" + user + "' appears twice");
            }
        }
        return new PasswordFile(users);
    }

    /** The users of the file. */
    public Set<String> users() {
        return users.keySet();
    }

    /** The user's SCRAM-SHA-256 verifier, empty for a user the file lacks. */
    public Optional<ScramCredentials> credentials(String user) {
        return Optional.ofNullable(users.get(user));
    }

    /**
     * Whether {@code password} (the bytes a CONNECT carried) is the user's: recomputes StoredKey and
     * compares in constant time. An unknown user costs the same hashing as a known one. Slow by design
     * (PBKDF2): call it off any thread that must stay responsive.
     */
    public boolean verify(String user, byte[] password) {
        if (user == null || password == null) {
            return false;
        }
        ScramCredentials known = users.get(user);
        ScramCredentials expected = known != null ? known : Scram.decoy(user, DEFAULT_ITERATIONS);
        ScramCredentials actual = Scram.credentials(password, expected.salt(), expected.iterations());
        boolean equal = MessageDigest.isEqual(actual.storedKey(), expected.storedKey());
        return known != null && equal;
    }

    /**
     * One line of a password file (without line end) for this user and password, with a fresh 16 byte
     * salt; {@code password} is hashed as UTF-8 and left as it is.
     */
    public static String entry(String user, char[] password, int iterations, SecureRandom random) {
        PasswordLines.checkUser(user);
        if (password.length == 0) {
            throw new IllegalArgumentException("password may not be empty");
        }
        if (iterations < DEFAULT_ITERATIONS) {
            throw new IllegalArgumentException("iterations must be at least " + DEFAULT_ITERATIONS);
        }
        byte[] bytes = PasswordLines.utf8(password);
        try {
            return PasswordLines.format(user, Scram.credentials(bytes, PasswordLines.newSalt(random), iterations));
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /**
     * Sets a user's password in a password file: replaces the user's line or appends one, keeps every
     * other line, creates the file when missing, and replaces the file atomically (a temporary file in
     * the same directory, then an atomic move). On POSIX file systems the file is readable and writable
     * by its owner only.
     */
    public static void addOrReplaceUser(Path file, String user, char[] password, int iterations) {
        String entry = entry(user, password, iterations, new SecureRandom());
        List<String> lines = Files.exists(file) ? PasswordLines.read(file) : List.of();
        List<String> updated = new ArrayList<>(lines.size() + 1);
        boolean replaced = false;
        for (String line : lines) {
            if (PasswordLines.isIgnored(line) || !user.equals(PasswordLines.user(line))) {
                updated.add(line);
            } else if (!replaced) {
                updated.add(entry);
                replaced = true;
            }
        }
        if (!replaced) {
            updated.add(entry);
        }
        try {
            PasswordLines.writeAtomically(file, updated);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    @Override
    public String toString() {
        return "PasswordFile[" + users.size() + " users]";
    }
}
