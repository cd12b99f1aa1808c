package dev.herald.mqtt.codec.internal;

import dev.herald.mqtt.message.MqttPacket;
import dev.herald.mqtt.message.MqttVersion;

/** PINGREQ and PINGRESP (MQTT 5.0 sections 3.12 and 3.13): no flags, no body. */
final class EmptyDecoder implements PacketDecoder {

    private final MqttPacket packet;

    EmptyDecoder(MqttPacket packet) {
        this.packet = packet;
    }

    @Override
    public MqttPacket decode(PacketReader r, int flags, MqttVersion version) {
        PacketDecoder.requireFlags(flags, 0, packet.type().name());
        r.expectEnd(packet.type().name());
        return packet;
    }
}
