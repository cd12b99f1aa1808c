package dev.herald.mqtt.codec.internal;

import dev.herald.mqtt.message.MqttVersion;
import dev.herald.mqtt.message.Unsubscribe;

/** UNSUBSCRIBE. */
final class UnsubscribeEncoder implements PacketEncoder<Unsubscribe> {

    @Override
    public int flags(Unsubscribe p) {
        return 0x02;
    }

    @Override
    public int bodyLength(Unsubscribe p, MqttVersion version, int trim) {
        int n = 2 + (PacketEncoder.v5(version) ? PacketWriter.propertiesLength(p.properties(), trim) : 0);
        for (String filter : p.filters()) {
            n += PacketWriter.utf8Length(filter);
        }
        return n;
    }

    @Override
    public void writeBody(Unsubscribe p, MqttVersion version, int trim, PacketWriter w) {
        w.writeShort(p.packetId());
        if (PacketEncoder.v5(version)) {
            w.writeProperties(p.properties(), trim);
        }
        for (String filter : p.filters()) {
            w.writeUtf8(filter);
        }
    }
}
