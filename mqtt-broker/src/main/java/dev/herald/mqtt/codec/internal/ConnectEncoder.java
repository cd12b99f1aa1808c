package dev.herald.mqtt.codec.internal;

import static dev.herald.mqtt.codec.internal.PacketWriter.propertiesLength;
import static dev.herald.mqtt.codec.internal.PacketWriter.utf8Length;

import dev.herald.mqtt.message.Connect;
import dev.herald.mqtt.message.MqttVersion;
import dev.herald.mqtt.message.Will;

/** CONNECT; the version written is the packet's own, whatever the encoder was asked for. */
final class ConnectEncoder implements PacketEncoder<Connect> {

    private static final String PROTOCOL_NAME = "MQTT";

    @Override
    public int bodyLength(Connect c, MqttVersion ignored, int trim) {
        boolean v5 = PacketEncoder.v5(c.version());
        int n = utf8Length(PROTOCOL_NAME) + 1 + 1 + 2;
        n += v5 ? propertiesLength(c.properties(), PacketWriter.KEEP_ALL) : 0;
        n += utf8Length(c.clientId());
        Will will = c.will();
        if (will != null) {
            n += v5 ? propertiesLength(will.properties(), PacketWriter.KEEP_ALL) : 0;
            n += utf8Length(will.topic()) + PacketWriter.binaryLength(will.payload());
        }
        n += c.username() == null ? 0 : utf8Length(c.username());
        n += c.password() == null ? 0 : PacketWriter.binaryLength(c.password());
        return n;
    }

    @Override
    public void writeBody(Connect c, MqttVersion ignored, int trim, PacketWriter w) {
        boolean v5 = PacketEncoder.v5(c.version());
        Will will = c.will();
        w.writeUtf8(PROTOCOL_NAME);
        w.writeByte(c.version().level());
        int flags = (c.cleanStart() ? 0x02 : 0)
                | (will == null ? 0 : 0x04 | will.qos().value() << 3 | (will.retain() ? 0x20 : 0))
                | (c.password() == null ? 0 : 0x40)
                | (c.username() == null ? 0 : 0x80);
        w.writeByte(flags);
        w.writeShort(c.keepAlive());
        if (v5) {
            w.writeProperties(c.properties(), PacketWriter.KEEP_ALL);
        }
        w.writeUtf8(c.clientId());
        if (will != null) {
            if (v5) {
                w.writeProperties(will.properties(), PacketWriter.KEEP_ALL);
            }
            w.writeUtf8(will.topic());
            w.writeBinary(will.payload());
        }
        if (c.username() != null) {
            w.writeUtf8(c.username());
        }
        if (c.password() != null) {
            w.writeBinary(c.password());
        }
    }
}
