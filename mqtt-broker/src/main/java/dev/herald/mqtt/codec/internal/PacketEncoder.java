package dev.herald.mqtt.codec.internal;

import dev.herald.mqtt.message.MqttPacket;
import dev.herald.mqtt.message.MqttVersion;

/**
 * Encodes the variable header and payload of one packet type in two passes: {@link #bodyLength}
 * first, then {@link #writeBody} into an array of exactly that size. {@code trim} is a
 * {@link PacketWriter} trim level.
 */
public interface PacketEncoder<P extends MqttPacket> {

    /** The low nibble of the fixed header's first byte. */
    default int flags(P packet) {
        return 0;
    }

    int bodyLength(P packet, MqttVersion version, int trim);

    void writeBody(P packet, MqttVersion version, int trim, PacketWriter w);

    static boolean v5(MqttVersion version) {
        return version == MqttVersion.V5;
    }
}
