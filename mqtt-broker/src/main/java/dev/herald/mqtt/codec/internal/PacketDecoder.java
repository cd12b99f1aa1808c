package dev.herald.mqtt.codec.internal;

import dev.herald.mqtt.message.MqttPacket;
import dev.herald.mqtt.message.MqttVersion;

/** Decodes the variable header and payload of one packet type; the reader holds exactly its bytes. */
public interface PacketDecoder {

    MqttPacket decode(PacketReader reader, int flags, MqttVersion version);

    static void requireFlags(int flags, int expected, String packetName) {
        if (flags != expected) {
            throw DecodeException.malformed(
                    String.format("%s fixed header flags must be 0x%X, not 0x%X", packetName, expected, flags));
        }
    }
}
