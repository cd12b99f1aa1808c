package dev.herald.mqtt.broker.internal;

import dev.herald.mqtt.broker.BrokerMetrics;
import dev.herald.mqtt.broker.BrokerSettings;
import dev.herald.mqtt.broker.ClientView;
import dev.herald.mqtt.message.Will;
import dev.herald.mqtt.store.internal.BrokerStore;
import dev.herald.mqtt.store.internal.OnCommit;
import dev.herald.mqtt.store.internal.StoredSession;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;

/**
 * The BrokerActor's sessions by client id: spawning their actors, and keeping each persistent one's
 * record in the store in step (with the Will the {@link PendingWills} hold for it). Owned by the
 * BrokerActor.
 */
final class SessionRegistry {

    private final Map<String, ClientSession> clients = new HashMap<>();
    private final ActorContext<?> context;
    private final BrokerSettings settings;
    private final BrokerMetrics metrics;
    private final RoutingTable routing;
    private final BrokerStore store;
    private final PendingWills wills;
    /** Null when the BrokerActor runs beside its clients; then it spawns their sessions itself. */
    private final Replication replication;

    private long sessionCounter;
    /** Names the records of each new session in the store: above every earlier one, across restarts too. */
    private long nextIncarnation = System.currentTimeMillis() * 1000;

    SessionRegistry(
            ActorContext<?> context,
            BrokerSettings settings,
            BrokerMetrics metrics,
            RoutingTable routing,
            BrokerStore store,
            PendingWills wills,
            Replication replication) {
        this.context = context;
        this.replication = replication;
        this.settings = settings;
        this.metrics = metrics;
        this.routing = routing;
        this.store = store;
        this.wills = wills;
    }

    ClientSession get(String clientId) {
        return clients.get(clientId);
    }

    int size() {
        return clients.size();
    }

    long connected() {
        return clients.values().stream().filter(c -> c.connection != null).count();
    }

    /** A new session for the client id, with a connection; {@code later}: its actor is started when needed. */
    ClientSession spawn(String clientId, ActorRef<ConnectionActor.Command> connection, boolean later) {
        if (!later && replication == null) {
            return spawn(clientId, nextIncarnation++, false, connection);
        }
        // Replicated, every session starts at its first SUBSCRIBE, on the node of its connection.
        SessionLoad load = replication == null ? new SessionLoad() : SessionLoad.ELSEWHERE;
        ClientSession client = new ClientSession(null, load, nextIncarnation++, connection);
        clients.put(clientId, client);
        return client;
    }

    /**
     * Starts the actor of a session that has none yet: attached to its connection ({@code attach}, which
     * is then told {@link ConnectionActor.SessionStarted}), or detached (null) for a connection that will
     * attach it. Returns false when the session starts on its connection's node: the BrokerActor is then
     * told {@link BrokerActor.SessionStarted}.
     */
    boolean ensureStarted(
            String clientId, ClientSession client, SessionActor.Attach attach, ActorRef<BrokerActor.Command> self) {
        if (client.session != null) {
            return true;
        }
        if (replication != null) {
            if (attach == null) {
                return true; // it starts at its first SUBSCRIBE, on the node of the connection then
            }
            ActorRef<BrokerNode.Command> node = replication.nodeOf(attach.connection());
            if (node != null) {
                node.tell(new BrokerNode.StartSession(clientId, client.incarnation, attach, self));
                return false;
            } // a node not known yet: the session starts here
        }
        if (replication != null) {
            client.load = new SessionLoad(); // its own: ELSEWHERE is never changed
        }
        client.session = spawnActor(clientId, client.incarnation, false, client.load, attach);
        if (attach != null) {
            attach.connection().tell(new ConnectionActor.SessionStarted(client.session));
        }
        return true;
    }

    /** Every subscription of every session, as a replica of the routing snapshot is first sent it. */
    List<BrokerNode.RouteChange> routes() {
        List<BrokerNode.RouteChange> routes = new ArrayList<>();
        clients.forEach((id, client) -> {
            if (client.session != null) {
                client.filters
                        .values()
                        .forEach(sub -> routes.add(new BrokerNode.RouteChange(
                                id, sub.options().filter(), client.session, sub.options(), sub.subscriptionId())));
            }
        });
        return routes;
    }

    /**
     * A session restored from the store, without a connection (one that had a connection when the
     * broker stopped lost it then: it counts as disconnected now, and its Will waits for its delay
     * from now, MQTT 5.0 section 3.1.2.5; the caller stores its record once its subscriptions are
     * back). Its messages load when first needed.
     */
    ClientSession restore(StoredSession s, long nowMillis) {
        nextIncarnation = Math.max(nextIncarnation, s.incarnation() + 1);
        ClientSession client = spawn(s.clientId(), s.incarnation(), true, null);
        boolean wasConnected = s.disconnectedAtMillis() == StoredSession.CONNECTED;
        client.expiry = s.expiryInterval();
        client.disconnectedAtMillis = wasConnected ? nowMillis : s.disconnectedAtMillis();
        if (s.will() != null) {
            long delay = Math.min(PendingWills.delaySeconds(s.will()), s.expiryInterval());
            client.willDueAtMillis = wasConnected ? nowMillis + delay * 1000 : s.willDueAtMillis();
        }
        return client;
    }

    /**
     * A session a node runs, as this BrokerActor (started after a fail-over) takes it back: its
     * subscriptions are added by the caller; a detached one's expiry counts from now. Null when this
     * broker already has a session of that client id (started since), which then stays.
     */
    ClientSession rejoin(BrokerNode.RejoinedSession s) {
        ClientSession known = clients.get(s.clientId());
        if (known != null) {
            if (known.incarnation != s.incarnation() || (known.session != null && !known.session.equals(s.session()))) {
                return null; // a newer session of the client id, or another one
            }
            known.session = s.session(); // the same (a node asked again): its routes are added again
            return known;
        }
        nextIncarnation = Math.max(nextIncarnation, s.incarnation() + 1);
        ClientSession client = new ClientSession(s.session(), SessionLoad.ELSEWHERE, s.incarnation(), s.connection());
        client.expiry = s.sessionExpiry();
        client.disconnectedAtMillis = s.connection() == null ? System.currentTimeMillis() : StoredSession.CONNECTED;
        clients.put(s.clientId(), client);
        return client;
    }

    /** How long a stored session has left before it expires (Long.MAX_VALUE when it never does). */
    static long millisLeft(StoredSession s, long nowMillis) {
        if (s.expiryInterval() == ConnectDecision.NEVER_EXPIRES) {
            return Long.MAX_VALUE;
        }
        long disconnectedAt =
                s.disconnectedAtMillis() == StoredSession.CONNECTED ? nowMillis : s.disconnectedAtMillis();
        return s.expiryInterval() * 1000 - (nowMillis - disconnectedAt);
    }

    private ClientSession spawn(
            String clientId, long incarnation, boolean restored, ActorRef<ConnectionActor.Command> connection) {
        SessionLoad load = new SessionLoad();
        ActorRef<SessionActor.Command> session = spawnActor(clientId, incarnation, restored, load, null);
        ClientSession client = new ClientSession(session, load, incarnation, connection);
        client.durable = restored;
        clients.put(clientId, client);
        return client;
    }

    /** A connection took the session; it is kept in the store from now on while its expiry is above 0. */
    void connected(String clientId, ClientSession client, long sessionExpiry, Will will) {
        boolean wasDurable = client.durable;
        client.expiry = sessionExpiry;
        client.durable = store.enabled() && sessionExpiry > 0;
        client.disconnectedAtMillis = StoredSession.CONNECTED;
        client.connectedWill = will;
        if (client.durable) {
            store(clientId, client, null);
        } else if (wasDurable) {
            store.deleteSession(clientId);
        }
    }

    /** Its connection ended; the caller stores the record once the Will is settled. */
    void disconnected(ClientSession client, long sessionExpiry) {
        client.connection = null;
        client.connectedWill = null;
        client.expiry = sessionExpiry;
        client.disconnectedAtMillis = System.currentTimeMillis();
    }

    private ActorRef<SessionActor.Command> spawnActor(
            String clientId, long incarnation, boolean restored, SessionLoad load, SessionActor.Attach attach) {
        SessionRecords records = new SessionRecords(store, clientId, incarnation, restored);
        return context.spawn(
                SessionActor.create(clientId, settings, metrics, load, routing, records, attach, null),
                "session-" + (++sessionCounter));
    }

    void remove(String clientId) {
        ClientSession client = clients.remove(clientId);
        if (client != null && client.durable) {
            store.deleteSession(clientId); // the SessionActor removes its own messages
        }
    }

    /** The session's record in the store, when it is kept there; {@code onCommit} runs once it is on disk. */
    void store(String clientId, ClientSession client, OnCommit onCommit) {
        if (!client.durable) {
            SessionRecords.release(onCommit);
            return;
        }
        store.putSession(client.toStored(clientId, wills.get(clientId)), onCommit);
    }

    /** Stores the session's record (if any), then replies: with sync durability, once it is on disk. */
    void storeThen(String clientId, ClientSession client, Runnable reply) {
        if (client != null && store.sync()) {
            store(clientId, client, stored -> reply.run());
            return;
        }
        if (client != null) {
            store(clientId, client, null);
        }
        reply.run();
    }

    /** Each session's incarnation: what the store may keep records of. */
    Map<String, Long> incarnations() {
        Map<String, Long> live = new HashMap<>();
        clients.forEach((id, client) -> live.put(id, client.incarnation));
        return live;
    }

    List<ClientView> views() {
        List<ClientView> views = new ArrayList<>(clients.size());
        clients.forEach((id, client) -> views.add(new ClientView(
                id,
                client.connection != null,
                client.filters.values().stream()
                        .map(s -> new ClientView.SubscriptionView(
                                s.options().filter(), s.options().qos()))
                        .toList(),
                nodeOf(client))));
        return views;
    }

    /** Replicated, where the session lives (its connection's node while it has no actor); else null. */
    private String nodeOf(ClientSession client) {
        ActorRef<?> where = client.session != null ? client.session : client.connection;
        if (replication == null || where == null) {
            return null;
        }
        Address address = where.path().address();
        return (address.hasLocalScope() ? context.getSystem().address() : address).toString();
    }
}
