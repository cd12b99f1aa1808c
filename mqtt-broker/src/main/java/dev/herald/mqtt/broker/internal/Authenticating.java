package dev.herald.mqtt.broker.internal;

import dev.herald.mqtt.auth.AuthExchange;
import dev.herald.mqtt.auth.AuthOutcome;
import dev.herald.mqtt.auth.ClientInfo;
import dev.herald.mqtt.auth.Permissions;
import dev.herald.mqtt.broker.internal.ConnectionActor.Command;
import dev.herald.mqtt.broker.internal.ConnectionActor.ConnectTimeout;
import dev.herald.mqtt.broker.internal.ConnectionActor.Inbound;
import dev.herald.mqtt.broker.internal.ConnectionActor.ServerShutdown;
import dev.herald.mqtt.broker.internal.ConnectionActor.StreamAck;
import dev.herald.mqtt.broker.internal.ConnectionActor.StreamCompleted;
import dev.herald.mqtt.broker.internal.ConnectionActor.StreamFailed;
import dev.herald.mqtt.message.Auth;
import dev.herald.mqtt.message.ConnAck;
import dev.herald.mqtt.message.Connect;
import dev.herald.mqtt.message.Disconnect;
import dev.herald.mqtt.message.MqttVersion;
import dev.herald.mqtt.message.property.MqttProperty;
import dev.herald.mqtt.message.property.Properties;
import dev.herald.mqtt.message.reason.AuthReasonCode;
import dev.herald.mqtt.message.reason.ConnectReasonCode;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.util.ByteString;

/**
 * A CONNECT being authenticated (MQTT 5.0 sections 3.1.4 and 4.12): a password check, or an enhanced
 * authentication exchange of AUTH packets when the CONNECT named an Authentication Method. The
 * authenticator answers through a stage, so the connection's actor never blocks on it; the client's
 * next packet is not read until the current step is answered. The connect timeout still runs.
 */
final class Authenticating {

    /** The authenticator's answer to one step. */
    private record StepDone(AuthOutcome outcome, Throwable failure) implements Command {}

    private final ActorContext<Command> context;
    private final ConnectionActor.Context ctx;
    private final Outbox outbox;
    private final Connect connect;
    private final ConnectDecision decision;
    private final ClientInfo client;
    // The transport verified client.username() (a TLS client certificate): it authenticates the client.
    private final boolean verifiedByTransport;
    private final String method;
    private final AdmitAction admit;
    private AuthExchange exchange;
    private ActorRef<StreamAck> ackTo;

    /** What happens once the client is authenticated: the connection goes on as {@link ConnectedClient}. */
    interface AdmitAction {
        Behavior<Command> admit(Identity identity, ActorRef<StreamAck> ackTo);
    }

    /** Call {@link #begin} next: it asks the authenticator and returns the behavior that waits. */
    Authenticating(
            ActorContext<Command> context,
            ConnectionActor.Context ctx,
            Outbox outbox,
            Connect connect,
            ConnectDecision decision,
            ClientInfo client,
            boolean verifiedByTransport,
            ActorRef<StreamAck> ackTo,
            AdmitAction admit) {
        this.context = context;
        this.ctx = ctx;
        this.outbox = outbox;
        this.connect = connect;
        this.decision = decision;
        this.client = client;
        this.verifiedByTransport = verifiedByTransport;
        this.ackTo = ackTo;
        this.admit = admit;
        this.method = connect.version() == MqttVersion.V5
                ? connect.properties().string(MqttProperty.AUTHENTICATION_METHOD)
                : null;
    }

    Behavior<Command> begin() {
        CompletionStage<AuthOutcome> first;
        try {
            if (method == null && verifiedByTransport) {
                // Like Mosquitto's use_identity_as_username: the certificate is the credential.
                first = CompletableFuture.completedFuture(AuthOutcome.accepted(client.username()));
            } else if (method == null) {
                first = ctx.access().authenticator().authenticate(client, connect.password());
            } else if (!ctx.access().authenticator().methods().contains(method)) {
                return refuse(AuthOutcome.Reason.BAD_METHOD, "unsupported authentication method '" + method + "'");
            } else {
                exchange = ctx.access().authenticator().begin(method, client);
                first = exchange.step(data(connect.properties()));
            }
        } catch (RuntimeException e) {
            return refuse(AuthOutcome.Reason.UNAVAILABLE, "authenticator failed: " + e);
        }
        if (first instanceof CompletableFuture<AuthOutcome> done && done.isDone()) {
            // Answered at once (anonymous access, a cached password): no round trip through the mailbox,
            // and no waiting behavior to build.
            Behavior<Command> next;
            try {
                next = onStepDone(new StepDone(done.join(), null));
            } catch (CompletionException | CancellationException e) {
                next = onStepDone(new StepDone(null, e));
            }
            return next == Behaviors.<Command>same() ? waiting() : next;
        }
        context.pipeToSelf(first, StepDone::new);
        return waiting();
    }

    private Behavior<Command> waiting() {
        return Behaviors.receive(Command.class)
                .onMessage(StepDone.class, this::onStepDone)
                .onMessage(Inbound.class, this::onInbound)
                .onMessage(
                        ConnectTimeout.class,
                        t -> close("no authentication within " + ctx.settings().connectTimeout()))
                .onMessage(StreamFailed.class, f -> close("connection failed during authentication: " + f.cause()))
                .onMessage(StreamCompleted.class, c -> close("connection closed during authentication"))
                .onMessage(ServerShutdown.class, s -> close("server shutting down"))
                .build();
    }

    private Behavior<Command> onStepDone(StepDone done) {
        if (done.failure() != null) {
            return refuse(AuthOutcome.Reason.UNAVAILABLE, "authenticator failed: " + done.failure());
        }
        if (done.outcome() instanceof AuthOutcome.Refused r) {
            return refuse(r.reason(), r.detail());
        }
        if (done.outcome() instanceof AuthOutcome.Challenge c) {
            if (exchange == null) {
                return refuse(AuthOutcome.Reason.UNAVAILABLE, "authenticator challenged a CONNECT without a method");
            }
            outbox.offer(new Auth(AuthReasonCode.CONTINUE_AUTHENTICATION, authProperties(c.serverData())));
            ackTo.tell(StreamAck.INSTANCE); // read the client's answer
            return Behaviors.same();
        }
        AuthOutcome.Accepted accepted = (AuthOutcome.Accepted) done.outcome();
        String username = verifiedByTransport ? client.username() : accepted.username();
        Permissions permissions;
        try {
            permissions = ctx.access().authorizer().permissionsFor(client.withUsername(username));
        } catch (RuntimeException e) {
            return refuse(AuthOutcome.Reason.UNAVAILABLE, "authorizer failed: " + e);
        }
        if (connect.will() != null && !permissions.mayPublish(connect.will().topic())) {
            // Checked now, not when the Will is published: the client learns of it while it can still act.
            return refuse(
                    AuthOutcome.Reason.NOT_AUTHORIZED,
                    "not authorized to publish its Will to '" + connect.will().topic() + "'");
        }
        Properties connAckAuth = method == null ? Properties.EMPTY : authProperties(accepted.serverData());
        return admit.admit(new Identity(username, permissions, method, connAckAuth), ackTo);
    }

    private Behavior<Command> onInbound(Inbound in) {
        ackTo = in.ackTo();
        if (in.packet() instanceof Disconnect) {
            return close("client disconnected during authentication");
        }
        if (!(in.packet() instanceof Auth auth)
                || exchange == null
                || auth.reasonCode() != AuthReasonCode.CONTINUE_AUTHENTICATION
                || !method.equals(auth.properties().string(MqttProperty.AUTHENTICATION_METHOD))) {
            // MQTT 5.0 section 4.12: only AUTH 0x18 with the same method may answer a challenge.
            ctx.metrics().recordProtocolError();
            return refuseWith(ConnectReasonCode.PROTOCOL_ERROR, in.packet().type() + " during authentication");
        }
        context.pipeToSelf(exchange.step(data(auth.properties())), StepDone::new);
        return Behaviors.same();
    }

    private Properties authProperties(ByteString data) {
        Properties.Builder b = Properties.builder().add(MqttProperty.AUTHENTICATION_METHOD, method);
        if (!data.isEmpty()) {
            b.add(MqttProperty.AUTHENTICATION_DATA, data);
        }
        return b.build();
    }

    private static ByteString data(Properties props) {
        ByteString data = props.binary(MqttProperty.AUTHENTICATION_DATA);
        return data != null ? data : ByteString.emptyByteString();
    }

    private Behavior<Command> refuse(AuthOutcome.Reason reason, String detail) {
        ctx.metrics().recordAuthFailure();
        return refuseWith(reason.connectReasonCode(), detail);
    }

    private Behavior<Command> refuseWith(ConnectReasonCode code, String detail) {
        context.getLog()
                .info(
                        "Refused CONNECT of '{}' (user '{}') from {}: {} ({})",
                        decision.clientId(),
                        client.username(),
                        client.remote(),
                        code,
                        detail);
        outbox.offer(new ConnAck(false, code, Properties.EMPTY), connect.version());
        return close(null);
    }

    private Behavior<Command> close(String why) {
        if (why != null) {
            context.getLog().info("Closing '{}' ({}): {}", decision.clientId(), client.remote(), why);
        }
        outbox.close();
        return Behaviors.stopped();
    }
}
