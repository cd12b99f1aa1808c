package dev.herald.mqtt.broker.internal;

import dev.herald.mqtt.broker.BrokerMetrics;
import dev.herald.mqtt.broker.BrokerSettings;
import dev.herald.mqtt.broker.ClientView;
import dev.herald.mqtt.message.Publish;
import dev.herald.mqtt.message.Subscription;
import dev.herald.mqtt.message.Will;
import dev.herald.mqtt.message.reason.SubAckReasonCode;
import dev.herald.mqtt.message.reason.UnsubAckReasonCode;
import dev.herald.mqtt.store.internal.BrokerStore;
import dev.herald.mqtt.store.internal.OnCommit;
import dev.herald.mqtt.store.internal.StoredSession;
import dev.herald.runtime.CborSerializable;
import dev.herald.runtime.SelfAsSame;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.Done;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.pattern.StatusReply;

/**
 * The single owner of the broker's shared state: which client id has which session and connection,
 * the subscription table (published as the routing snapshot after every change), the retained
 * messages, and the Wills and session expiries waiting on timers. It sees control events only;
 * publishes are routed by the connections without it.
 */
public final class BrokerActor extends AbstractBehavior<BrokerActor.Command> {

    public interface Command extends CborSerializable {}

    /**
     * A CONNECT was accepted; the reply is {@link ConnectionActor.SessionReady}. Its Will (or null) is
     * kept with a persistent session, so that a broker that crashes still publishes it after a restart.
     */
    public record ClientConnect(
            String clientId,
            boolean cleanStart,
            long sessionExpiry,
            Will will,
            ActorRef<ConnectionActor.Command> connection)
            implements Command {}

    /** A connection ended; {@code will} is null when it must not be published. */
    public record ClientDisconnected(
            String clientId, ActorRef<ConnectionActor.Command> connection, Will will, long sessionExpiry)
            implements Command {}

    /** One filter of a SUBSCRIBE, with the refusal the connection already decided (or null). */
    public record Requested(Subscription options, SubAckReasonCode refusal) {}

    /**
     * A SUBSCRIBE; {@code session} is null for a clean session not started yet, which is started
     * attached as {@code attach} says (null otherwise).
     */
    public record Subscribe(
            String clientId,
            ActorRef<SessionActor.Command> session,
            SessionActor.Attach attach,
            int packetId,
            int subscriptionId,
            List<Requested> requested,
            ActorRef<ConnectionActor.Command> replyTo)
            implements Command {}

    public record Unsubscribe(
            String clientId, int packetId, List<String> filters, ActorRef<ConnectionActor.Command> replyTo)
            implements Command {

        /** The packet id of a connection's own UNSUBSCRIBE of what its client may no longer read: no client's. */
        public static final int REVOCATION = 0;
    }

    /**
     * A PUBLISH with the retain flag: store, replace, or clear with an empty payload; {@code stored},
     * when not null, is answered once the change is on disk.
     */
    public record Retain(Publish message, OnCommit stored) implements Command {}

    /** The filters a client is subscribed to, as it sent them: answered with {@link ConnectionActor.Subscriptions}. */
    public record SubscriptionsOf(String clientId, ActorRef<ConnectionActor.Command> replyTo) implements Command {}

    /** A read-only view of every session and its subscriptions, for admin tools. */
    public record ListClients(ActorRef<Clients> replyTo) implements Command {}

    /** The answer to {@link ListClients}. */
    public record Clients(List<ClientView> views) implements CborSerializable {}

    /**
     * Answered once everything sent to the broker before it is handled: after start-up recovery, or
     * after the changes of the disconnects before it.
     */
    public record Settled(ActorRef<StatusReply<Done>> replyTo) implements Command {}

    /** A session the BrokerActor asked a node to start runs ({@link BrokerNode.StartSession}). */
    public record SessionStarted(String clientId, long incarnation, ActorRef<SessionActor.Command> session)
            implements Command {}

    /**
     * What a node holds, as this BrokerActor (started after a fail-over, or first) asked: the sessions
     * it runs with their subscriptions, and its copy of the retained messages.
     */
    public record NodeRejoined(
            ActorRef<BrokerNode.Command> node, List<BrokerNode.RejoinedSession> sessions, List<Publish> retained)
            implements Command {}

    /** The nodes whose routing snapshot this broker keeps (replicated only). */
    private record NodesChanged(Set<ActorRef<BrokerNode.Command>> nodes) implements Command {}

    /** A client's connection on another node stopped without telling (its node failed). */
    private record ConnectionLost(String clientId, ActorRef<ConnectionActor.Command> connection) implements Command {}

    /** A session on another node stopped without this BrokerActor ending it (its node failed). */
    private record SessionGone(String clientId, ActorRef<SessionActor.Command> session) implements Command {}

    /** Nodes that have not said what they hold by now are not waited for. */
    private enum RejoinTimeout implements Command {
        INSTANCE
    }

    private record WillDue(String clientId) implements Command {}

    private record SessionExpired(String clientId) implements Command {}

    /** Time to publish the $SYS topics that changed. */
    private enum SysTick implements Command {
        INSTANCE
    }

    private static final String SYS_TIMER = "sys";

    private final BrokerSettings settings;
    private final BrokerMetrics metrics;
    private final RoutingTable routing;
    private final BrokerStore store;
    private final TimerScheduler<Command> timers;
    private final SessionRegistry clients;
    private final PendingWills pendingWills;
    /** Taken-over connections whose session the new connection ended (Clean Start 1). */
    private final Set<ActorRef<ConnectionActor.Command>> endedByTakeover = new HashSet<>();

    private final RetainedMessages retained;
    private final SubscriptionTable table;
    private Throwable recoveryFailure;

    private final BrokerPublishing publishing;
    /** Null when this broker runs beside its clients; else how every node gets its routing snapshot. */
    private final Replication replication;
    /** Commands of a client whose session a node is starting, held until it runs (in their order). */
    private final Map<String, List<Command>> starting = new HashMap<>();
    /** The node each of those sessions is starting on: if it goes, the commands are handled here. */
    private final Map<String, Address> startingOn = new HashMap<>();
    /**
     * Client commands that came while a node had not said what it holds, or from a connection on a node
     * this BrokerActor does not know yet (its answer could not follow the node's snapshot): handled
     * once every node has, or after {@code herald.mqtt.cluster.rejoin-timeout}.
     */
    private List<Command> heldWhileRejoining = new ArrayList<>();

    private boolean waitedLongEnough;

    public static Behavior<Command> create(BrokerSettings settings, BrokerMetrics metrics, RoutingTable routing) {
        return create(settings, metrics, routing, BrokerStore.NONE, false);
    }

    /**
     * A broker that keeps its sessions and retained messages in {@code store}, restoring them first;
     * {@code replicated}: it may run on another node than its clients (a cluster singleton), so it
     * sends its routing snapshot to every node's {@link BrokerNode} and has sessions started there.
     */
    public static Behavior<Command> create(
            BrokerSettings settings,
            BrokerMetrics metrics,
            RoutingTable routing,
            BrokerStore store,
            boolean replicated) {
        return Behaviors.setup(context -> Behaviors.withTimers(
                timers -> new BrokerActor(context, timers, settings, metrics, routing, store, replicated)));
    }

    private BrokerActor(
            ActorContext<Command> context,
            TimerScheduler<Command> timers,
            BrokerSettings settings,
            BrokerMetrics metrics,
            RoutingTable routing,
            BrokerStore store,
            boolean replicated) {
        super(context);
        this.store = store;
        this.replication = replicated ? new Replication() : null;
        this.retained = new RetainedMessages(store, metrics, replication);
        this.table = new SubscriptionTable(settings, metrics, routing, replication);
        this.timers = timers;
        this.pendingWills = new PendingWills(timers, WillDue::new);
        this.clients = new SessionRegistry(context, settings, metrics, routing, store, pendingWills, replication);
        this.settings = settings;
        this.metrics = metrics;
        this.routing = routing;
        this.publishing = new BrokerPublishing(table, retained, settings, metrics, context.getLog());
        if (!settings.sysInterval().isZero()) {
            timers.startTimerWithFixedDelay(SYS_TIMER, SysTick.INSTANCE, Duration.ZERO, settings.sysInterval());
        }
        if (replicated) {
            context.getSystem()
                    .receptionist()
                    .tell(Receptionist.subscribe(
                            BrokerNode.KEY,
                            context.messageAdapter(
                                    Receptionist.Listing.class,
                                    // All, reachable or not: a node unreachable for a moment keeps its table
                                    // (a node that fails is removed once it is downed).
                                    listing -> new NodesChanged(listing.getAllServiceInstances(BrokerNode.KEY)))));
        }
        if (store.enabled()) {
            try {
                recover();
            } catch (RuntimeException e) {
                recoveryFailure = e; // the start fails with it: no broker runs on a store it could not read
                getContext().getLog().error("Cannot restore the broker's state: {}", e.getMessage());
            }
        }
    }

    @Override
    public Receive<Command> createReceive() {
        Receive<Command> handlers = newReceiveBuilder()
                .onMessage(ClientConnect.class, this::onConnect)
                .onMessage(ClientDisconnected.class, this::onDisconnected)
                .onMessage(Subscribe.class, this::onSubscribe)
                .onMessage(Unsubscribe.class, this::onUnsubscribe)
                .onMessage(Retain.class, this::onRetain)
                .onMessage(ListClients.class, this::onListClients)
                .onMessage(SubscriptionsOf.class, this::onSubscriptionsOf)
                .onMessage(Settled.class, settled -> {
                    settled.replyTo()
                            .tell(recoveryFailure == null ? StatusReply.ack() : StatusReply.error(recoveryFailure));
                    return this;
                })
                .onMessage(SessionStarted.class, this::onSessionStarted)
                .onMessage(NodesChanged.class, changed -> {
                    boolean askedNew =
                            replication.nodes(changed.nodes(), getContext().getSelf());
                    releaseStartsOnGoneNodes();
                    if (!replication.rejoining()) {
                        // A node that was asked may have gone: those that answered get their tables.
                        replication.giveUpWaiting(clients::routes, retained::all);
                        return handleHeldWhileRejoining();
                    }
                    if (askedNew) {
                        timers.startSingleTimer(
                                RejoinTimeout.INSTANCE, settings.clusterRejoinTimeout()); // each new node gets its time
                    }
                    return this;
                })
                .onMessage(NodeRejoined.class, this::onNodeRejoined)
                .onMessage(ConnectionLost.class, this::onConnectionLost)
                .onMessage(SessionGone.class, this::onSessionGone)
                .onMessage(RejoinTimeout.class, timeout -> {
                    getContext()
                            .getLog()
                            .warn(
                                    "Nodes did not say what they hold in {} (or a client came from a node not known yet): not waited for",
                                    settings.clusterRejoinTimeout());
                    replication.giveUpWaiting(clients::routes, retained::all);
                    waitedLongEnough = true; // what is held is handled now, whether its node is known or not
                    handleHeldWhileRejoining();
                    waitedLongEnough = false;
                    return this;
                })
                .onMessage(WillDue.class, due -> publishWill(due.clientId()))
                .onMessage(SessionExpired.class, expired -> endSession(expired.clientId()))
                .onMessage(SysTick.class, tick -> {
                    publishing.sysRound(clients.size(), clients.connected());
                    reportState();
                    return this;
                })
                .build();
        return new SelfAsSame<>(this, handlers);
    }

    private Behavior<Command> onConnect(ClientConnect c) {
        String id = c.clientId();
        if (held(id, c)) {
            return this;
        }
        ClientSession known = clients.get(id);
        if (known != null && c.connection().equals(known.connection)) {
            // Sent again after a fail-over: answered as before.
            c.connection().tell(new ConnectionActor.SessionReady(known.session, known.presentAtConnect));
            return this;
        }
        timers.cancel(expiryKey(id));
        if (c.cleanStart()) {
            publishWill(id); // the old session ends now, and with it the Will Delay (MQTT 5.0 3.1.3.2.2)
        } else {
            pendingWills.take(id); // the session resumed in time: no Will
        }
        ClientSession existing = clients.get(id);
        if (existing != null && existing.connection != null && !existing.connection.equals(c.connection())) {
            existing.connection.tell(ConnectionActor.TakenOver.INSTANCE);
            if (c.cleanStart()) {
                endedByTakeover.add(existing.connection);
            }
        }
        boolean present = existing != null && !c.cleanStart();
        ClientSession client;
        if (present) {
            existing.connection = c.connection();
            client = existing;
            clients.ensureStarted(id, client, null, getContext().getSelf()); // a clean session resumed by a takeover
        } else {
            if (existing != null) {
                removeSession(id, existing);
            }
            // A clean session (nothing to keep) gets its actor at its first SUBSCRIBE, if ever.
            boolean later = c.sessionExpiry() == 0;
            client = clients.spawn(id, c.connection(), later);
            reportState();
        }
        clients.connected(id, client, c.sessionExpiry(), c.will());
        client.presentAtConnect = present;
        watchConnection(id, c.connection());
        c.connection().tell(new ConnectionActor.SessionReady(client.session, present));
        return this;
    }

    /**
     * Takes back what the store holds: retained messages, and every session that has not expired with
     * its subscriptions, its Will and what is left of its expiry (a session whose client was connected
     * when the broker stopped counts as disconnected now). Session actors load their messages when
     * first needed. A session that expired meanwhile is removed, and its Will published.
     */
    private void recover() {
        long started = System.nanoTime();
        long now = System.currentTimeMillis();
        int retainedCount = retained.restore();
        List<String> willsDue = new ArrayList<>();
        Map<String, Will> willsOfExpired = new LinkedHashMap<>();
        store.forEachSession(s -> {
            String id = s.clientId();
            long leftMillis = SessionRegistry.millisLeft(s, now);
            if (leftMillis <= 0) {
                store.deleteExpiredSession(id);
                if (s.will() != null) {
                    willsOfExpired.put(id, s.will());
                }
                return;
            }
            ClientSession client = clients.restore(s, now);
            s.subscriptions().forEach(sub -> table.restore(id, client, sub));
            if (s.will() != null) {
                long delay = client.willDueAtMillis - now;
                pendingWills.hold(id, s.will(), Duration.ofMillis(Math.max(0, delay)));
                if (delay <= 0) {
                    willsDue.add(id); // published once every subscription is back
                }
            }
            if (s.disconnectedAtMillis() == StoredSession.CONNECTED) {
                clients.store(id, client, null); // disconnected now, its Will held
            }
            if (s.expiryInterval() != ConnectDecision.NEVER_EXPIRES) {
                timers.startSingleTimer(expiryKey(id), new SessionExpired(id), Duration.ofMillis(leftMillis));
            }
        });
        int orphans = store.sweepOrphans(clients.incarnations());
        table.publish();
        reportState();
        willsOfExpired.forEach((id, will) -> publishing.will(PendingWills.message(will), id));
        willsDue.forEach(this::publishWill);
        getContext()
                .getLog()
                .info(
                        "Restored {} sessions and {} retained messages from {} in {} ms ({} stale ranges removed)",
                        clients.size(),
                        retainedCount,
                        store.stateStore().directory(),
                        (System.nanoTime() - started) / 1_000_000,
                        orphans);
    }

    private Behavior<Command> onDisconnected(ClientDisconnected d) {
        String id = d.clientId();
        if (held(id, d)) {
            return this;
        }
        ClientSession client = clients.get(id);
        boolean current = client != null && d.connection().equals(client.connection);
        // A client this broker does not know (its node's BrokerActor failed): its session ends now.
        boolean sessionEnded = endedByTakeover.remove(d.connection()) || (client == null && replication != null);
        if (!current) {
            // Taken over: a resumed session cancels a delayed Will; one started clean ended the old
            // session, which sends it at once (MQTT 5.0 section 3.1.3.2.2).
            if (d.will() != null && (PendingWills.delaySeconds(d.will()) == 0 || sessionEnded)) {
                publishing.will(PendingWills.message(d.will()), id);
                reportState();
            }
            return this;
        }
        long expiry = d.sessionExpiry();
        clients.disconnected(client, expiry);
        if (d.will() != null) {
            long delay = Math.min(PendingWills.delaySeconds(d.will()), expiry);
            client.willDueAtMillis = client.disconnectedAtMillis + delay * 1000;
            pendingWills.hold(id, d.will(), Duration.ofSeconds(delay));
            if (delay == 0) {
                publishWill(id);
            }
        }
        if (expiry == 0) {
            endSession(id);
            return this;
        }
        clients.store(id, client, null);
        if (expiry != ConnectDecision.NEVER_EXPIRES) {
            timers.startSingleTimer(expiryKey(id), new SessionExpired(id), Duration.ofSeconds(expiry));
        }
        return this;
    }

    private Behavior<Command> onSubscribe(Subscribe s) {
        if (held(s.clientId(), s)) {
            return this;
        }
        ClientSession client = clients.get(s.clientId());
        if (client == null && replication != null && s.attach() != null) {
            // A client of a node whose BrokerActor failed, that had no session actor: taken back now.
            client = clients.spawn(s.clientId(), s.attach().connection(), true);
            clients.connected(s.clientId(), client, s.attach().sessionExpiry(), null);
            watchConnection(s.clientId(), s.attach().connection());
        }
        if (client != null
                && s.attach() != null
                && s.attach().connection().equals(client.connection)
                && !clients.ensureStarted(
                        s.clientId(), client, s.attach(), getContext().getSelf())) {
            starting.put(s.clientId(), new ArrayList<>(List.of(s))); // handled once the session runs
            startingOn.put(s.clientId(), s.attach().connection().path().address());
            return this;
        }
        List<SessionActor.Deliver> retainedOut = new ArrayList<>();
        List<SubAckReasonCode> codes =
                table.subscribe(s, client, retained, retainedOut, getContext().getLog());
        table.publish(); // before the SUBACK leaves (invariant 5)
        reportState();
        clients.storeThen(
                s.clientId(),
                client,
                () -> answer(s.replyTo(), new ConnectionActor.Subscribed(s.packetId(), codes, retainedOut)));
        return this;
    }

    private Behavior<Command> onUnsubscribe(Unsubscribe u) {
        if (held(u.clientId(), u)) {
            return this;
        }
        ClientSession client = clients.get(u.clientId());
        if (u.packetId() == Unsubscribe.REVOCATION
                && (client == null || !u.replyTo().equals(client.connection))) {
            return this; // from a connection that no longer holds the session: the new one has its own permissions
        }
        List<UnsubAckReasonCode> codes = table.unsubscribe(u, client);
        table.publish();
        reportState();
        clients.storeThen(
                u.clientId(), client, () -> answer(u.replyTo(), new ConnectionActor.Unsubscribed(u.packetId(), codes)));
        return this;
    }

    /**
     * Takes back what a node holds: each session it runs (unless this broker knows a newer one of the
     * same client id) with its subscriptions, and the retained messages; then the node gets the table.
     */
    private Behavior<Command> onNodeRejoined(NodeRejoined rejoined) {
        int taken = 0;
        for (BrokerNode.RejoinedSession s : rejoined.sessions()) {
            boolean known = clients.get(s.clientId()) != null;
            ClientSession client = clients.rejoin(s);
            if (client == null) {
                s.session().tell(SessionActor.End.INSTANCE); // this broker has a newer session of the id
                continue;
            }
            taken++;
            watchSession(s.clientId(), s.session());
            if (client.connection != null) {
                watchConnection(s.clientId(), client.connection);
            }
            s.routes().forEach(route -> table.rejoin(s.clientId(), client, route));
            if (!known && client.connection == null && s.sessionExpiry() != ConnectDecision.NEVER_EXPIRES) {
                timers.startSingleTimer(
                        expiryKey(s.clientId()),
                        new SessionExpired(s.clientId()),
                        Duration.ofSeconds(s.sessionExpiry()));
            }
        }
        rejoined.retained().forEach(retained::rejoin);
        table.publish();
        replication.rejoined(rejoined.node(), clients::routes, retained::all);
        reportState();
        getContext()
                .getLog()
                .info(
                        "Took back {} sessions and {} retained messages from {}",
                        taken,
                        rejoined.retained().size(),
                        rejoined.node().path().address());
        return replication.rejoining() ? this : handleHeldWhileRejoining();
    }

    /**
     * Replicated, a connection's node may fail without the connection telling: then it is watched. A
     * connection that ends as usual sends ClientDisconnected first, and Artery delivers what an actor
     * sent before the news of its end (death-watch-notification-flush-timeout), so ConnectionLost then
     * finds the client disconnected already.
     */
    private void watchConnection(String clientId, ActorRef<ConnectionActor.Command> connection) {
        if (replication != null) {
            getContext().unwatch(connection);
            getContext().watchWith(connection, new ConnectionLost(clientId, connection));
        }
    }

    /** Replicated, a session on another node may go with its node: then it is watched. */
    private void watchSession(String clientId, ActorRef<SessionActor.Command> session) {
        getContext().unwatch(session);
        getContext().watchWith(session, new SessionGone(clientId, session));
    }

    /**
     * A session stopped that this BrokerActor did not end: its node failed, and with it what the session
     * held. It is removed, with its subscriptions; its connection (on another node) learns it by itself.
     */
    private Behavior<Command> onSessionGone(SessionGone gone) {
        ClientSession client = clients.get(gone.clientId());
        if (client == null || !gone.session().equals(client.session)) {
            return this; // ended by this broker, or replaced
        }
        getContext().getLog().info("The session of '{}' is gone with its node", gone.clientId());
        timers.cancel(expiryKey(gone.clientId()));
        publishWill(gone.clientId());
        removeSession(gone.clientId(), client);
        return this;
    }

    /**
     * A connection stopped without a ClientDisconnected (its node failed, or it was lost while this
     * BrokerActor moved): the session is disconnected as its expiry says; the Will went with the node.
     */
    private Behavior<Command> onConnectionLost(ConnectionLost lost) {
        ClientSession client = clients.get(lost.clientId());
        if (client == null || !lost.connection().equals(client.connection)) {
            return this; // it disconnected as usual
        }
        getContext().getLog().info("Client '{}' is gone with its node: its session is disconnected", lost.clientId());
        return onDisconnected(new ClientDisconnected(lost.clientId(), lost.connection(), null, client.expiry));
    }

    private Behavior<Command> handleHeldWhileRejoining() {
        timers.cancel(RejoinTimeout.INSTANCE);
        List<Command> held = heldWhileRejoining;
        heldWhileRejoining = new ArrayList<>();
        held.forEach(this::handleAgain);
        return this;
    }

    /**
     * Holds a command of a client while a node has not said what it holds, or while the client's session
     * is starting on a node; true when held.
     */
    private boolean held(String clientId, Command command) {
        // Held while a node rejoins, while its node is not known, and behind what is held already (in order).
        if (replication != null
                && !waitedLongEnough
                && (replication.rejoining() || !heldWhileRejoining.isEmpty() || !nodeKnown(command))) {
            heldWhileRejoining.add(command);
            if (!timers.isTimerActive(RejoinTimeout.INSTANCE)) {
                timers.startSingleTimer(RejoinTimeout.INSTANCE, settings.clusterRejoinTimeout());
            }
            return true;
        }
        List<Command> held = starting.get(clientId);
        if (held == null) {
            return false;
        }
        held.add(command);
        return true;
    }

    /** Whether the node of the connection that sent {@code command} has the table (or it needs none). */
    private boolean nodeKnown(Command command) {
        ActorRef<ConnectionActor.Command> connection = command instanceof ClientConnect c
                ? c.connection()
                : command instanceof Subscribe s
                        ? s.replyTo()
                        : command instanceof Unsubscribe u
                                ? u.replyTo()
                                : command instanceof SubscriptionsOf q ? q.replyTo() : null;
        return connection == null || replication.nodeOf(connection) != null;
    }

    private Behavior<Command> onSessionStarted(SessionStarted started) {
        String id = started.clientId();
        ClientSession client = clients.get(id);
        if (client != null && client.incarnation == started.incarnation() && client.session == null) {
            client.session = started.session();
            watchSession(id, started.session());
        } else {
            started.session().tell(SessionActor.End.INSTANCE); // its session ended meanwhile
        }
        startingOn.remove(id);
        List<Command> held = starting.remove(id);
        if (held != null) {
            held.forEach(this::handleAgain);
        }
        return this;
    }

    /**
     * Sessions that were starting on a node that is gone will not answer: their clients' commands are
     * handled now (their connections went with the node).
     */
    private void releaseStartsOnGoneNodes() {
        for (String id : List.copyOf(startingOn.keySet())) {
            if (!replication.knows(startingOn.get(id))) {
                startingOn.remove(id);
                List<Command> held = starting.remove(id);
                getContext().getLog().info("The node starting the session of '{}' is gone", id);
                if (held != null) {
                    held.forEach(this::handleAgain);
                }
            }
        }
    }

    private void handleAgain(Command command) {
        if (command instanceof Subscribe s) {
            onSubscribe(s);
        } else if (command instanceof Unsubscribe u) {
            onUnsubscribe(u);
        } else if (command instanceof ClientConnect c) {
            onConnect(c);
        } else if (command instanceof ClientDisconnected d) {
            onDisconnected(d);
        } else if (command instanceof SubscriptionsOf q) {
            onSubscriptionsOf(q);
        }
    }

    /**
     * A reply that must follow the table's last change: replicated, it goes through the connection's
     * node once that node's snapshot has the change (invariant 5).
     */
    private void answer(ActorRef<ConnectionActor.Command> connection, ConnectionActor.Command reply) {
        if (replication != null) {
            replication.reply(connection, reply);
        } else {
            connection.tell(reply);
        }
    }

    private Behavior<Command> onRetain(Retain r) {
        retained.update(r.message(), r.stored());
        reportState();
        return this;
    }

    private Behavior<Command> onSubscriptionsOf(SubscriptionsOf query) {
        if (held(query.clientId(), query)) {
            return this;
        }
        ClientSession client = clients.get(query.clientId());
        List<String> filters = client == null || !query.replyTo().equals(client.connection)
                ? List.of() // the session is another connection's now
                : List.copyOf(client.filters.keySet());
        query.replyTo().tell(new ConnectionActor.Subscriptions(filters)); // no route change to wait for
        return this;
    }

    private Behavior<Command> onListClients(ListClients list) {
        list.replyTo().tell(new Clients(clients.views()));
        return this;
    }

    private void reportState() {
        metrics.brokerState(clients.size(), table.count(), retained.clientCount());
    }

    private Behavior<Command> publishWill(String clientId) {
        Will will = pendingWills.take(clientId);
        if (will != null) {
            publishing.will(PendingWills.message(will), clientId);
            reportState();
            ClientSession client = clients.get(clientId);
            if (client != null && client.connection == null) {
                clients.store(clientId, client, null); // without its Will, so it is not published again
            }
        }
        return this;
    }

    private Behavior<Command> endSession(String clientId) {
        ClientSession client = clients.get(clientId);
        if (client != null && client.connection == null) {
            publishWill(clientId); // a session that ends takes its delayed Will with it
            removeSession(clientId, client);
        }
        return this;
    }

    private void removeSession(String clientId, ClientSession client) {
        table.removeAll(clientId, client);
        table.publish();
        clients.remove(clientId);
        reportState();
        if (client.session != null) {
            client.session.tell(SessionActor.End.INSTANCE); // it stops itself after a grace period
        }
    }

    private static String expiryKey(String clientId) {
        return "expiry:" + clientId;
    }
}
