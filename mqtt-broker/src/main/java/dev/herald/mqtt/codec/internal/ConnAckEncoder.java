package dev.herald.mqtt.codec.internal;

import dev.herald.mqtt.message.ConnAck;
import dev.herald.mqtt.message.MqttVersion;

/** CONNACK; 3.1.1 gets the nearest Connect Return Code and no properties. */
final class ConnAckEncoder implements PacketEncoder<ConnAck> {

    @Override
    public int bodyLength(ConnAck p, MqttVersion version, int trim) {
        return 2 + (PacketEncoder.v5(version) ? PacketWriter.propertiesLength(p.properties(), trim) : 0);
    }

    @Override
    public void writeBody(ConnAck p, MqttVersion version, int trim, PacketWriter w) {
        w.writeByte(p.sessionPresent() ? 1 : 0);
        if (PacketEncoder.v5(version)) {
            w.writeByte(p.reasonCode().code());
            w.writeProperties(p.properties(), trim);
        } else {
            w.writeByte(V3ReturnCodes.connectReturnCode(p.reasonCode()));
        }
    }
}
