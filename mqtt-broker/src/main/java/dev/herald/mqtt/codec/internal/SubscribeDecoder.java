package dev.herald.mqtt.codec.internal;

import static dev.herald.mqtt.codec.internal.DecodeException.malformed;
import static dev.herald.mqtt.codec.internal.DecodeException.protocolError;

import dev.herald.mqtt.message.MqttPacket;
import dev.herald.mqtt.message.MqttVersion;
import dev.herald.mqtt.message.QoS;
import dev.herald.mqtt.message.RetainHandling;
import dev.herald.mqtt.message.Subscribe;
import dev.herald.mqtt.message.Subscription;
import dev.herald.mqtt.message.property.Properties;
import dev.herald.mqtt.message.property.PropertyScope;
import java.util.ArrayList;
import java.util.List;

/** SUBSCRIBE (MQTT 5.0 section 3.8, 3.1.1 section 3.8). */
final class SubscribeDecoder implements PacketDecoder {

    @Override
    public MqttPacket decode(PacketReader r, int flags, MqttVersion version) {
        PacketDecoder.requireFlags(flags, 0x02, "SUBSCRIBE");
        int packetId = r.readPacketId();
        boolean v5 = version == MqttVersion.V5;
        Properties properties = v5 ? r.readProperties(PropertyScope.SUBSCRIBE) : Properties.EMPTY;
        if (properties.subscriptionIdentifiers().size() > 1) {
            throw protocolError("more than one subscription identifier in SUBSCRIBE");
        }
        List<Subscription> subscriptions = new ArrayList<>(2);
        while (r.remaining() > 0) {
            String filter = r.readTopicFilter();
            int options = r.readByte("subscription options");
            if ((options & (v5 ? 0xC0 : 0xFC)) != 0) {
                throw malformed(String.format("reserved subscription option bits set: 0x%02X", options));
            }
            QoS qos = QoS.of(options & 0x03);
            if (qos == null) {
                // MQTT 5.0 section 3.8.3.1 makes it a Protocol Error, 3.1.1 [MQTT-3.8.3-4] a malformed packet
                throw v5 ? protocolError("subscription with QoS 3") : malformed("subscription with QoS 3");
            }
            RetainHandling retainHandling = RetainHandling.of((options >> 4) & 0x03);
            if (retainHandling == null) {
                throw protocolError("retain handling 3");
            }
            subscriptions.add(
                    new Subscription(filter, qos, (options & 0x04) != 0, (options & 0x08) != 0, retainHandling));
        }
        if (subscriptions.isEmpty()) {
            throw protocolError("SUBSCRIBE without topic filters");
        }
        return new Subscribe(packetId, properties, subscriptions);
    }
}
