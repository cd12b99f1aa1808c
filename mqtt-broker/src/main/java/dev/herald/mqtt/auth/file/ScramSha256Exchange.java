package dev.herald.mqtt.auth.file;

import dev.herald.mqtt.auth.AuthExchange;
import dev.herald.mqtt.auth.AuthOutcome;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.util.ByteString;

/**
 * The server side of one SCRAM-SHA-256 exchange (RFC 5802, RFC 7677) without channel binding: the
 * first step answers the client-first-message with a challenge, the second checks the client's proof
 * and accepts with the server signature. Anything malformed, a wrong proof, an unknown user (which
 * sees a decoy salt, so it looks like a wrong password) and any step after the end are refused with
 * {@link AuthOutcome.Reason#BAD_CREDENTIALS}. The password file was hashed ahead, so each step is a
 * few HMACs and returns a completed stage.
 */
public final class ScramSha256Exchange implements AuthExchange {

    /** The Authentication Method of MQTT 5 enhanced authentication, as RFC 7677 registers it. */
    public static final String METHOD = "SCRAM-SHA-256";

    private static final int NONCE_BYTES = 18;
    private static final SecureRandom RANDOM = new SecureRandom();

    private enum State {
        FIRST,
        FINAL,
        ENDED
    }

    private final Function<String, Optional<ScramCredentials>> credentials;
    private final Supplier<String> serverNonces;

    private State state = State.FIRST;
    private ScramMessages.ClientFirst clientFirst;
    private String serverFirst;
    private String nonce;
    private ScramCredentials user;
    private boolean known;

    /**
     * @param credentials the verifier of a user, empty for an unknown one
     * @param serverNonces the server's part of each nonce: printable ASCII without commas, unguessable
     */
    public ScramSha256Exchange(
            Function<String, Optional<ScramCredentials>> credentials, Supplier<String> serverNonces) {
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.serverNonces = Objects.requireNonNull(serverNonces, "serverNonces");
    }

    /** An exchange against a password file, with random server nonces. */
    public ScramSha256Exchange(PasswordFile passwords) {
        this(passwords::credentials, ScramSha256Exchange::randomNonce);
    }

    /** 18 random bytes in base64: a server nonce. */
    public static String randomNonce() {
        return Base64.getEncoder().encodeToString(Scram.randomBytes(RANDOM, NONCE_BYTES));
    }

    @Override
    public synchronized CompletionStage<AuthOutcome> step(ByteString clientData) {
        State current = state;
        state = State.ENDED;
        try {
            return switch (current) {
                case FIRST -> done(first(clientData));
                case FINAL -> done(last(clientData));
                case ENDED -> done(refused("the exchange has ended"));
            };
        } catch (ScramMessages.Malformed e) {
            return done(refused(e.getMessage()));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private AuthOutcome first(ByteString clientData) throws ScramMessages.Malformed {
        clientFirst = ScramMessages.clientFirst(clientData);
        Optional<ScramCredentials> found = credentials.apply(clientFirst.username());
        known = found.isPresent();
        user = found.orElseGet(() -> Scram.decoy(clientFirst.username(), PasswordFile.DEFAULT_ITERATIONS));
        String serverNonce = serverNonces.get();
        if (!ScramMessages.isNonce(serverNonce)) {
            throw new IllegalStateException("the server nonce must be printable ASCII without commas");
        }
        nonce = clientFirst.nonce() + serverNonce;
        serverFirst =
                "r=" + nonce + ",s=" + Base64.getEncoder().encodeToString(user.salt()) + ",i=" + user.iterations();
        state = State.FINAL;
        return new AuthOutcome.Challenge(ByteString.fromString(serverFirst, StandardCharsets.UTF_8));
    }

    private AuthOutcome last(ByteString clientData) throws ScramMessages.Malformed {
        ScramMessages.ClientFinal clientFinal = ScramMessages.clientFinal(clientData);
        String binding =
                Base64.getEncoder().encodeToString(clientFirst.gs2Header().getBytes(StandardCharsets.UTF_8));
        if (!clientFinal.channelBinding().equals(binding)) {
            return refused("the channel binding does not repeat the gs2 header");
        }
        if (!clientFinal.nonce().equals(nonce)) {
            return refused("the nonce is not the one of the server-first-message");
        }
        byte[] authMessage = (clientFirst.bare() + "," + serverFirst + "," + clientFinal.withoutProof())
                .getBytes(StandardCharsets.UTF_8);
        byte[] storedKey = user.storedKey();
        byte[] clientKey = Scram.xor(clientFinal.proof(), Scram.hmac(storedKey, authMessage));
        boolean proven = MessageDigest.isEqual(Scram.hash(clientKey), storedKey);
        if (!known) {
            return refused("unknown user " + clientFirst.username());
        }
        if (!proven) {
            return refused("wrong proof for user " + clientFirst.username());
        }
        String serverFinal = "v=" + Base64.getEncoder().encodeToString(Scram.hmac(user.serverKey(), authMessage));
        return new AuthOutcome.Accepted(
                clientFirst.username(), ByteString.fromString(serverFinal, StandardCharsets.UTF_8));
    }

    private static AuthOutcome refused(String detail) {
        return new AuthOutcome.Refused(AuthOutcome.Reason.BAD_CREDENTIALS, "SCRAM-SHA-256: " + detail);
    }

    private static CompletionStage<AuthOutcome> done(AuthOutcome outcome) {
        return CompletableFuture.completedFuture(outcome);
    }
}
