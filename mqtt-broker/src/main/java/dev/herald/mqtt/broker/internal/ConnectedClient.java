package dev.herald.mqtt.broker.internal;

import dev.herald.mqtt.auth.ClientInfo;
import dev.herald.mqtt.auth.Permissions;
import dev.herald.mqtt.broker.BrokerSettings;
import dev.herald.mqtt.broker.internal.ConnectionActor.Attached;
import dev.herald.mqtt.broker.internal.ConnectionActor.Command;
import dev.herald.mqtt.broker.internal.ConnectionActor.Ending;
import dev.herald.mqtt.broker.internal.ConnectionActor.Filtered;
import dev.herald.mqtt.broker.internal.ConnectionActor.Inbound;
import dev.herald.mqtt.broker.internal.ConnectionActor.Outbound;
import dev.herald.mqtt.broker.internal.ConnectionActor.ServerShutdown;
import dev.herald.mqtt.broker.internal.ConnectionActor.SessionReady;
import dev.herald.mqtt.broker.internal.ConnectionActor.StreamAck;
import dev.herald.mqtt.broker.internal.ConnectionActor.StreamCompleted;
import dev.herald.mqtt.broker.internal.ConnectionActor.StreamFailed;
import dev.herald.mqtt.broker.internal.ConnectionActor.Subscribed;
import dev.herald.mqtt.broker.internal.ConnectionActor.TakenOver;
import dev.herald.mqtt.broker.internal.ConnectionActor.Unsubscribed;
import dev.herald.mqtt.message.Auth;
import dev.herald.mqtt.message.ConnAck;
import dev.herald.mqtt.message.Connect;
import dev.herald.mqtt.message.MqttPacket;
import dev.herald.mqtt.message.MqttVersion;
import dev.herald.mqtt.message.Publish;
import dev.herald.mqtt.message.SubAck;
import dev.herald.mqtt.message.UnsubAck;
import dev.herald.mqtt.message.Will;
import dev.herald.mqtt.message.property.Properties;
import dev.herald.mqtt.message.reason.ConnectReasonCode;
import dev.herald.mqtt.message.reason.DisconnectReasonCode;
import dev.herald.mqtt.transport.MqttFramingException;
import dev.herald.runtime.RateLimitedWarning;
import dev.herald.runtime.SelfAsSame;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
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
 * A connection whose CONNECT was accepted: first waits for its session ({@link #connecting}), then
 * serves the client. Inbound packets are handled by {@link InboundPackets}; this class owns the
 * lifecycle: CONNACK, keep alive, the Will, and how the connection ends.
 */
final class ConnectedClient extends AbstractBehavior<Command> {

    enum KeepAliveCheck implements Command {
        INSTANCE
    }

    /** The read side's acknowledgement, held back to keep a 3.1.1 client under its publish rate. */
    private record DelayedAck(ActorRef<StreamAck> ackTo) implements Command {}

    /** Time to send the acknowledgements that waited too long for other nodes (cluster only). */
    private enum AckCheck implements Command {
        INSTANCE
    }

    /** The session lived on another node, which failed: this connection cannot go on with it. */
    private enum SessionLost implements Command {
        INSTANCE
    }

    final ConnectionActor.Context ctx;
    final Outbox outbox;
    final InetSocketAddress remote;
    final Connect connect;
    final ConnectDecision decision;
    final Set<Integer> inboundQos2 = new HashSet<>();
    /** Acknowledgements wait for the stores they promise (sync durability). */
    final boolean syncAcks;

    final PendingAcks pendingAcks = new PendingAcks();
    final TopicAliases topicAliases;
    final PublishRateLimit rateLimit;
    // Created at the first drop: most clients never have one.
    private RateLimitedWarning quotaLog;
    /** Set by a PUBLISH over a 3.1.1 client's rate: how long to wait before reading the next packet. */
    long readDelayNanos;
    /** Who the client authenticated as; its permissions change on re-authentication. */
    final Identity identity;

    Permissions permissions;
    private static final Ending SESSION_LOST =
            Ending.byServer(DisconnectReasonCode.UNSPECIFIED_ERROR, "the session was lost with its node");

    private final Reauthentication reauthentication;
    final SubscriptionRecheck recheck;
    private final TimerScheduler<Command> timers;
    private final InboundPackets inbound;
    ActorRef<SessionActor.Command> session;
    Will will;
    long sessionExpiry;
    private boolean sessionPresent;
    /** The BrokerActor's SessionReady arrived (a CONNECT sent again gets a second one, ignored). */
    private boolean sessionReady;

    private long lastPacketNanos = System.nanoTime();
    /** SUBSCRIBE and UNSUBSCRIBE requests the BrokerActor has not answered, by packet id; made at the first. */
    private Map<Integer, BrokerActor.Command> awaitingBroker;

    private ConnectedClient(
            ActorContext<Command> context,
            TimerScheduler<Command> timers,
            ConnectionActor.Context ctx,
            Outbox outbox,
            InetSocketAddress remote,
            Connect connect,
            ConnectDecision decision,
            Identity identity) {
        super(context);
        this.identity = identity;
        this.permissions = identity.permissions();
        this.timers = timers;
        this.ctx = ctx;
        this.outbox = outbox;
        this.remote = remote;
        this.connect = connect;
        this.decision = decision;
        this.will = connect.will();
        this.sessionExpiry = decision.sessionExpiry();
        // On a cluster node an acknowledgement also waits for the sessions on other nodes it went to.
        this.syncAcks = ctx.store().sync() || ctx.brokerLocation().mayMove();
        this.inbound = new InboundPackets(this);
        boolean v5 = connect.version() == MqttVersion.V5;
        BrokerSettings settings = ctx.settings();
        this.topicAliases = new TopicAliases(
                v5 ? settings.topicAliasMaximum() : 0,
                v5 ? Math.min(settings.outboundTopicAliases(), decision.clientTopicAliasMaximum()) : 0);
        this.rateLimit = settings.maxPublishRate() > 0
                ? new PublishRateLimit(settings.maxPublishRate(), System.nanoTime())
                : null;
        this.reauthentication = new Reauthentication(this);
        this.recheck = new SubscriptionRecheck(this);
    }

    /** Waits for the BrokerActor's SessionReady, then the session's Attached, then sends CONNACK. */
    static Behavior<Command> connecting(
            ActorContext<Command> context,
            TimerScheduler<Command> timers,
            ConnectionActor.Context ctx,
            Outbox outbox,
            InetSocketAddress remote,
            Connect connect,
            ConnectDecision decision,
            Identity identity,
            ActorRef<StreamAck> ackTo,
            BrokerActor.ClientConnect request) {
        ConnectedClient client = new ConnectedClient(context, timers, ctx, outbox, remote, connect, decision, identity);
        return Behaviors.receive(Command.class)
                .onMessage(ConnectionActor.BrokerMoved.class, moved -> {
                    if (!client.sessionReady) {
                        ctx.broker().tell(request); // it may have been lost with the BrokerActor's node
                    }
                    return Behaviors.same();
                })
                .onMessage(SessionReady.class, ready -> {
                    if (client.sessionReady) {
                        return Behaviors.same(); // the answer to a CONNECT sent again after a fail-over
                    }
                    client.sessionReady = true;
                    client.session = ready.session();
                    client.watchSession(ready.session());
                    client.sessionPresent = ready.sessionPresent();
                    if (ready.session() == null) {
                        return client.onAttached(new Attached(Set.of()), ackTo); // a clean session, started later
                    }
                    ready.session().tell(client.attachment());
                    return Behaviors.same();
                })
                .onMessage(Attached.class, attached -> client.onAttached(attached, ackTo))
                .onMessage(SessionLost.class, lost -> client.refuseWhileConnecting())
                .onMessage(
                        TakenOver.class,
                        t -> client.end(Ending.byServer(DisconnectReasonCode.SESSION_TAKEN_OVER, "session taken over")))
                .onMessage(StreamCompleted.class, c -> client.end(Ending.lost("connection closed by client")))
                .onMessage(StreamFailed.class, client::onStreamFailed)
                .onMessage(ServerShutdown.class, s -> client.end(Ending.serverShutdown()))
                .build();
    }

    private Behavior<Command> onAttached(Attached attached, ActorRef<StreamAck> ackTo) {
        inboundQos2.addAll(attached.inboundQos2());
        Properties props = connect.version() == MqttVersion.V5
                ? decision.connAckProperties(connect, ctx.settings(), identity.connAckAuth())
                : Properties.EMPTY;
        outbox.offer(new ConnAck(sessionPresent, ConnectReasonCode.SUCCESS, props));
        if (sessionPresent) {
            recheck.start(); // the permissions may have changed while the session had no connection
        }
        int keepAlive = decision.keepAlive();
        if (keepAlive > 0) {
            // Checked at half the keep alive; the limit is one and a half times it (MQTT 5.0 3.1.2.10).
            timers.startTimerWithFixedDelay(
                    KeepAliveCheck.INSTANCE, Duration.ofMillis(Math.max(500, keepAlive * 500L)));
        }
        getContext()
                .getLog()
                .debug("Client '{}' connected from {} ({})", decision.clientId(), remote, connect.version());
        // A 3.1.1 client held to max-publish-rate stays read one packet at a time, so each PUBLISH over
        // the rate waits its turn (DelayedAck) instead of a window of them being routed at once.
        ackTo.tell(rateLimit != null && connect.version() != MqttVersion.V5 ? StreamAck.INSTANCE : StreamAck.WIDEN);
        ClientInfo info = clientInfo();
        return ConnectionFilters.around(
                this, ctx.extensions().filters(), info, getContext().getLog());
    }

    @Override
    public Receive<Command> createReceive() {
        Receive<Command> handlers = newReceiveBuilder()
                .onMessage(Inbound.class, this::onInbound)
                .onMessage(Filtered.class, this::onFiltered)
                .onMessage(Outbound.class, this::onOutbound)
                .onMessage(Subscribed.class, this::onSubscribed)
                .onMessage(ConnectionActor.Stored.class, inbound::onStored)
                .onMessage(ConnectionActor.SessionStarted.class, started -> {
                    session = started.session();
                    watchSession(session);
                    return this;
                })
                .onMessage(SessionLost.class, lost -> end(SESSION_LOST))
                .onMessage(Unsubscribed.class, this::onUnsubscribed)
                .onMessage(ConnectionActor.AccessChanged.class, changed -> recheck.onAccessChanged())
                .onMessage(ConnectionActor.Subscriptions.class, recheck::onSubscriptions)
                .onMessage(AckCheck.class, check -> {
                    Behavior<Command> next = inbound.onAckCheck();
                    if (pendingAcks.isEmpty()) {
                        timers.cancel(AckCheck.INSTANCE);
                    }
                    return next;
                })
                .onMessage(ConnectionActor.BrokerMoved.class, moved -> onBrokerMoved())
                .onMessage(KeepAliveCheck.class, this::onKeepAliveCheck)
                .onMessage(Reauthentication.StepDone.class, reauthentication::onStepDone)
                .onMessage(DelayedAck.class, d -> {
                    d.ackTo().tell(StreamAck.INSTANCE);
                    return this;
                })
                .onMessage(
                        TakenOver.class,
                        t -> end(Ending.byServer(DisconnectReasonCode.SESSION_TAKEN_OVER, "session taken over")))
                .onMessage(StreamCompleted.class, c -> end(Ending.lost("connection closed by client")))
                .onMessage(StreamFailed.class, this::onStreamFailed)
                .onMessage(ServerShutdown.class, s -> end(Ending.serverShutdown()))
                .build();
        return new SelfAsSame<>(this, handlers);
    }

    private Behavior<Command> onFiltered(Filtered f) {
        lastPacketNanos = System.nanoTime();
        Behavior<Command> next = inbound.rejected(f.packet(), f.reasonCode(), f.reason());
        f.ackTo().tell(StreamAck.INSTANCE);
        return next;
    }

    private Behavior<Command> onInbound(Inbound in) {
        lastPacketNanos = System.nanoTime();
        Behavior<Command> next = inbound.handle(in.packet());
        if (readDelayNanos > 0) {
            timers.startSingleTimer(new DelayedAck(in.ackTo()), Duration.ofNanos(readDelayNanos));
            readDelayNanos = 0;
        } else {
            in.ackTo().tell(StreamAck.INSTANCE);
        }
        return next;
    }

    private Behavior<Command> onOutbound(Outbound out) {
        return write(out.packet() instanceof Publish p ? topicAliases.toClient(p) : out.packet());
    }

    RateLimitedWarning quotaLog() {
        if (quotaLog == null) {
            quotaLog = new RateLimitedWarning(
                    getContext().getLog(),
                    "PUBLISH dropped: sessions hold max-queued-messages-total, client",
                    ctx.settings().dropLogInterval());
        }
        return quotaLog;
    }

    Behavior<Command> onAuth(Auth auth) {
        return reauthentication.onAuth(auth);
    }

    /** A Reason String for a reply, unless the client asked for no problem information (3.1.2.11.7). */
    Properties problemProperties(String reason) {
        return decision.problemInformation()
                ? Properties.builder().reasonString(reason).build()
                : Properties.EMPTY;
    }

    /**
     * The session this connection was to resume went with its node before the CONNACK: the client is
     * told the server is unavailable (CONNACK 0x88, or 3 for 3.1.1) and may connect again, to find a
     * new session; no DISCONNECT may come before a CONNACK (MQTT 5.0 section 3.14).
     */
    private Behavior<Command> refuseWhileConnecting() {
        outbox.offer(new ConnAck(false, ConnectReasonCode.SERVER_UNAVAILABLE, Properties.EMPTY));
        // A refused CONNECT has no Will to publish (its session never began).
        return end(new Ending(DisconnectReasonCode.UNSPECIFIED_ERROR, SESSION_LOST.reason(), false, false));
    }

    /**
     * A session on another node is watched: when that node fails, the client is disconnected (and
     * finds no session when it connects again) rather than kept on a session that no longer exists.
     */
    private void watchSession(ActorRef<SessionActor.Command> s) {
        if (s != null && !s.path().address().hasLocalScope()) {
            getContext().watchWith(s, SessionLost.INSTANCE);
        }
    }

    /**
     * Sends a SUBSCRIBE or UNSUBSCRIBE on to the BrokerActor and keeps it until answered, to be sent
     * again should the BrokerActor move (a cluster fail-over).
     */
    void askBroker(int packetId, BrokerActor.Command request) {
        if (!ctx.brokerLocation().mayMove()) {
            ctx.broker().tell(request); // answered once, by a BrokerActor that does not move
            return;
        }
        if (awaitingBroker == null) {
            awaitingBroker = new LinkedHashMap<>();
        }
        awaitingBroker.put(packetId, request);
        ctx.broker().tell(request);
    }

    /** Who the client is, as the authenticator and authorizer see it. */
    ClientInfo clientInfo() {
        return new ClientInfo(decision.clientId(), identity.username(), remote, connect.version());
    }

    private Behavior<Command> onBrokerMoved() {
        if (awaitingBroker != null) {
            awaitingBroker.values().forEach(ctx.broker()::tell);
        }
        // After the requests sent again: a revocation lost with the old BrokerActor is made again.
        return recheck.afterBrokerMoved();
    }

    /** On a cluster node, held acknowledgements are checked for answers that will not come. */
    void checkHeldAcks() {
        if (ctx.brokerLocation().mayMove() && !timers.isTimerActive(AckCheck.INSTANCE)) {
            timers.startTimerWithFixedDelay(AckCheck.INSTANCE, Duration.ofSeconds(1));
        }
    }

    /** Whether the request with this packet id was waiting for its answer (it is not any more). */
    private boolean answered(int packetId) {
        if (!ctx.brokerLocation().mayMove()) {
            return true;
        }
        if (awaitingBroker == null || awaitingBroker.remove(packetId) == null) {
            return false;
        }
        if (awaitingBroker.isEmpty()) {
            awaitingBroker = null; // most connections subscribe once: nothing kept for them afterwards
        }
        return true;
    }

    private Behavior<Command> onSubscribed(Subscribed s) {
        if (!answered(s.packetId())) {
            return this; // answered already: the request was sent again after a fail-over
        }
        write(new SubAck(s.packetId(), Properties.EMPTY, s.reasonCodes()));
        s.retained().forEach(session::tell);
        return this;
    }

    private Behavior<Command> onUnsubscribed(Unsubscribed u) {
        if (u.packetId() == BrokerActor.Unsubscribe.REVOCATION) {
            return recheck.onRevoked(u);
        }
        if (!answered(u.packetId())) {
            return this;
        }
        return write(new UnsubAck(u.packetId(), Properties.EMPTY, u.reasonCodes()));
    }

    private Behavior<Command> onKeepAliveCheck(KeepAliveCheck check) {
        long limitNanos = decision.keepAlive() * 1_500_000_000L;
        if (System.nanoTime() - lastPacketNanos > limitNanos) {
            return end(Ending.byServer(DisconnectReasonCode.KEEP_ALIVE_TIMEOUT, "keep alive timeout"));
        }
        return this;
    }

    private Behavior<Command> onStreamFailed(StreamFailed failed) {
        if (failed.cause() instanceof MqttFramingException e) {
            ctx.metrics().recordProtocolError();
            return end(
                    Ending.byServer(e.error().disconnectReasonCode(), e.error().reason()));
        }
        return end(Ending.lost("connection failed: " + failed.cause()));
    }

    /** How this connection takes its session. */
    SessionActor.Attach attachment() {
        return new SessionActor.Attach(
                connect.version(),
                sessionExpiry,
                decision.clientReceiveMaximum(),
                decision.clientMaximumPacketSize(),
                getContext().getSelf());
    }

    /** Writes to the client; a client that stopped reading is disconnected. */
    Behavior<Command> write(MqttPacket packet) {
        if (outbox.offer(packet)) {
            return this;
        }
        outbox.abort(new IllegalStateException("outbound queue full"));
        return end(Ending.lost("client does not read: outbound queue full"));
    }

    /**
     * Ends the connection: MQTT 5 clients get a DISCONNECT for any reason but a normal one they sent,
     * the Will goes to the BrokerActor unless the client disconnected normally, and the session keeps
     * what must survive.
     */
    Behavior<Command> end(Ending ending) {
        if (ending.sendDisconnect() && ending.reasonCode().isError()) {
            getContext().getLog().info("Closing '{}' ({}): {}", decision.clientId(), remote, ending.reason());
        } else {
            getContext().getLog().debug("Closing '{}' ({}): {}", decision.clientId(), remote, ending.reason());
        }
        if (connect.version() == MqttVersion.V5 && ending.sendDisconnect()) {
            outbox.offer(ending.disconnect());
        }
        outbox.close();
        if (session != null) {
            session.tell(new SessionActor.Detach(getContext().getSelf()));
        }
        Will handedOff = ending.publishWill() ? will : null;
        ctx.broker()
                .tell(new BrokerActor.ClientDisconnected(
                        decision.clientId(), getContext().getSelf(), handedOff, sessionExpiry));
        return Behaviors.stopped();
    }
}
