package dev.herald.mqtt.broker.internal;

import dev.herald.mqtt.store.internal.OnCommit;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * With sync durability, the stores one PUBACK or PUBREC waits for: the routing counts each session
 * (or the retained store) it hands the acknowledgement to in {@link #expected}, and each answers once,
 * telling the connection. Only the connection's actor touches {@code expected}.
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
