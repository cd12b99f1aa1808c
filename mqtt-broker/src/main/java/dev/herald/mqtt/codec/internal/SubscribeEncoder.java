package dev.herald.mqtt.codec.internal;

import dev.herald.mqtt.message.MqttVersion;
import dev.herald.mqtt.message.Subscribe;
import dev.herald.mqtt.message.Subscription;

/** SUBSCRIBE; 3.1.1 writes only the QoS of each filter's options. */
final class SubscribeEncoder implements PacketEncoder<Subscribe> {

    @Override
    public int flags(Subscribe p) {
        return 0x02;
    }

    @Override
    public int bodyLength(Subscribe p, MqttVersion version, int trim) {
        int n = 2 + (PacketEncoder.v5(version) ? PacketWriter.propertiesLength(p.properties(), trim) : 0);
        for (Subscription s : p.subscriptions()) {
            n += PacketWriter.utf8Length(s.filter()) + 1;
        }
        return n;
    }

    @Override
    public void writeBody(Subscribe p, MqttVersion version, int trim, PacketWriter w) {
        boolean v5 = PacketEncoder.v5(version);
        w.writeShort(p.packetId());
        if (v5) {
            w.writeProperties(p.properties(), trim);
        }
        for (Subscription s : p.subscriptions()) {
            w.writeUtf8(s.filter());
            int options = s.qos().value();
            if (v5) {
                options |= (s.noLocal() ? 0x04 : 0)
                        | (s.retainAsPublished() ? 0x08 : 0)
                        | s.retainHandling().value() << 4;
            }
            w.writeByte(options);
        }
    }
}
