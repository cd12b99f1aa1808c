package dev.herald.mqtt.auth.file;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.apache.pekko.util.ByteString;

/**
 * Parsing of the two client messages of SCRAM-SHA-256 (RFC 5802 section 7). A message that does not
 * follow the grammar, or asks for what this server does not offer (channel binding, an authzid, a
 * mandatory extension), is a {@link Malformed} whose message says why.
 */
final class ScramMessages {

    /** {@code client-first-message}: its gs2 header, its bare part, the username and the nonce. */
    record ClientFirst(String gs2Header, String bare, String username, String nonce) {}

    /** {@code client-final-message}: channel binding, nonce, the message without proof, and the proof. */
    record ClientFinal(String channelBinding, String nonce, String withoutProof, byte[] proof) {}

    /** A client message this server refuses. */
    static final class Malformed extends Exception {
        Malformed(String message) {
            super(message, null, false, false);
        }
    }

    private ScramMessages() {}

    static ClientFirst clientFirst(ByteString data) throws Malformed {
        String message = text(data);
        if (message.startsWith("p=")) {
            throw new Malformed("channel binding is not supported");
        }
        if (!message.startsWith("n,") && !message.startsWith("y,")) {
            throw new Malformed("the gs2 header does not start with n, y or p=");
        }
        if (message.startsWith("a=", 2)) {
            throw new Malformed("an authorization identity is not supported");
        }
        if (!message.startsWith(",", 2)) {
            throw new Malformed("the gs2 header does not end with ','");
        }
        String bare = message.substring(3);
        String[] attributes = bare.split(",", -1);
        if (attributes[0].startsWith("m=")) {
            throw new Malformed("mandatory extensions are not supported");
        }
        if (attributes.length < 2 || !attributes[0].startsWith("n=") || !attributes[1].startsWith("r=")) {
            throw new Malformed("expected n=<user>,r=<nonce> after the gs2 header");
        }
        checkExtensions(attributes, 2, attributes.length);
        return new ClientFirst(
                message.substring(0, 3), bare, username(attributes[0].substring(2)), nonce(attributes[1].substring(2)));
    }

    static ClientFinal clientFinal(ByteString data) throws Malformed {
        String message = text(data);
        String[] attributes = message.split(",", -1);
        int last = attributes.length - 1;
        if (attributes.length < 3
                || !attributes[0].startsWith("c=")
                || !attributes[1].startsWith("r=")
                || !attributes[last].startsWith("p=")) {
            throw new Malformed("expected c=<binding>,r=<nonce>,...,p=<proof>");
        }
        checkExtensions(attributes, 2, last);
        byte[] proof = base64(attributes[last].substring(2));
        if (proof.length != Scram.KEY_BYTES) {
            throw new Malformed("the proof is not " + Scram.KEY_BYTES + " bytes");
        }
        String withoutProof = message.substring(0, message.length() - attributes[last].length() - 1);
        return new ClientFinal(attributes[0].substring(2), attributes[1].substring(2), withoutProof, proof);
    }

    /** Whether a nonce is printable ASCII without commas (RFC 5802 section 7, {@code c-nonce}). */
    static boolean isNonce(String nonce) {
        if (nonce.isEmpty()) {
            return false;
        }
        for (int i = 0; i < nonce.length(); i++) {
            char c = nonce.charAt(i);
            if (c < 0x21 || c > 0x7E || c == ',') {
                return false;
            }
        }
        return true;
    }

    /**
     * A {@code saslname} decoded ({@code =2C} is ',' and {@code =3D} is '='). SASLprep is not applied:
     * only printable ASCII names, which SASLprep leaves as they are, are accepted.
     */
    private static String username(String saslName) throws Malformed {
        StringBuilder name = new StringBuilder(saslName.length());
        for (int i = 0; i < saslName.length(); i++) {
            char c = saslName.charAt(i);
            if (c == '=') {
                if (saslName.startsWith("2C", i + 1)) {
                    name.append(',');
                } else if (saslName.startsWith("3D", i + 1)) {
                    name.append('=');
                } else {
                    throw new Malformed("'=' in the username is not =2C or =3D");
                }
                i += 2;
            } else if (c >= 0x20 && c <= 0x7E) {
                name.append(c);
            } else {
                throw new Malformed("the username is not printable ASCII (SASLprep is not supported)");
            }
        }
        if (name.isEmpty()) {
            throw new Malformed("empty username");
        }
        return name.toString();
    }

    private static String nonce(String nonce) throws Malformed {
        if (!isNonce(nonce)) {
            throw new Malformed("the nonce is empty or not printable ASCII");
        }
        return nonce;
    }

    private static void checkExtensions(String[] attributes, int from, int to) throws Malformed {
        for (int i = from; i < to; i++) {
            String attribute = attributes[i];
            if (attribute.length() < 2 || !isLetter(attribute.charAt(0)) || attribute.charAt(1) != '=') {
                throw new Malformed("attribute " + (i + 1) + " is not <letter>=<value>");
            }
        }
    }

    private static boolean isLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static byte[] base64(String text) throws Malformed {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new Malformed("the proof is not base64");
        }
    }

    private static String text(ByteString data) throws Malformed {
        if (data.isEmpty()) {
            throw new Malformed("no authentication data");
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(data.asByteBuffer())
                    .toString();
        } catch (CharacterCodingException e) {
            throw new Malformed("not UTF-8");
        }
    }
}
