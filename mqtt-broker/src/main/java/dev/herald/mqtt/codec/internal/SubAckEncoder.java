package dev.herald.mqtt.codec.internal;

import dev.herald.mqtt.message.MqttVersion;
import dev.herald.mqtt.message.SubAck;
import dev.herald.mqtt.message.reason.SubAckReasonCode;

/** SUBACK; 3.1.1 writes every failure as 0x80. */
final class SubAckEncoder implements PacketEncoder<SubAck> {

    @Override
    public int bodyLength(SubAck p, MqttVersion version, int trim) {
        return 2
                + (PacketEncoder.v5(version) ? PacketWriter.propertiesLength(p.properties(), trim) : 0)
                + p.reasonCodes().size();
    }

    @Override
    public void writeBody(SubAck p, MqttVersion version, int trim, PacketWriter w) {
        boolean v5 = PacketEncoder.v5(version);
        w.writeShort(p.packetId());
        if (v5) {
            w.writeProperties(p.properties(), trim);
        }
        for (SubAckReasonCode code : p.reasonCodes()) {
            w.writeByte(v5 ? code.code() : V3ReturnCodes.subAckReturnCode(code));
        }
    }
}
