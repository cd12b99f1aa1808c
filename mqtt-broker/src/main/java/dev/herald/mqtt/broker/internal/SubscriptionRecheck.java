package dev.herald.mqtt.broker.internal;

import dev.herald.mqtt.auth.Permissions;
import dev.herald.mqtt.broker.internal.ConnectionActor.Command;
import dev.herald.mqtt.message.SharedFilter;
import dev.herald.mqtt.message.reason.UnsubAckReasonCode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.apache.pekko.actor.typed.Behavior;

/**
 * Takes back the subscriptions a connected client's permissions no longer allow, when they may have
 * changed: the authorizer answers differently (the ACL file was loaded again, or the application said
 * so with {@code EmbeddedBroker.accessChanged()}), the client re-authenticated, or it resumed a
 * session it left under other permissions. The BrokerActor is asked for the client's filters, and
 * those refused now are unsubscribed with {@link BrokerActor.Unsubscribe#REVOCATION}, which no client
 * sees answered (MQTT has no packet to tell it; its messages on those topics stop). A client with
 * every permission has nothing to check.
 */
final class SubscriptionRecheck {

    private final ConnectedClient c;
    // The filters of each revocation not answered yet; the BrokerActor answers in turn.
    private final Deque<List<String>> revoking = new ArrayDeque<>();

    SubscriptionRecheck(ConnectedClient client) {
        this.c = client;
    }

    Behavior<Command> start() {
        if (c.permissions != Permissions.ALL) {
            c.ctx.broker()
                    .tell(new BrokerActor.SubscriptionsOf(
                            c.decision.clientId(), c.getContext().getSelf()));
        }
        return c;
    }

    /** The authorizer answers differently now: the permissions are asked again, then checked. */
    Behavior<Command> onAccessChanged() {
        try {
            c.permissions = c.ctx.access().authorizer().permissionsFor(c.clientInfo());
        } catch (RuntimeException e) {
            c.getContext()
                    .getLog()
                    .warn(
                            "The authorizer failed for '{}', which keeps its permissions: {}",
                            c.decision.clientId(),
                            e.toString());
            return c;
        }
        return start();
    }

    /** A revocation sent to a BrokerActor that has moved since may have been lost with it. */
    Behavior<Command> afterBrokerMoved() {
        return start();
    }

    Behavior<Command> onSubscriptions(ConnectionActor.Subscriptions current) {
        List<String> refused = refused(current.filters(), c.permissions);
        if (!refused.isEmpty()) {
            revoking.add(refused);
            c.ctx.broker()
                    .tell(new BrokerActor.Unsubscribe(
                            c.decision.clientId(),
                            BrokerActor.Unsubscribe.REVOCATION,
                            refused,
                            c.getContext().getSelf()));
        }
        return c;
    }

    /** The broker's answer to a revocation: what it removed is logged. */
    Behavior<Command> onRevoked(ConnectionActor.Unsubscribed answer) {
        List<String> asked = revoking.isEmpty() ? List.of() : revoking.remove();
        List<String> removed = new ArrayList<>();
        for (int i = 0; i < answer.reasonCodes().size() && i < asked.size(); i++) {
            if (answer.reasonCodes().get(i) == UnsubAckReasonCode.SUCCESS) {
                removed.add(asked.get(i));
            }
        }
        if (!removed.isEmpty()) {
            c.getContext()
                    .getLog()
                    .info(
                            "Removed the subscriptions of '{}' (user '{}') its permissions no longer allow: {}",
                            c.decision.clientId(),
                            c.identity.username(),
                            removed);
        }
        return c;
    }

    /** The filters (as subscribed, {@code $share/...} included) that {@code permissions} refuse. */
    static List<String> refused(List<String> filters, Permissions permissions) {
        List<String> refused = new ArrayList<>();
        for (String filter : filters) {
            SharedFilter shared = SharedFilter.isShared(filter) ? SharedFilter.parse(filter) : null;
            if (!permissions.maySubscribe(shared != null ? shared.filter() : filter)) {
                refused.add(filter);
            }
        }
        return refused;
    }
}
