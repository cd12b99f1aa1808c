package dev.herald.mqtt.codec.internal;

import dev.herald.mqtt.message.MqttPacket;
import dev.herald.mqtt.message.MqttVersion;
import dev.herald.mqtt.message.Unsubscribe;
import dev.herald.mqtt.message.property.Properties;
import dev.herald.mqtt.message.property.PropertyScope;
import java.util.ArrayList;
import java.util.List;

/** UNSUBSCRIBE (MQTT 5.0 section 3.10, 3.1.1 section 3.10). */
final class UnsubscribeDecoder implements PacketDecoder {

    @Override
    public MqttPacket decode(PacketReader r, int flags, MqttVersion version) {
        PacketDecoder.requireFlags(flags, 0x02, "UNSUBSCRIBE");
        int packetId = r.readPacketId();
        Properties properties =
                version == MqttVersion.V5 ? r.readProperties(PropertyScope.UNSUBSCRIBE) : Properties.EMPTY;
        List<String> filters = new ArrayList<>(2);
        while (r.remaining() > 0) {
            filters.add(r.readTopicFilter());
        }
        if (filters.isEmpty()) {
            throw DecodeException.protocolError("UNSUBSCRIBE without topic filters");
        }
        return new Unsubscribe(packetId, properties, filters);
    }
}
