package dev.herald.mqtt.broker.internal;

import dev.herald.mqtt.auth.ClientInfo;
import dev.herald.mqtt.broker.AccessControl;
import dev.herald.mqtt.broker.BrokerMetrics;
import dev.herald.mqtt.broker.BrokerSettings;
import dev.herald.mqtt.broker.ConnectionIdentity;
import dev.herald.mqtt.codec.DecodeError;
import dev.herald.mqtt.message.ConnAck;
import dev.herald.mqtt.message.Connect;
import dev.herald.mqtt.message.Disconnect;
import dev.herald.mqtt.message.MqttPacket;
import dev.herald.mqtt.message.MqttVersion;
import dev.herald.mqtt.message.property.MqttProperty;
import dev.herald.mqtt.message.property.Properties;
import dev.herald.mqtt.message.reason.ConnectReasonCode;
import dev.herald.mqtt.message.reason.DisconnectReasonCode;
import dev.herald.mqtt.message.reason.SubAckReasonCode;
import dev.herald.mqtt.message.reason.UnsubAckReasonCode;
import dev.herald.mqtt.store.internal.BrokerStore;
import dev.herald.mqtt.transport.MqttFramingException;
import dev.herald.runtime.CborSerializable;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.DeadLetterSuppression;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.util.ByteString;

/**
 * One network connection: the protocol state of its client and the only writer of its socket
 * (invariant 2). Packets arrive from the framing stage, each acknowledged by a {@link StreamAck}; the
 * stage hands over only a small window of them unacknowledged, so a fast client is slowed by TCP
 * instead of filling a mailbox.
 * Before CONNECT it only accepts CONNECT; then the session part is {@link ConnectedClient}.
 */
public final class ConnectionActor {

    public interface Command extends CborSerializable {}

    /**
     * The acknowledgement of a packet from the framing stage, which hands over at most a window of
     * packets not yet acknowledged: one until the client is connected, then {@link #WIDEN} opens it.
     * After the actor stopped, an acknowledgement or packet still on its way is no news (not logged).
     */
    public enum StreamAck implements DeadLetterSuppression {
        INSTANCE,
        /** Acknowledges, and lets the stage hand over several packets before their acknowledgements. */
        WIDEN
    }

    record StreamInit(ActorRef<StreamAck> ackTo) implements Command {}

    record Inbound(ActorRef<StreamAck> ackTo, MqttPacket packet) implements Command, DeadLetterSuppression {}

    /** The client closed its side; may come after the actor stopped (no dead-letter log then). */
    enum StreamCompleted implements Command, DeadLetterSuppression {
        INSTANCE
    }

    record StreamFailed(Throwable cause) implements Command, NoSerializationVerificationNeeded, DeadLetterSuppression {}

    /** A packet a filter rejected: the connection answers it with the reason code instead of acting on it. */
    record Filtered(ActorRef<StreamAck> ackTo, MqttPacket packet, int reasonCode, String reason) implements Command {}

    /** The BrokerActor's answer to a CONNECT: the session to attach to, and whether it existed. */
    public record SessionReady(ActorRef<SessionActor.Command> session, boolean sessionPresent) implements Command {}

    /** The session's answer to Attach, with the incoming QoS 2 packet ids it kept. */
    public record Attached(Set<Integer> inboundQos2) implements Command {}

    /** A packet for the client, from its session. */
    public record Outbound(MqttPacket packet) implements Command {}

    /** The subscriptions are in the routing snapshot: SUBACK may go out, then the retained messages. */
    public record Subscribed(int packetId, List<SubAckReasonCode> reasonCodes, List<SessionActor.Deliver> retained)
            implements Command {}

    public record Unsubscribed(int packetId, List<UnsubAckReasonCode> reasonCodes) implements Command {}

    /** The filters the client is subscribed to, the answer to {@link BrokerActor.SubscriptionsOf}. */
    public record Subscriptions(List<String> filters) implements Command {}

    /** The authorizer answers differently now: the permissions are asked again and the subscriptions checked. */
    enum AccessChanged implements Command {
        INSTANCE
    }

    /**
     * A clean session started at the first SUBSCRIBE, already attached to this connection; told before
     * the subscription is in the routing snapshot, so before anything the session sends.
     */
    public record SessionStarted(ActorRef<SessionActor.Command> session) implements Command {}

    /** A store a held-back acknowledgement waits for is on disk ({@code stored}) or failed. */
    public record Stored(long id, boolean stored) implements Command {}

    /** Another connection took over this client id (MQTT 5.0 section 3.1.4). */
    public enum TakenOver implements Command {
        INSTANCE
    }

    /** The broker is stopping: MQTT 5 clients get DISCONNECT 0x8B. */
    public enum ServerShutdown implements Command {
        INSTANCE
    }

    /**
     * The BrokerActor started again on another node (a cluster fail-over): requests it has not answered
     * may have been lost with the old one, so they are sent again (the BrokerActor takes a repeated
     * request as the same one).
     */
    enum BrokerMoved implements Command {
        INSTANCE
    }

    enum ConnectTimeout implements Command {
        INSTANCE
    }

    /** What a connection needs from the broker around it. */
    record Context(
            BrokerSettings settings,
            BrokerMetrics metrics,
            BrokerLocation brokerLocation,
            RoutingTable routing,
            AccessControl access,
            boolean overCapacity,
            ActorRef<ConnectionSupervisor.Command> supervisor,
            Extensions extensions,
            BrokerStore store,
            ConnectionWiring wiring) {

        /** Where the BrokerActor is now. */
        ActorRef<BrokerActor.Command> broker() {
            return brokerLocation.current();
        }
    }

    private ConnectionActor() {}

    /**
     * A connection's transport, handed to its actor once: an actor's Props (and so the behavior it
     * was spawned with) live as long as the actor, and must not keep the transport's graph blueprint.
     */
    static final class Transport {
        private Flow<ByteString, ByteString, NotUsed> flow;

        Transport(Flow<ByteString, ByteString, NotUsed> flow) {
            this.flow = flow;
        }

        Flow<ByteString, ByteString, NotUsed> take() {
            Flow<ByteString, ByteString, NotUsed> taken = flow;
            flow = null;
            return taken;
        }
    }

    static Behavior<Command> create(
            Context ctx, InetSocketAddress remote, Transport transport, ConnectionIdentity transportIdentity) {
        return Behaviors.setup(context -> {
            // Named here, not found by walking the stack at the first log call: once per connection.
            context.setLoggerName(ConnectionActor.class);
            ConnectionWiring.Wired wired = ctx.wiring().wire(context, transport.take());
            ActorRef<Command> self = context.getSelf();
            wired.socketClosed().whenComplete((done, failure) -> ctx.supervisor()
                    .tell(new ConnectionSupervisor.SocketClosed(self)));
            Outbox outbox = new Outbox(
                    wired.queue(),
                    ctx.metrics(),
                    context.getLog(),
                    ctx.settings().dropLogInterval());
            return ConnectionWiring.closeOnStop(outbox, Behaviors.withTimers(timers -> {
                timers.startSingleTimer(
                        ConnectTimeout.INSTANCE,
                        ConnectTimeout.INSTANCE,
                        ctx.settings().connectTimeout());
                return awaitingConnect(context, timers, ctx, outbox, remote, transportIdentity);
            }));
        });
    }

    private static Behavior<Command> awaitingConnect(
            ActorContext<Command> context,
            TimerScheduler<Command> timers,
            Context ctx,
            Outbox outbox,
            InetSocketAddress remote,
            ConnectionIdentity transportIdentity) {
        return Behaviors.receive(Command.class)
                .onMessage(StreamInit.class, init -> {
                    init.ackTo().tell(StreamAck.INSTANCE);
                    return Behaviors.same();
                })
                .onMessage(Inbound.class, in -> {
                    if (!(in.packet() instanceof Connect connect)) {
                        context.getLog()
                                .info(
                                        "{} sent {} before CONNECT: closing",
                                        remote,
                                        in.packet().type());
                        return closeQuietly(outbox);
                    }
                    return onConnect(context, timers, ctx, outbox, remote, transportIdentity, connect, in.ackTo());
                })
                .onMessage(StreamFailed.class, failed -> refuseUndecodable(context, ctx, outbox, remote, failed))
                .onMessage(ConnectTimeout.class, t -> {
                    context.getLog()
                            .info(
                                    "{} sent no CONNECT within {}: closing",
                                    remote,
                                    ctx.settings().connectTimeout());
                    return closeQuietly(outbox);
                })
                .onMessage(ServerShutdown.class, s -> closeQuietly(outbox))
                .onMessage(StreamCompleted.class, c -> closeQuietly(outbox))
                .build();
    }

    private static Behavior<Command> onConnect(
            ActorContext<Command> context,
            TimerScheduler<Command> timers,
            Context ctx,
            Outbox outbox,
            InetSocketAddress remote,
            ConnectionIdentity transportIdentity,
            Connect connect,
            ActorRef<StreamAck> ackTo) {
        ConnectDecision decision = ConnectDecision.of(connect, ctx.settings());
        ConnectReasonCode refusal = ctx.overCapacity()
                ? (connect.version() == MqttVersion.V5
                        ? ConnectReasonCode.SERVER_BUSY
                        : ConnectReasonCode.SERVER_UNAVAILABLE)
                : decision.refusal();
        Properties refusalProps = Properties.EMPTY;
        String reference = ctx.settings().serverReference();
        if (refusal == null && !reference.isEmpty()) {
            // Server redirection (MQTT 5.0 section 4.11); 3.1.1 gets 0x03 Server unavailable.
            refusal = ctx.settings().serverMoved()
                    ? ConnectReasonCode.SERVER_MOVED
                    : ConnectReasonCode.USE_ANOTHER_SERVER;
            refusalProps = Properties.builder()
                    .add(MqttProperty.SERVER_REFERENCE, reference)
                    .build();
        }
        if (refusal != null) {
            context.getLog().info("Refused CONNECT of '{}' from {}: {}", connect.clientId(), remote, refusal);
            outbox.offer(new ConnAck(false, refusal, refusalProps), connect.version());
            return closeQuietly(outbox);
        }
        outbox.configure(decision.clientId(), connect.version(), decision.clientMaximumPacketSize());
        // A username the transport verified (a TLS client certificate) replaces the CONNECT's.
        String verified = transportIdentity.verifiedUsername();
        ClientInfo client = new ClientInfo(
                decision.clientId(), verified != null ? verified : connect.username(), remote, connect.version());
        Authenticating.AdmitAction admit = (identity, ack) -> {
            timers.cancel(ConnectTimeout.INSTANCE);
            BrokerActor.ClientConnect request = new BrokerActor.ClientConnect(
                    decision.clientId(),
                    connect.cleanStart(),
                    decision.sessionExpiry(),
                    connect.will(),
                    context.getSelf());
            ctx.broker().tell(request);
            return ConnectedClient.connecting(
                    context, timers, ctx, outbox, remote, connect, decision, identity, ack, request);
        };
        return new Authenticating(context, ctx, outbox, connect, decision, client, verified != null, ackTo, admit)
                .begin();
    }

    /** A packet that failed to decode before CONNECT was accepted (MQTT 5.0 section 4.13.1). */
    private static Behavior<Command> refuseUndecodable(
            ActorContext<Command> context, Context ctx, Outbox outbox, InetSocketAddress remote, StreamFailed failed) {
        if (failed.cause() instanceof MqttFramingException e) {
            DecodeError error = e.error();
            ctx.metrics().recordProtocolError();
            context.getLog().info("Refused CONNECT from {}: {}", remote, error);
            int level = error.protocolLevel();
            if (error.reasonCode() == ConnectReasonCode.UNSUPPORTED_PROTOCOL_VERSION) {
                // 3.1.1 section 3.1.2.2 answers 0x01 in its own format; newer levels get the MQTT 5 code.
                MqttVersion reply = level < MqttVersion.V5.level() ? MqttVersion.V3_1_1 : MqttVersion.V5;
                outbox.offer(
                        new ConnAck(false, ConnectReasonCode.UNSUPPORTED_PROTOCOL_VERSION, Properties.EMPTY), reply);
            } else if (level == MqttVersion.V5.level()) {
                outbox.offer(new ConnAck(false, error.connectReasonCode(), Properties.EMPTY), MqttVersion.V5);
            }
        }
        return closeQuietly(outbox);
    }

    /** Closes a connection that never had a session: nothing to hand over. */
    private static Behavior<Command> closeQuietly(Outbox outbox) {
        outbox.close();
        return Behaviors.stopped();
    }

    /**
     * How a connection ends: the reason to log and, when the server ends it, to send to an MQTT 5
     * client in DISCONNECT; and whether the Will is published (MQTT 5.0 section 3.1.2.5).
     */
    record Ending(DisconnectReasonCode reasonCode, String reason, boolean publishWill, boolean sendDisconnect) {

        /** The server ends the connection; the Will is published. */
        static Ending byServer(DisconnectReasonCode code, String reason) {
            return new Ending(code, reason, true, true);
        }

        static Ending protocolError(String reason) {
            return byServer(DisconnectReasonCode.PROTOCOL_ERROR, reason);
        }

        /** The broker stops: DISCONNECT 0x8B, and no Will (the client did nothing wrong). */
        static Ending serverShutdown() {
            return new Ending(DisconnectReasonCode.SERVER_SHUTTING_DOWN, "server shutting down", false, true);
        }

        /** The network connection ended without DISCONNECT; the Will is published. */
        static Ending lost(String reason) {
            return new Ending(DisconnectReasonCode.UNSPECIFIED_ERROR, reason, true, false);
        }

        /** The client sent DISCONNECT; only reason 0x04 asks for the Will. */
        static Ending byClient(DisconnectReasonCode code) {
            return new Ending(
                    code,
                    "client disconnected: " + code,
                    code == DisconnectReasonCode.DISCONNECT_WITH_WILL_MESSAGE,
                    false);
        }

        /** The DISCONNECT for an MQTT 5 client, with the reason as Reason String when it is an error. */
        Disconnect disconnect() {
            Properties props = reasonCode.isError()
                    ? Properties.builder().reasonString(reason).build()
                    : Properties.EMPTY;
            return new Disconnect(reasonCode, props);
        }
    }
}
