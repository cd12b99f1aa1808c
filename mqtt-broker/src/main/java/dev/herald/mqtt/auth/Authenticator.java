package dev.herald.mqtt.auth;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.util.ByteString;

/**
 * Decides whether a connecting client may go on. The broker asks once per CONNECT and never blocks
 * a connection's actor on the answer: slow checks (password hashing, a call to a directory) return a
 * stage completed elsewhere. Implementations are called from many connections at once.
 */
public interface Authenticator {

    /**
     * A CONNECT without an Authentication Method: {@code client.username()} and {@code password} are
     * what the client sent (either may be null).
     */
    CompletionStage<AuthOutcome> authenticate(ClientInfo client, ByteString password);

    /** The Authentication Methods (MQTT 5 enhanced authentication) this authenticator offers. */
    default Set<String> methods() {
        return Set.of();
    }

    /**
     * Starts an enhanced authentication exchange with one of {@link #methods()}; the broker then
     * passes the CONNECT's Authentication Data to its first {@link AuthExchange#step}.
     */
    default AuthExchange begin(String method, ClientInfo client) {
        throw new IllegalArgumentException("unsupported authentication method " + method);
    }

    /** Every client is accepted, with the username it gave. */
    static Authenticator allowAnonymous() {
        return (client, password) -> CompletableFuture.completedFuture(new AuthOutcome.Accepted(client.username()));
    }
}
