package dev.herald.mqtt.broker.internal;

import dev.herald.mqtt.auth.ClientInfo;
import dev.herald.mqtt.broker.internal.ConnectionActor.Command;
import dev.herald.mqtt.broker.internal.ConnectionActor.Filtered;
import dev.herald.mqtt.broker.internal.ConnectionActor.Inbound;
import dev.herald.mqtt.filter.FilterResult;
import dev.herald.mqtt.filter.PacketFilter;
import dev.herald.mqtt.message.MqttPacket;
import dev.herald.runtime.Middleware;
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
        RateLimitedLog failures = new RateLimitedLog(java.time.Duration.ofSeconds(10));
        return Middleware.filter(Inbound.class, in -> apply(in, filters, client, log, failures), connected);
    }

    private static Command apply(
            Inbound in, List<PacketFilter> filters, ClientInfo client, Logger log, RateLimitedLog failures) {
        MqttPacket packet = in.packet();
        for (PacketFilter filter : filters) {
            FilterResult result;
            try {
                result = filter.filter(client, packet);
            } catch (RuntimeException e) {
                failures.warn(
                        log, "A packet filter failed (" + e + "), rejecting the packet of client", client.clientId());
                return new Filtered(in.ackTo(), packet, IMPLEMENTATION_SPECIFIC_ERROR, "filter failed");
            }
            if (result instanceof FilterResult.Reject r) {
                return new Filtered(in.ackTo(), packet, r.reasonCode(), r.reason());
            }
            if (result instanceof FilterResult.Replace r) {
                if (r.packet().type() != packet.type()) {
                    failures.warn(
                            log,
                            "A packet filter replaced a " + packet.type() + " with a "
                                    + r.packet().type() + ", rejecting the packet of client",
                            client.clientId());
                    return new Filtered(in.ackTo(), packet, IMPLEMENTATION_SPECIFIC_ERROR, "filter failed");
                }
                packet = r.packet();
            }
        }
        return packet == in.packet() ? in : new Inbound(in.ackTo(), packet);
    }
}
