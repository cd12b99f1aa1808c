package dev.herald.mqtt.codec.internal;

import static dev.herald.mqtt.codec.internal.DecodeException.malformed;

import dev.herald.mqtt.message.MqttPacket;
import dev.herald.mqtt.message.MqttVersion;
import dev.herald.mqtt.message.SubAck;
import dev.herald.mqtt.message.property.Properties;
import dev.herald.mqtt.message.property.PropertyScope;
import dev.herald.mqtt.message.reason.SubAckReasonCode;
import java.util.ArrayList;
import java.util.List;

/** SUBACK (MQTT 5.0 section 3.9, 3.1.1 section 3.9). */
final class SubAckDecoder implements PacketDecoder {

    @Override
    public MqttPacket decode(PacketReader r, int flags, MqttVersion version) {
        PacketDecoder.requireFlags(flags, 0, "SUBACK");
        int packetId = r.readPacketId();
        boolean v5 = version == MqttVersion.V5;
        Properties properties = v5 ? r.readProperties(PropertyScope.SUBACK) : Properties.EMPTY;
        List<SubAckReasonCode> codes = new ArrayList<>(2);
        while (r.remaining() > 0) {
            int code = r.readByte("SUBACK reason code");
            SubAckReasonCode reason = v5 ? SubAckReasonCode.of(code) : V3ReturnCodes.subAckReasonCode(code);
            if (reason == null) {
                throw malformed(String.format("invalid SUBACK reason code 0x%02X", code));
            }
            codes.add(reason);
        }
        if (codes.isEmpty()) {
            throw DecodeException.protocolError("SUBACK without reason codes");
        }
        return new SubAck(packetId, properties, codes);
    }
}
