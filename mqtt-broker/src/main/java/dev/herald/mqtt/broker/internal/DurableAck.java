package dev.herald.mqtt.broker.internal;

import dev.herald.mqtt.store.internal.OnCommit;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * What one PUBACK or PUBREC waits for: with sync durability, the stores of the message; on a cluster
 * node, its arrival at the sessions on other nodes (and at the BrokerActor, for a retained message).
 * The routing counts each session (or the retained store) it hands the acknowledgement to in {@link
 * #expected}, and each answers once, telling the connection. Only the connection's actor touches
 * {@code expected}; a copy that crosses nodes carries the connection and the id only.
 */
final class DurableAck implements OnCommit {

    private final ActorRef<ConnectionActor.Command> connection;
    private final long id;
    int expected;

    DurableAck(ActorRef<ConnectionActor.Command> connection, long id) {
        this.connection = connection;
        this.id = id;
    }

    long id() {
        return id;
    }

    ActorRef<ConnectionActor.Command> connection() {
        return connection;
    }

    /** This acknowledgement for one more store, counted. */
    DurableAck expect() {
        expected++;
        return this;
    }

    @Override
    public void committed(boolean stored) {
        connection.tell(new ConnectionActor.Stored(id, stored));
    }
}
