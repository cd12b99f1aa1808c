package dev.herald.mqtt.codec.internal;

import dev.herald.mqtt.message.MqttVersion;
import dev.herald.mqtt.message.Publish;
import dev.herald.mqtt.message.QoS;

/** PUBLISH; its properties are part of the Application Message and are never trimmed. */
final class PublishEncoder implements PacketEncoder<Publish> {

    @Override
    public int flags(Publish p) {
        return (p.dup() ? 0x08 : 0) | p.qos().value() << 1 | (p.retain() ? 0x01 : 0);
    }

    @Override
    public int bodyLength(Publish p, MqttVersion version, int trim) {
        return PacketWriter.utf8Length(p.topic())
                + (p.qos() == QoS.AT_MOST_ONCE ? 0 : 2)
                + (PacketEncoder.v5(version) ? PacketWriter.propertiesLength(p.properties(), PacketWriter.KEEP_ALL) : 0)
                + p.payload().length();
    }

    @Override
    public void writeBody(Publish p, MqttVersion version, int trim, PacketWriter w) {
        w.writeUtf8(p.topic());
        if (p.qos() != QoS.AT_MOST_ONCE) {
            w.writeShort(p.packetId());
        }
        if (PacketEncoder.v5(version)) {
            w.writeProperties(p.properties(), PacketWriter.KEEP_ALL);
        }
        w.writeBytes(p.payload());
    }
}
