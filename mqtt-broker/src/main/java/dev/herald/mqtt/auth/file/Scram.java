package dev.herald.mqtt.auth.file;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The SCRAM-SHA-256 functions of RFC 5802 section 2.2 (with SHA-256 per RFC 7677): Hi, which is
 * PBKDF2 with HMAC-SHA-256 and a 256 bit output, HMAC and H, and the derivation of StoredKey and
 * ServerKey from a password. Hi is written out over {@link Mac} so a password is hashed as the exact
 * bytes the client sent, not as chars that a key factory re-encodes.
 */
final class Scram {

    static final String HMAC = "HmacSHA256";
    static final String HASH = "SHA-256";
    static final int KEY_BYTES = 32;

    private static final byte[] CLIENT_KEY = "Client Key".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SERVER_KEY = "Server Key".getBytes(StandardCharsets.US_ASCII);
    private static final int DECOY_SALT_BYTES = 16;

    /** Secret of this process that the decoy credentials of unknown users are derived from. */
    private static final byte[] PROCESS_SECRET = randomBytes(new SecureRandom(), KEY_BYTES);

    private Scram() {}

    /** RFC 5802 Hi(str, salt, i): SaltedPassword. */
    static byte[] saltedPassword(byte[] password, byte[] salt, int iterations) {
        Mac mac = mac(password);
        mac.update(salt);
        mac.update(new byte[] {0, 0, 0, 1});
        byte[] u = mac.doFinal();
        byte[] result = u.clone();
        try {
            for (int i = 1; i < iterations; i++) {
                mac.update(u);
                mac.doFinal(u, 0);
                for (int j = 0; j < result.length; j++) {
                    result[j] ^= u[j];
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(HMAC + " unavailable", e);
        }
        Arrays.fill(u, (byte) 0);
        return result;
    }

    /** StoredKey and ServerKey of a password, as the server keeps them. */
    static ScramCredentials credentials(byte[] password, byte[] salt, int iterations) {
        byte[] saltedPassword = saltedPassword(password, salt, iterations);
        byte[] clientKey = hmac(saltedPassword, CLIENT_KEY);
        ScramCredentials result =
                new ScramCredentials(salt, iterations, hash(clientKey), hmac(saltedPassword, SERVER_KEY));
        Arrays.fill(saltedPassword, (byte) 0);
        Arrays.fill(clientKey, (byte) 0);
        return result;
    }

    /**
     * Credentials for a user the password file lacks, the same on every call for one name in this
     * process, so the salt a client sees does not tell it the user is unknown. No password matches them.
     */
    static ScramCredentials decoy(String user, int iterations) {
        byte[] name = user.getBytes(StandardCharsets.UTF_8);
        byte[] salt = Arrays.copyOf(hmac(PROCESS_SECRET, concat((byte) 's', name)), DECOY_SALT_BYTES);
        return new ScramCredentials(
                salt,
                iterations,
                hmac(PROCESS_SECRET, concat((byte) 't', name)),
                hmac(PROCESS_SECRET, concat((byte) 'v', name)));
    }

    /** RFC 5802 HMAC(key, str) with SHA-256. */
    static byte[] hmac(byte[] key, byte[] data) {
        return mac(key).doFinal(data);
    }

    /** RFC 5802 H(str) with SHA-256. */
    static byte[] hash(byte[] data) {
        try {
            return MessageDigest.getInstance(HASH).digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(HASH + " unavailable", e);
        }
    }

    static byte[] xor(byte[] a, byte[] b) {
        byte[] result = new byte[a.length];
        for (int i = 0; i < a.length; i++) {
            result[i] = (byte) (a[i] ^ b[i]);
        }
        return result;
    }

    static byte[] randomBytes(SecureRandom random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private static Mac mac(byte[] key) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            // HMAC pads a short key with zeros, so one zero byte is the empty key SecretKeySpec refuses
            mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, HMAC));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(HMAC + " unavailable", e);
        }
    }

    private static byte[] concat(byte tag, byte[] data) {
        byte[] result = new byte[data.length + 1];
        result[0] = tag;
        System.arraycopy(data, 0, result, 1, data.length);
        return result;
    }
}
