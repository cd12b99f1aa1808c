package dev.herald.mqtt.auth.file;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The passwords a {@link FileAuthenticator} verified lately, so a client that reconnects skips PBKDF2:
 * username to SHA-256 of a random per-cache pepper and the password, the least recently used dropped
 * beyond a bound. Thread-safe.
 */
final class VerifiedPasswords {

    private static final int PEPPER_BYTES = 16;

    private final byte[] pepper = Scram.randomBytes(new SecureRandom(), PEPPER_BYTES);
    private final Map<String, byte[]> digests;

    VerifiedPasswords(int capacity) {
        this.digests = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, byte[]> eldest) {
                return size() > capacity;
            }
        };
    }

    /** What this cache keeps of a password. */
    byte[] digest(byte[] password) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance(Scram.HASH);
            sha256.update(pepper);
            return sha256.digest(password);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(Scram.HASH + " unavailable", e);
        }
    }

    /** Whether this password of this user was verified (compared in constant time). */
    synchronized boolean contains(String user, byte[] digest) {
        byte[] known = digests.get(user);
        return known != null && MessageDigest.isEqual(known, digest);
    }

    synchronized void add(String user, byte[] digest) {
        digests.put(user, digest);
    }
}
