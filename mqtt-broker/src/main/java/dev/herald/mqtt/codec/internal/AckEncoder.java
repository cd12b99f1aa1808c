package dev.herald.mqtt.codec.internal;

import dev.herald.mqtt.message.MqttPacket;
import dev.herald.mqtt.message.MqttVersion;
import dev.herald.mqtt.message.PubRel;
import dev.herald.mqtt.message.PublishResponse;
import dev.herald.mqtt.message.property.Properties;

/**
 * PUBACK, PUBREC, PUBREL and PUBCOMP. MQTT 5 leaves out the reason code when it is Success with no
 * properties, and the properties when there are none (sections 3.4.2.1 and 3.4.2.2.1).
 */
final class AckEncoder implements PacketEncoder<MqttPacket> {

    @Override
    public int flags(MqttPacket p) {
        return p instanceof PubRel ? 0x02 : 0;
    }

    @Override
    public int bodyLength(MqttPacket p, MqttVersion version, int trim) {
        if (!PacketEncoder.v5(version)) {
            return 2;
        }
        Properties props = ((PublishResponse) p).properties();
        int propsLength = PacketWriter.propertiesLength(props, trim);
        if (propsLength > 1) {
            return 3 + propsLength;
        }
        return ((PublishResponse) p).reasonCode().code() == 0 ? 2 : 3;
    }

    @Override
    public void writeBody(MqttPacket p, MqttVersion version, int trim, PacketWriter w) {
        PublishResponse ack = (PublishResponse) p;
        w.writeShort(ack.packetId());
        int length = bodyLength(p, version, trim);
        if (length >= 3) {
            w.writeByte(ack.reasonCode().code());
        }
        if (length > 3) {
            w.writeProperties(ack.properties(), trim);
        }
    }
}
