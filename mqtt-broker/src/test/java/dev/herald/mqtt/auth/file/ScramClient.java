package dev.herald.mqtt.auth.file;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import org.apache.pekko.util.ByteString;

/**
 * The client side of SCRAM-SHA-256 (RFC 5802 section 3) for tests, written on the JDK's own PBKDF2
 * so it checks the server code rather than repeating it.
 */
public final class ScramClient {

    private final String gs2Header;
    private final String bare;
    private final char[] password;
    private String authMessage;
    private byte[] serverKey;

    public ScramClient(String gs2Header, String saslName, char[] password, String clientNonce) {
        this.gs2Header = gs2Header;
        this.bare = "n=" + saslName + ",r=" + clientNonce;
        this.password = password;
    }

    public ScramClient(String user, String password, String clientNonce) {
        this("n,,", user, password.toCharArray(), clientNonce);
    }

    public ByteString first() {
        return utf8(gs2Header + bare);
    }

    /** The client-final-message answering this server-first-message. */
    public ByteString last(ByteString serverFirstData) {
        String serverFirst = serverFirstData.utf8String();
        Map<Character, String> attributes = new HashMap<>();
        for (String attribute : serverFirst.split(",")) {
            attributes.put(attribute.charAt(0), attribute.substring(2));
        }
        String withoutProof = "c=" + base64(gs2Header.getBytes(StandardCharsets.UTF_8)) + ",r=" + attributes.get('r');
        authMessage = bare + "," + serverFirst + "," + withoutProof;
        byte[] salted = pbkdf2(Base64.getDecoder().decode(attributes.get('s')), Integer.parseInt(attributes.get('i')));
        byte[] clientKey = hmac(salted, "Client Key");
        serverKey = hmac(salted, "Server Key");
        byte[] signature = hmac(sha256(clientKey), authMessage);
        byte[] proof = new byte[clientKey.length];
        for (int i = 0; i < proof.length; i++) {
            proof[i] = (byte) (clientKey[i] ^ signature[i]);
        }
        return utf8(withoutProof + ",p=" + base64(proof));
    }

    /** The server-final-message a genuine server answers with. */
    public ByteString expectedServerFinal() {
        return utf8("v=" + base64(hmac(serverKey, authMessage)));
    }

    static ByteString utf8(String text) {
        return ByteString.fromString(text, StandardCharsets.UTF_8);
    }

    static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    private byte[] pbkdf2(byte[] salt, int iterations) {
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                    .generateSecret(new PBEKeySpec(password, salt, iterations, 256))
                    .getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
