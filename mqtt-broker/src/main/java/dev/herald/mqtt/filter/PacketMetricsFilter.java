package dev.herald.mqtt.filter;

import dev.herald.mqtt.auth.ClientInfo;
import dev.herald.mqtt.message.MqttPacket;
import dev.herald.mqtt.message.PacketType;
import dev.herald.mqtt.message.Publish;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts what clients send, by packet type, and the payload bytes of their PUBLISHes; it passes
 * everything. Counters only add (any connection's thread), readers take sums.
 */
public final class PacketMetricsFilter implements PacketFilter {

    private final Map<PacketType, LongAdder> packets = new EnumMap<>(PacketType.class);
    private final LongAdder payloadBytes = new LongAdder();

    public PacketMetricsFilter() {
        for (PacketType type : PacketType.values()) {
            packets.put(type, new LongAdder());
        }
    }

    @Override
    public FilterResult filter(ClientInfo client, MqttPacket packet) {
        packets.get(packet.type()).increment();
        if (packet instanceof Publish p) {
            payloadBytes.add(p.payload().size());
        }
        return FilterResult.pass();
    }

    /** Packets received from connected clients of this type. */
    public long packets(PacketType type) {
        return packets.get(type).sum();
    }

    /** Payload bytes of the PUBLISHes received. */
    public long payloadBytes() {
        return payloadBytes.sum();
    }
}
