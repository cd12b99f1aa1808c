package dev.herald.mqtt.broker.internal;

import dev.herald.mqtt.auth.ClientInfo;
import dev.herald.mqtt.broker.internal.ConnectionActor.Command;
import dev.herald.mqtt.broker.internal.ConnectionActor.Filtered;
import dev.herald.mqtt.broker.internal.ConnectionActor.Inbound;
import dev.herald.mqtt.filter.FilterResult;
import dev.herald.mqtt.filter.PacketFilter;
import dev.herald.mqtt.message.MqttPacket;
import dev.herald.runtime.Middleware;
import dev.herald.runtime.RateLimitedWarning;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.typed.Behavior;
import org.slf4j.Logger;

/**
 * The application's {@link PacketFilter}s in front of a connected client's behavior, through the
 * runtime's {@link Middleware}: each inbound packet passes them in order and reaches the client as
 * it is, changed, or as a {@link Filtered} rejection the client answers.
 */
final class ConnectionFilters {

    private static final int IMPLEMENTATION_SPECIFIC_ERROR = 0x83;

    private ConnectionFilters() {}

    static Behavior<Command> around(
            Behavior<Command> connected, List<PacketFilter> filters, ClientInfo client, Logger log) {
        if (filters.isEmpty()) {
            return connected;
        }
        RateLimitedWarning failures = new RateLimitedWarning(
                log, "A packet filter failed, packet rejected with 0x83, client", Duration.ofSeconds(10));
        return Middleware.filter(Inbound.class, in -> apply(in, filters, client, failures), connected);
    }

    private static Command apply(
            Inbound in, List<PacketFilter> filters, ClientInfo client, RateLimitedWarning failures) {
        MqttPacket packet = in.packet();
        for (PacketFilter filter : filters) {
            FilterResult result;
            try {
                result = filter.filter(client, packet);
            } catch (RuntimeException e) {
                failures.happened(client.clientId(), e);
                return new Filtered(in.ackTo(), packet, IMPLEMENTATION_SPECIFIC_ERROR, "filter failed");
            }
            if (result instanceof FilterResult.Reject r) {
                return new Filtered(in.ackTo(), packet, r.reasonCode(), r.reason());
            }
            if (result instanceof FilterResult.Replace r) {
                if (r.packet().type() != packet.type()) {
                    failures.happened(
                            client.clientId(),
                            "it replaced a " + packet.type() + " with a "
                                    + r.packet().type());
                    return new Filtered(in.ackTo(), packet, IMPLEMENTATION_SPECIFIC_ERROR, "filter failed");
                }
                packet = r.packet();
            }
        }
        return packet == in.packet() ? in : new Inbound(in.ackTo(), packet);
    }
}
