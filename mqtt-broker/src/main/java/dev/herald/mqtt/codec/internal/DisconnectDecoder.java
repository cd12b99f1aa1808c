package dev.herald.mqtt.codec.internal;

import static dev.herald.mqtt.codec.internal.DecodeException.malformed;

import dev.herald.mqtt.message.Disconnect;
import dev.herald.mqtt.message.MqttPacket;
import dev.herald.mqtt.message.MqttVersion;
import dev.herald.mqtt.message.property.Properties;
import dev.herald.mqtt.message.property.PropertyScope;
import dev.herald.mqtt.message.reason.DisconnectReasonCode;

/** DISCONNECT (MQTT 5.0 section 3.14): no reason code means Normal disconnection. */
final class DisconnectDecoder implements PacketDecoder {

    @Override
    public MqttPacket decode(PacketReader r, int flags, MqttVersion version) {
        PacketDecoder.requireFlags(flags, 0, "DISCONNECT");
        if (version != MqttVersion.V5 || r.remaining() == 0) {
            r.expectEnd("DISCONNECT");
            return Disconnect.NORMAL;
        }
        int code = r.readByte("DISCONNECT reason code");
        DisconnectReasonCode reason = DisconnectReasonCode.of(code);
        if (reason == null) {
            throw malformed(String.format("invalid DISCONNECT reason code 0x%02X", code));
        }
        Properties properties = r.remaining() > 0 ? r.readProperties(PropertyScope.DISCONNECT) : Properties.EMPTY;
        r.expectEnd("DISCONNECT");
        return new Disconnect(reason, properties);
    }
}
