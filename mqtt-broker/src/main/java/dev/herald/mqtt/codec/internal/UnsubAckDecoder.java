package dev.herald.mqtt.codec.internal;

import static dev.herald.mqtt.codec.internal.DecodeException.malformed;

import dev.herald.mqtt.message.MqttPacket;
import dev.herald.mqtt.message.MqttVersion;
import dev.herald.mqtt.message.UnsubAck;
import dev.herald.mqtt.message.property.Properties;
import dev.herald.mqtt.message.property.PropertyScope;
import dev.herald.mqtt.message.reason.UnsubAckReasonCode;
import java.util.ArrayList;
import java.util.List;

/** UNSUBACK (MQTT 5.0 section 3.11); the 3.1.1 form (section 3.11) is a packet id alone. */
final class UnsubAckDecoder implements PacketDecoder {

    @Override
    public MqttPacket decode(PacketReader r, int flags, MqttVersion version) {
        PacketDecoder.requireFlags(flags, 0, "UNSUBACK");
        int packetId = r.readPacketId();
        if (version != MqttVersion.V5) {
            r.expectEnd("UNSUBACK");
            return new UnsubAck(packetId, Properties.EMPTY, List.of());
        }
        Properties properties = r.readProperties(PropertyScope.UNSUBACK);
        List<UnsubAckReasonCode> codes = new ArrayList<>(2);
        while (r.remaining() > 0) {
            int code = r.readByte("UNSUBACK reason code");
            UnsubAckReasonCode reason = UnsubAckReasonCode.of(code);
            if (reason == null) {
                throw malformed(String.format("invalid UNSUBACK reason code 0x%02X", code));
            }
            codes.add(reason);
        }
        if (codes.isEmpty()) {
            throw DecodeException.protocolError("UNSUBACK without reason codes");
        }
        return new UnsubAck(packetId, properties, codes);
    }
}
