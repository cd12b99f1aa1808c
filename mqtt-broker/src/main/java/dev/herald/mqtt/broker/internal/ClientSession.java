package dev.herald.mqtt.broker.internal;

import dev.herald.mqtt.message.Will;
import dev.herald.mqtt.store.internal.StoredSession;
import dev.herald.mqtt.store.internal.StoredSession.StoredSubscription;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * What the BrokerActor knows of one client id: its session actor and load, its connection while one is
 * open, its subscriptions by filter, and what its record in the store holds ({@code durable} while it
 * is kept there: persistence on and a Session Expiry Interval above 0). Owned by the BrokerActor.
 */
final class ClientSession {
    /** Null for a clean session until its first SUBSCRIBE (it has nothing to hold before). */
    ActorRef<SessionActor.Command> session;

    /** Replaced only when a replicated broker's session starts on the BrokerActor's own node. */
    SessionLoad load;
    /** Names this session's records in the store, apart from any earlier session of the same client id. */
    final long incarnation;

    ActorRef<ConnectionActor.Command> connection;
    final Map<String, StoredSubscription> filters = new LinkedHashMap<>();
    boolean durable;
    long expiry;
    long disconnectedAtMillis = StoredSession.CONNECTED;
    long willDueAtMillis;
    /** The Will of the connection while one is open: published after a restart if the broker crashed. */
    Will connectedWill;
    /** What the CONNACK of its connection said: a connect sent again after a fail-over is answered alike. */
    boolean presentAtConnect;

    ClientSession(
            ActorRef<SessionActor.Command> session,
            SessionLoad load,
            long incarnation,
            ActorRef<ConnectionActor.Command> connection) {
        this.session = session;
        this.load = load;
        this.incarnation = incarnation;
        this.connection = connection;
    }

    /** Its record, with the connection's Will, or the Will that waits for its delay (or null). */
    StoredSession toStored(String clientId, Will pendingWill) {
        Will will = connection != null ? connectedWill : pendingWill;
        return new StoredSession(
                clientId,
                incarnation,
                expiry,
                disconnectedAtMillis,
                List.copyOf(filters.values()),
                will,
                will == null || connection != null ? 0 : willDueAtMillis);
    }
}
