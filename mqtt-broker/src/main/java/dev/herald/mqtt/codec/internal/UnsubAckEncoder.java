package dev.herald.mqtt.codec.internal;

import dev.herald.mqtt.message.MqttVersion;
import dev.herald.mqtt.message.UnsubAck;
import dev.herald.mqtt.message.reason.UnsubAckReasonCode;

/** UNSUBACK; the 3.1.1 form is the packet id alone. */
final class UnsubAckEncoder implements PacketEncoder<UnsubAck> {

    @Override
    public int bodyLength(UnsubAck p, MqttVersion version, int trim) {
        return PacketEncoder.v5(version)
                ? 2
                        + PacketWriter.propertiesLength(p.properties(), trim)
                        + p.reasonCodes().size()
                : 2;
    }

    @Override
    public void writeBody(UnsubAck p, MqttVersion version, int trim, PacketWriter w) {
        w.writeShort(p.packetId());
        if (PacketEncoder.v5(version)) {
            w.writeProperties(p.properties(), trim);
            for (UnsubAckReasonCode code : p.reasonCodes()) {
                w.writeByte(code.code());
            }
        }
    }
}
