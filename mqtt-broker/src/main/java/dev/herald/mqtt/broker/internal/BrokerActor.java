package dev.herald.mqtt.broker.internal;

import dev.herald.mqtt.broker.BrokerMetrics;
import dev.herald.mqtt.broker.BrokerSettings;
import dev.herald.mqtt.broker.ClientView;
import dev.herald.mqtt.message.Publish;
import dev.herald.mqtt.message.RetainHandling;
import dev.herald.mqtt.message.SharedFilter;
import dev.herald.mqtt.message.Subscription;
import dev.herald.mqtt.message.Will;
import dev.herald.mqtt.message.property.MqttProperty;
import dev.herald.mqtt.message.reason.SubAckReasonCode;
import dev.herald.mqtt.message.reason.UnsubAckReasonCode;
import dev.herald.mqtt.routing.RetainedStore;
import dev.herald.mqtt.routing.TopicTree;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * The single owner of the broker's shared state: which client id has which session and connection,
 * the subscription table (published as the routing snapshot after every change), the retained
 * messages, and the Wills and session expiries waiting on timers. It sees control events only;
 * publishes are routed by the connections without it.
 */
public final class BrokerActor extends AbstractBehavior<BrokerActor.Command> {

    public interface Command {}

    /** A CONNECT was accepted; the reply is {@link ConnectionActor.SessionReady}. */
    public record ClientConnect(
            String clientId, boolean cleanStart, long sessionExpiry, ActorRef<ConnectionActor.Command> connection)
            implements Command {}

    /** A connection ended; {@code will} is null when it must not be published. */
    public record ClientDisconnected(
            String clientId, ActorRef<ConnectionActor.Command> connection, Will will, long sessionExpiry)
            implements Command {}

    /** One filter of a SUBSCRIBE, with the refusal the connection already decided (or null). */
    public record Requested(Subscription options, SubAckReasonCode refusal) {}

    public record Subscribe(
            String clientId,
            ActorRef<SessionActor.Command> session,
            int packetId,
            int subscriptionId,
            List<Requested> requested,
            ActorRef<ConnectionActor.Command> replyTo)
            implements Command {}

    public record Unsubscribe(
            String clientId, int packetId, List<String> filters, ActorRef<ConnectionActor.Command> replyTo)
            implements Command {}

    /** A PUBLISH with the retain flag: store, replace, or clear with an empty payload. */
    public record Retain(Publish message) implements Command {}

    /** A read-only view of every session and its subscriptions, for admin tools. */
    public record ListClients(ActorRef<List<ClientView>> replyTo) implements Command {}

    private record WillDue(String clientId) implements Command {}

    /** A retained message and when it was stored, for its Message Expiry Interval. */
    private record Retained(Publish message, long storedNanos) {}

    private record SessionExpired(String clientId) implements Command {}

    /** Time to publish the $SYS topics that changed. */
    private enum SysTick implements Command {
        INSTANCE
    }

    private static final String SYS_TIMER = "sys";
    /** The publisher id of $SYS messages: no client's (an empty client id is replaced at CONNECT). */
    private static final String SYS_PUBLISHER = "";

    /** A client id's session, and its connection while one is open. */
    private static final class Client {
        final ActorRef<SessionActor.Command> session;
        final SessionLoad load;
        ActorRef<ConnectionActor.Command> connection;
        final Map<String, Subscription> filters = new LinkedHashMap<>();

        Client(ActorRef<SessionActor.Command> session, SessionLoad load, ActorRef<ConnectionActor.Command> connection) {
            this.session = session;
            this.load = load;
            this.connection = connection;
        }
    }

    private final BrokerSettings settings;
    private final BrokerMetrics metrics;
    private final RoutingTable routing;
    private final TimerScheduler<Command> timers;
    private final Map<String, Client> clients = new HashMap<>();
    private final Map<String, Will> pendingWills = new HashMap<>();
    /** Taken-over connections whose session the new connection ended (Clean Start 1). */
    private final Set<ActorRef<ConnectionActor.Command>> endedByTakeover = new HashSet<>();

    private final RetainedStore<Retained> retained = new RetainedStore<>();
    private TopicTree<RouteEntry> tree = TopicTree.empty();
    private long sessionCounter;
    private long subscriptionCount;
    /** The retained $SYS topics, which the retained count leaves out: it counts what clients retained. */
    private final Set<String> sysRetained = new HashSet<>();
    /** Null when $SYS topics are off (herald.mqtt.sys.interval = 0). */
    private final SysTopics sys;

    public static Behavior<Command> create(BrokerSettings settings, BrokerMetrics metrics, RoutingTable routing) {
        return Behaviors.setup(context ->
                Behaviors.withTimers(timers -> new BrokerActor(context, timers, settings, metrics, routing)));
    }

    private BrokerActor(
            ActorContext<Command> context,
            TimerScheduler<Command> timers,
            BrokerSettings settings,
            BrokerMetrics metrics,
            RoutingTable routing) {
        super(context);
        this.timers = timers;
        this.settings = settings;
        this.metrics = metrics;
        this.routing = routing;
        Duration sysInterval = settings.sysInterval();
        if (sysInterval.isZero()) {
            this.sys = null;
        } else {
            this.sys = new SysTopics(metrics, SysTopics.brokerVersion(), System.nanoTime());
            timers.startTimerWithFixedDelay(SYS_TIMER, SysTick.INSTANCE, Duration.ZERO, sysInterval);
        }
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(ClientConnect.class, this::onConnect)
                .onMessage(ClientDisconnected.class, this::onDisconnected)
                .onMessage(Subscribe.class, this::onSubscribe)
                .onMessage(Unsubscribe.class, this::onUnsubscribe)
                .onMessage(Retain.class, this::onRetain)
                .onMessage(ListClients.class, this::onListClients)
                .onMessage(WillDue.class, due -> publishWill(due.clientId()))
                .onMessage(SessionExpired.class, expired -> endSession(expired.clientId()))
                .onMessage(SysTick.class, tick -> publishSys())
                .build();
    }

    private Behavior<Command> onConnect(ClientConnect c) {
        String id = c.clientId();
        timers.cancel(expiryKey(id));
        timers.cancel(willKey(id));
        if (pendingWills.containsKey(id)) {
            if (c.cleanStart()) {
                publishWill(id); // the old session ends now, and with it the Will Delay (MQTT 5.0 3.1.3.2.2)
            } else {
                pendingWills.remove(id); // the session resumed in time: no Will
            }
        }
        Client existing = clients.get(id);
        if (existing != null && existing.connection != null && !existing.connection.equals(c.connection())) {
            existing.connection.tell(ConnectionActor.TakenOver.INSTANCE);
            if (c.cleanStart()) {
                endedByTakeover.add(existing.connection);
            }
        }
        boolean present = existing != null && !c.cleanStart();
        Client client;
        if (present) {
            existing.connection = c.connection();
            client = existing;
        } else {
            if (existing != null) {
                removeSession(id, existing);
            }
            SessionLoad load = new SessionLoad();
            ActorRef<SessionActor.Command> session = getContext()
                    .spawn(SessionActor.create(id, settings, metrics, load, routing), "session-" + (++sessionCounter));
            client = new Client(session, load, c.connection());
            clients.put(id, client);
            reportState();
        }
        c.connection().tell(new ConnectionActor.SessionReady(client.session, present));
        return this;
    }

    private Behavior<Command> onDisconnected(ClientDisconnected d) {
        String id = d.clientId();
        Client client = clients.get(id);
        boolean current = client != null && d.connection().equals(client.connection);
        boolean sessionEnded = endedByTakeover.remove(d.connection());
        if (!current) {
            // Taken over: a resumed session cancels a delayed Will; one started clean ended the old
            // session, which sends it at once (MQTT 5.0 section 3.1.3.2.2).
            if (d.will() != null && (willDelay(d.will()) == 0 || sessionEnded)) {
                publish(willMessage(d.will()), id);
            }
            return this;
        }
        client.connection = null;
        long expiry = d.sessionExpiry();
        if (d.will() != null) {
            pendingWills.put(id, d.will());
            long delay = Math.min(willDelay(d.will()), expiry);
            if (delay == 0) {
                publishWill(id);
            } else {
                timers.startSingleTimer(willKey(id), new WillDue(id), Duration.ofSeconds(delay));
            }
        }
        if (expiry == 0) {
            endSession(id);
        } else if (expiry != ConnectDecision.NEVER_EXPIRES) {
            timers.startSingleTimer(expiryKey(id), new SessionExpired(id), Duration.ofSeconds(expiry));
        }
        return this;
    }

    private Behavior<Command> onSubscribe(Subscribe s) {
        Client client = clients.get(s.clientId());
        List<SubAckReasonCode> codes = new ArrayList<>(s.requested().size());
        List<SessionActor.Deliver> retainedDeliveries = new ArrayList<>();
        for (Requested r : s.requested()) {
            Subscription options = r.options();
            boolean existed = client != null && client.filters.containsKey(options.filter());
            if (r.refusal() != null || client == null) {
                codes.add(r.refusal() != null ? r.refusal() : SubAckReasonCode.UNSPECIFIED_ERROR);
                continue;
            }
            if (!existed && client.filters.size() >= settings.maxSubscriptionsPerClient()) {
                getContext()
                        .getLog()
                        .info(
                                "Client '{}' is at its {} subscriptions: refused '{}'",
                                s.clientId(),
                                settings.maxSubscriptionsPerClient(),
                                options.filter());
                codes.add(SubAckReasonCode.QUOTA_EXCEEDED);
                continue;
            }
            if (client.filters.put(options.filter(), options) == null) {
                subscriptionCount++;
            }
            Subscriber subscriber = new Subscriber(s.session(), options, s.subscriptionId());
            SharedFilter shared = SharedFilter.parse(options.filter());
            if (shared != null) {
                joinGroup(shared, s.clientId(), subscriber, client.load);
                codes.add(SubAckReasonCode.of(options.qos().value()));
                continue; // no retained messages for a shared subscription (MQTT 5.0 section 3.3.1.3)
            }
            tree = tree.subscribe(options.filter(), s.clientId(), subscriber);
            codes.add(SubAckReasonCode.of(options.qos().value()));
            boolean sendRetained = options.retainHandling() == RetainHandling.SEND_ON_SUBSCRIBE
                    || (options.retainHandling() == RetainHandling.SEND_IF_NEW_SUBSCRIPTION && !existed);
            if (sendRetained) {
                List<Integer> ids = s.subscriptionId() > 0 ? List.of(s.subscriptionId()) : List.of();
                addRetained(options, ids, retainedDeliveries);
            }
        }
        routing.publish(tree); // before the SUBACK leaves (invariant 5)
        reportState();
        s.replyTo().tell(new ConnectionActor.Subscribed(s.packetId(), codes, retainedDeliveries));
        return this;
    }

    /** The retained messages a new subscription gets, but those whose Message Expiry passed. */
    private void addRetained(Subscription options, List<Integer> ids, List<SessionActor.Deliver> into) {
        long now = System.nanoTime();
        List<String> expired = new ArrayList<>();
        retained.match(options.filter(), (topic, stored) -> {
            Publish message = MessageExpiry.remaining(stored.message(), stored.storedNanos(), now);
            if (message == null) {
                expired.add(topic);
            } else {
                into.add(new SessionActor.Deliver(message, options.qos(), true, true, ids, null));
            }
        });
        expired.forEach(retained::remove);
        expired.forEach(topic -> metrics.recordExpiredDrop());
    }

    private Behavior<Command> onUnsubscribe(Unsubscribe u) {
        Client client = clients.get(u.clientId());
        List<UnsubAckReasonCode> codes = new ArrayList<>(u.filters().size());
        for (String filter : u.filters()) {
            boolean existed = client != null && client.filters.remove(filter) != null;
            if (existed) {
                unsubscribe(filter, u.clientId());
                subscriptionCount--;
            }
            codes.add(existed ? UnsubAckReasonCode.SUCCESS : UnsubAckReasonCode.NO_SUBSCRIPTION_EXISTED);
        }
        routing.publish(tree);
        reportState();
        u.replyTo().tell(new ConnectionActor.Unsubscribed(u.packetId(), codes));
        return this;
    }

    private Behavior<Command> onRetain(Retain r) {
        Publish m = r.message();
        if (m.payload().isEmpty()) {
            retained.remove(m.topic());
            sysRetained.remove(m.topic());
        } else {
            retained.put(m.topic(), new Retained(m, System.nanoTime()));
            if (SysTopics.isSysTopic(m.topic())) {
                sysRetained.add(m.topic());
            }
        }
        reportState();
        return this;
    }

    private Behavior<Command> onListClients(ListClients list) {
        List<ClientView> views = new ArrayList<>(clients.size());
        clients.forEach((id, client) -> views.add(new ClientView(
                id,
                client.connection != null,
                client.filters.values().stream()
                        .map(s -> new ClientView.SubscriptionView(s.filter(), s.qos()))
                        .toList())));
        list.replyTo().tell(views);
        return this;
    }

    private void reportState() {
        metrics.brokerState(clients.size(), subscriptionCount, retained.size() - sysRetained.size());
    }

    private Behavior<Command> publishWill(String clientId) {
        timers.cancel(willKey(clientId));
        Will will = pendingWills.remove(clientId);
        if (will != null) {
            publish(willMessage(will), clientId);
        }
        return this;
    }

    /** A Will, unless it would forge the broker's $SYS state. */
    private void publish(Publish message, String clientId) {
        if (SysTopics.isSysTopic(message.topic())) {
            metrics.recordNotAuthorizedDrop();
            getContext()
                    .getLog()
                    .info("Dropped the Will of '{}': clients may not publish to '{}'", clientId, message.topic());
            return;
        }
        route(message, clientId);
    }

    /** A message the broker publishes itself, through the same routing as a client's. */
    private void route(Publish message, String publisherClientId) {
        if (message.retain() && settings.retainAvailable()) {
            onRetain(new Retain(message));
        }
        Router.route(tree, message, publisherClientId);
    }

    /** The $SYS topics whose value changed since the last round, retained, to their subscribers. */
    private Behavior<Command> publishSys() {
        long connected =
                clients.values().stream().filter(c -> c.connection != null).count();
        for (Publish message : sys.round(System.nanoTime(), clients.size(), connected)) {
            route(message, SYS_PUBLISHER);
        }
        return this;
    }

    private Behavior<Command> endSession(String clientId) {
        Client client = clients.get(clientId);
        if (client != null && client.connection == null) {
            publishWill(clientId); // a session that ends takes its delayed Will with it
            removeSession(clientId, client);
        }
        return this;
    }

    private void removeSession(String clientId, Client client) {
        for (String filter : client.filters.keySet()) {
            unsubscribe(filter, clientId);
        }
        routing.publish(tree);
        subscriptionCount -= client.filters.size();
        clients.remove(clientId);
        reportState();
        client.session.tell(SessionActor.End.INSTANCE); // it stops itself after a grace period
    }

    private void joinGroup(SharedFilter shared, String clientId, Subscriber subscriber, SessionLoad load) {
        String key = SharedGroup.key(shared.group());
        SharedGroup group = tree.get(shared.filter(), key) instanceof SharedGroup g
                ? g
                : SharedGroup.empty(
                        shared.group(),
                        shared.filter(),
                        settings.sharedStrategy(),
                        metrics.sharedGroup(shared.group(), shared.filter()));
        tree = tree.subscribe(shared.filter(), key, group.with(new SharedGroup.Member(clientId, subscriber, load)));
    }

    private void unsubscribe(String filter, String clientId) {
        SharedFilter shared = SharedFilter.parse(filter);
        if (shared == null) {
            tree = tree.unsubscribe(filter, clientId);
            return;
        }
        String key = SharedGroup.key(shared.group());
        if (tree.get(shared.filter(), key) instanceof SharedGroup g) {
            SharedGroup left = g.without(clientId);
            tree = left.size() == 0
                    ? tree.unsubscribe(shared.filter(), key)
                    : tree.subscribe(shared.filter(), key, left);
        }
    }

    private static long willDelay(Will will) {
        return will.properties().longValue(MqttProperty.WILL_DELAY_INTERVAL, 0);
    }

    /** The Will as an Application Message: its properties but the Will Delay Interval. */
    private static Publish willMessage(Will will) {
        return new Publish(
                will.topic(),
                will.qos(),
                will.retain(),
                false,
                0,
                will.properties().without(MqttProperty.WILL_DELAY_INTERVAL),
                will.payload());
    }

    private static String willKey(String clientId) {
        return "will:" + clientId;
    }

    private static String expiryKey(String clientId) {
        return "expiry:" + clientId;
    }
}
