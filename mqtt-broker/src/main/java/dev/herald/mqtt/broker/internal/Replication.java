package dev.herald.mqtt.broker.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * How a BrokerActor that may run on another node than its clients (a cluster singleton) publishes its
 * routing snapshot: as changes sent to every node's {@link BrokerNode}, in order, after a whole
 * snapshot to each node it has not seen before. Owned by the BrokerActor.
 */
final class Replication {

    /** Tells this BrokerActor's changes apart from those of an earlier one (before a fail-over). */
    private final long epoch = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);

    private final Map<Address, ActorRef<BrokerNode.Command>> nodes = new HashMap<>();
    private List<BrokerNode.RouteChange> pending = new ArrayList<>();

    void added(String clientId, Subscriber subscriber) {
        pending.add(BrokerNode.RouteChange.added(clientId, subscriber));
    }

    void removed(String clientId, String filter) {
        pending.add(BrokerNode.RouteChange.removed(clientId, filter));
    }

    /** Sends the changes since the last flush to every node. */
    void flush() {
        if (pending.isEmpty()) {
            return;
        }
        List<BrokerNode.RouteChange> changes = List.copyOf(pending);
        pending = new ArrayList<>();
        nodes.values().forEach(node -> node.tell(BrokerNode.Changes.of(epoch, changes)));
    }

    /**
     * Sends {@code reply} (a SUBACK or UNSUBACK answer) to a connection once its node has every change made so far in its snapshot
     * (straight to the connection while its node is not known yet).
     */
    void reply(ActorRef<ConnectionActor.Command> connection, ConnectionActor.Command reply) {
        flush();
        ActorRef<BrokerNode.Command> node = nodeOf(connection);
        if (node == null) {
            connection.tell(reply);
        } else {
            node.tell(BrokerNode.Changes.reply(epoch, connection, reply));
        }
    }

    /** The BrokerNode on the node where {@code ref} lives, or null while that node is not known. */
    ActorRef<BrokerNode.Command> nodeOf(ActorRef<?> ref) {
        return nodes.get(ref.path().address());
    }

    /**
     * The nodes now registered: each new one gets the whole table first ({@code routes}), the changes
     * after it; those gone are forgotten.
     */
    void nodes(Set<ActorRef<BrokerNode.Command>> now, Supplier<List<BrokerNode.RouteChange>> routes) {
        flush();
        nodes.values().removeIf(node -> !now.contains(node));
        List<BrokerNode.RouteChange> all = null;
        for (ActorRef<BrokerNode.Command> node : now) {
            if (!node.equals(nodes.put(node.path().address(), node))) { // new, or started again
                if (all == null) {
                    all = List.copyOf(routes.get());
                }
                node.tell(new BrokerNode.Snapshot(epoch, all));
            }
        }
    }

    int nodeCount() {
        return nodes.size();
    }
}
