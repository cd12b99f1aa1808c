package dev.herald.mqtt.codec.internal;

import dev.herald.mqtt.message.Auth;
import dev.herald.mqtt.message.Disconnect;
import dev.herald.mqtt.message.MqttPacket;
import dev.herald.mqtt.message.MqttVersion;
import dev.herald.mqtt.message.property.Properties;
import dev.herald.mqtt.message.reason.ReasonCode;

/**
 * DISCONNECT and AUTH: an optional reason code and optional properties, both left out when the reason
 * is 0x00 with no properties (sections 3.14.2.1 and 3.15.2.1). A 3.1.1 DISCONNECT has no body.
 */
final class ReasonEncoder implements PacketEncoder<MqttPacket> {

    @Override
    public int bodyLength(MqttPacket p, MqttVersion version, int trim) {
        if (!PacketEncoder.v5(version)) {
            if (p instanceof Auth) {
                throw new IllegalArgumentException("AUTH does not exist in MQTT 3.1.1");
            }
            return 0;
        }
        int propsLength = PacketWriter.propertiesLength(properties(p), trim);
        if (propsLength > 1) {
            return 1 + propsLength;
        }
        return reasonCode(p).code() == 0 ? 0 : 1;
    }

    @Override
    public void writeBody(MqttPacket p, MqttVersion version, int trim, PacketWriter w) {
        int length = bodyLength(p, version, trim);
        if (length >= 1) {
            w.writeByte(reasonCode(p).code());
        }
        if (length > 1) {
            w.writeProperties(properties(p), trim);
        }
    }

    private static ReasonCode reasonCode(MqttPacket p) {
        return p instanceof Disconnect d ? d.reasonCode() : ((Auth) p).reasonCode();
    }

    private static Properties properties(MqttPacket p) {
        return p instanceof Disconnect d ? d.properties() : ((Auth) p).properties();
    }
}
