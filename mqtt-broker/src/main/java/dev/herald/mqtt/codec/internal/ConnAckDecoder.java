package dev.herald.mqtt.codec.internal;

import static dev.herald.mqtt.codec.internal.DecodeException.malformed;

import dev.herald.mqtt.message.ConnAck;
import dev.herald.mqtt.message.MqttPacket;
import dev.herald.mqtt.message.MqttVersion;
import dev.herald.mqtt.message.property.Properties;
import dev.herald.mqtt.message.property.PropertyScope;
import dev.herald.mqtt.message.reason.ConnectReasonCode;

/** CONNACK (MQTT 5.0 section 3.2, 3.1.1 section 3.2). */
final class ConnAckDecoder implements PacketDecoder {

    @Override
    public MqttPacket decode(PacketReader r, int flags, MqttVersion version) {
        PacketDecoder.requireFlags(flags, 0, "CONNACK");
        int ackFlags = r.readByte("connect acknowledge flags");
        if ((ackFlags & 0xFE) != 0) {
            throw malformed("reserved connect acknowledge flags are set");
        }
        int code = r.readByte("connect reason code");
        ConnectReasonCode reason =
                version == MqttVersion.V5 ? ConnectReasonCode.of(code) : V3ReturnCodes.connectReasonCode(code);
        if (reason == null) {
            throw malformed(String.format("invalid CONNACK reason code 0x%02X", code));
        }
        Properties properties = version == MqttVersion.V5 ? r.readProperties(PropertyScope.CONNACK) : Properties.EMPTY;
        r.expectEnd("CONNACK");
        return new ConnAck((ackFlags & 0x01) != 0, reason, properties);
    }
}
