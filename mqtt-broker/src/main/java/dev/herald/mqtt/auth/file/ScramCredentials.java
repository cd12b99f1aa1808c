package dev.herald.mqtt.auth.file;

import java.util.Arrays;
import java.util.Objects;

/**
 * What the server keeps of one user's password for SCRAM-SHA-256 (RFC 5802 section 3): the salt and
 * iteration count of the salted password, and StoredKey and ServerKey. The arrays are copied in and
 * out, so an instance is immutable.
 */
public record ScramCredentials(byte[] salt, int iterations, byte[] storedKey, byte[] serverKey) {

    public ScramCredentials {
        Objects.requireNonNull(salt, "salt");
        Objects.requireNonNull(storedKey, "storedKey");
        Objects.requireNonNull(serverKey, "serverKey");
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be positive");
        }
        salt = salt.clone();
        storedKey = storedKey.clone();
        serverKey = serverKey.clone();
    }

    @Override
    public byte[] salt() {
        return salt.clone();
    }

    @Override
    public byte[] storedKey() {
        return storedKey.clone();
    }

    @Override
    public byte[] serverKey() {
        return serverKey.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ScramCredentials that
                && iterations == that.iterations
                && Arrays.equals(salt, that.salt)
                && Arrays.equals(storedKey, that.storedKey)
                && Arrays.equals(serverKey, that.serverKey);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(salt), iterations, Arrays.hashCode(storedKey), Arrays.hashCode(serverKey));
    }

    /** Shows the iteration count only: the keys stay out of logs. */
    @Override
    public String toString() {
        return "ScramCredentials[iterations=" + iterations + "]";
    }
}
