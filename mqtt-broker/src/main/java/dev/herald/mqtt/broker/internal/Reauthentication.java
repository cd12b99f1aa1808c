package dev.herald.mqtt.broker.internal;

import dev.herald.mqtt.auth.AuthExchange;
import dev.herald.mqtt.auth.AuthOutcome;
import dev.herald.mqtt.broker.internal.ConnectionActor.Command;
import dev.herald.mqtt.broker.internal.ConnectionActor.Ending;
import dev.herald.mqtt.message.Auth;
import dev.herald.mqtt.message.property.MqttProperty;
import dev.herald.mqtt.message.property.Properties;
import dev.herald.mqtt.message.reason.AuthReasonCode;
import dev.herald.mqtt.message.reason.DisconnectReasonCode;
import java.util.Objects;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.util.ByteString;

/**
 * Re-authentication of a connected client (MQTT 5.0 section 4.12.1): AUTH 0x19 with the method of
 * its CONNECT starts an exchange with the authenticator, AUTH 0x18 continues it; success answers AUTH
 * 0x00 and renews the client's permissions, failure ends the connection with DISCONNECT 0x87. The
 * client goes on publishing meanwhile. A client must stay who it was: another identity is refused.
 */
final class Reauthentication {

    /** The authenticator's answer to one step. */
    record StepDone(AuthOutcome outcome, Throwable failure) implements Command {}

    private final ConnectedClient c;
    private AuthExchange exchange;

    Reauthentication(ConnectedClient client) {
        this.c = client;
    }

    Behavior<Command> onAuth(Auth auth) {
        String method = c.identity.authMethod();
        if (method == null || !method.equals(auth.properties().string(MqttProperty.AUTHENTICATION_METHOD))) {
            return protocolError("AUTH without the authentication method of the CONNECT"); // MQTT-4.12.1-1
        }
        boolean starts = auth.reasonCode() == AuthReasonCode.RE_AUTHENTICATE && exchange == null;
        if (!starts && (auth.reasonCode() != AuthReasonCode.CONTINUE_AUTHENTICATION || exchange == null)) {
            return protocolError("AUTH " + auth.reasonCode() + " out of turn");
        }
        ByteString data = auth.properties().binary(MqttProperty.AUTHENTICATION_DATA);
        try {
            if (starts) {
                exchange = c.ctx.access().authenticator().begin(method, c.clientInfo());
            }
            c.getContext().pipeToSelf(exchange.step(data != null ? data : ByteString.emptyByteString()), StepDone::new);
        } catch (RuntimeException e) {
            return fail("authenticator failed: " + e);
        }
        return c;
    }

    Behavior<Command> onStepDone(StepDone done) {
        if (done.failure() != null) {
            return fail("authenticator failed: " + done.failure());
        }
        if (done.outcome() instanceof AuthOutcome.Refused r) {
            return fail(r.reason() + ": " + r.detail());
        }
        if (done.outcome() instanceof AuthOutcome.Challenge ch) {
            return c.write(new Auth(AuthReasonCode.CONTINUE_AUTHENTICATION, properties(ch.serverData())));
        }
        AuthOutcome.Accepted accepted = (AuthOutcome.Accepted) done.outcome();
        exchange = null;
        if (!Objects.equals(accepted.username(), c.identity.username())) {
            return fail(
                    "re-authenticated as '" + accepted.username() + "', connected as '" + c.identity.username() + "'");
        }
        try {
            c.permissions = c.ctx.access().authorizer().permissionsFor(c.clientInfo());
        } catch (RuntimeException e) {
            return fail("authorizer failed: " + e);
        }
        c.recheck.start();
        return c.write(new Auth(AuthReasonCode.SUCCESS, properties(accepted.serverData())));
    }

    private Properties properties(ByteString data) {
        Properties.Builder b = Properties.builder().add(MqttProperty.AUTHENTICATION_METHOD, c.identity.authMethod());
        if (!data.isEmpty()) {
            b.add(MqttProperty.AUTHENTICATION_DATA, data);
        }
        return b.build();
    }

    private Behavior<Command> fail(String reason) {
        c.ctx.metrics().recordAuthFailure();
        return c.end(Ending.byServer(DisconnectReasonCode.NOT_AUTHORIZED, "re-authentication failed: " + reason));
    }

    private Behavior<Command> protocolError(String reason) {
        c.ctx.metrics().recordProtocolError();
        return c.end(Ending.protocolError(reason));
    }
}
