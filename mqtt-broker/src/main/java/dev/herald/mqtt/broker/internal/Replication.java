package dev.herald.mqtt.broker.internal;

import dev.herald.mqtt.message.Publish;
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
 * How a BrokerActor that may run on another node than its clients (a cluster singleton) keeps every
 * node's {@link BrokerNode} in step: a node it has not seen before is first asked what it holds
 * ({@link BrokerNode.Rejoin}: after a fail-over, its sessions and its copy of the retained messages),
 * then sent the whole table, then the changes as they are made, in order. Owned by the BrokerActor.
 */
final class Replication {

    /** Tells this BrokerActor's changes apart from those of an earlier one (before a fail-over). */
    private final long epoch = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);

    /** Nodes that have the whole table and get every change. */
    private final Map<Address, ActorRef<BrokerNode.Command>> nodes = new HashMap<>();
    /** Nodes asked what they hold, not answered yet. */
    private final Map<Address, ActorRef<BrokerNode.Command>> asked = new HashMap<>();
    /**
     * Nodes that answered, waiting for their table until every asked node has: a table sent before
     * would lack the subscriptions of sessions on the nodes not heard from yet, and the node would route
     * past them.
     */
    private final Map<Address, ActorRef<BrokerNode.Command>> answered = new HashMap<>();

    private List<BrokerNode.RouteChange> pending = new ArrayList<>();
    /** The nodes with a table changed since the last flush: every node is sent them. */
    private boolean peersChanged;

    private List<Publish> pendingRetained = new ArrayList<>();

    void added(String clientId, Subscriber subscriber) {
        pending.add(BrokerNode.RouteChange.added(clientId, subscriber));
    }

    void removed(String clientId, String filter) {
        pending.add(BrokerNode.RouteChange.removed(clientId, filter));
    }

    /** A retained message stored, replaced or (empty payload) cleared: every node keeps a copy, sent now. */
    void retained(Publish message) {
        pendingRetained.add(message);
        flush();
    }

    /** Sends the changes since the last flush to every node that has the table. */
    void flush() {
        if (pending.isEmpty() && pendingRetained.isEmpty() && !peersChanged) {
            return;
        }
        BrokerNode.Changes changes = BrokerNode.Changes.of(
                epoch, peersChanged ? peers() : null, List.copyOf(pending), List.copyOf(pendingRetained));
        peersChanged = false;
        pending = new ArrayList<>();
        pendingRetained = new ArrayList<>();
        nodes.values().forEach(node -> node.tell(changes));
    }

    /**
     * Sends {@code reply} (a SUBACK or UNSUBACK answer) to a connection once its node has every change
     * made so far in its snapshot (straight to the connection while its node has no table yet).
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

    /** The BrokerNode on the node where {@code ref} lives, or null while that node has no table. */
    ActorRef<BrokerNode.Command> nodeOf(ActorRef<?> ref) {
        return nodes.get(ref.path().address());
    }

    /**
     * The nodes now registered: each new one is asked what it holds; those gone are forgotten. Returns
     * whether a node was asked.
     */
    boolean nodes(Set<ActorRef<BrokerNode.Command>> now, ActorRef<BrokerActor.Command> self) {
        boolean askedNew = false;
        flush();
        peersChanged |= nodes.values().removeIf(node -> !now.contains(node));
        asked.values().removeIf(node -> !now.contains(node));
        answered.values().removeIf(node -> !now.contains(node));
        for (ActorRef<BrokerNode.Command> node : now) {
            Address address = node.path().address();
            if (known(address) != null && now.contains(known(address))) {
                continue; // two of one address (a node started again, the old one not removed yet): the known one stays
            }
            if (!node.equals(nodes.get(address))
                    && !node.equals(asked.get(address))
                    && !node.equals(answered.get(address))) { // new, or started again
                peersChanged |= nodes.remove(address) != null;
                answered.remove(address);
                asked.put(address, node);
                node.tell(new BrokerNode.Rejoin(self));
                askedNew = true;
            }
        }
        return askedNew;
    }

    private ActorRef<BrokerNode.Command> known(Address address) {
        ActorRef<BrokerNode.Command> node = nodes.get(address);
        if (node == null) {
            node = asked.get(address);
        }
        return node != null ? node : answered.get(address);
    }

    private List<ActorRef<BrokerNode.Command>> peers() {
        return List.copyOf(nodes.values());
    }

    /** Whether the node at {@code address} is registered (asked, answered, or with the table). */
    boolean knows(Address address) {
        return nodes.containsKey(address) || asked.containsKey(address) || answered.containsKey(address);
    }

    /** Whether some node has not answered what it holds yet. */
    boolean rejoining() {
        return !asked.isEmpty();
    }

    /**
     * The node answered (its sessions are merged into {@code routes} by now). Once every asked node
     * has, each of them gets the whole table and from then on every change.
     */
    void rejoined(
            ActorRef<BrokerNode.Command> node,
            Supplier<List<BrokerNode.RouteChange>> routes,
            Supplier<List<Publish>> retained) {
        Address address = node.path().address();
        if (node.equals(asked.remove(address))) {
            answered.put(address, node);
        }
        if (asked.isEmpty()) {
            sendTables(routes, retained);
        }
    }

    /** Nodes that did not answer in time are taken as holding nothing: every waiting node gets the table. */
    void giveUpWaiting(Supplier<List<BrokerNode.RouteChange>> routes, Supplier<List<Publish>> retained) {
        answered.putAll(asked);
        asked.clear();
        sendTables(routes, retained);
    }

    private void sendTables(Supplier<List<BrokerNode.RouteChange>> routes, Supplier<List<Publish>> retained) {
        flush();
        if (answered.isEmpty()) {
            return;
        }
        List<ActorRef<BrokerNode.Command>> waiting = List.copyOf(answered.values());
        nodes.putAll(answered);
        answered.clear();
        BrokerNode.Snapshot table =
                new BrokerNode.Snapshot(epoch, peers(), List.copyOf(routes.get()), List.copyOf(retained.get()));
        waiting.forEach(node -> node.tell(table));
        peersChanged = true;
        flush(); // the other nodes learn of the new ones before any route to a session there
    }
}
