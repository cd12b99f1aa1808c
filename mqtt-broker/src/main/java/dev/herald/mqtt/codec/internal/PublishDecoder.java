package dev.herald.mqtt.codec.internal;

import static dev.herald.mqtt.codec.internal.DecodeException.malformed;

import dev.herald.mqtt.message.MqttPacket;
import dev.herald.mqtt.message.MqttVersion;
import dev.herald.mqtt.message.Publish;
import dev.herald.mqtt.message.QoS;
import dev.herald.mqtt.message.Topics;
import dev.herald.mqtt.message.property.MqttProperty;
import dev.herald.mqtt.message.property.Properties;
import dev.herald.mqtt.message.property.PropertyScope;

/** PUBLISH (MQTT 5.0 section 3.3, 3.1.1 section 3.3). */
final class PublishDecoder implements PacketDecoder {

    @Override
    public MqttPacket decode(PacketReader r, int flags, MqttVersion version) {
        boolean dup = (flags & 0x08) != 0;
        QoS qos = QoS.of((flags >> 1) & 0x03);
        if (qos == null) {
            throw malformed("PUBLISH with QoS 3");
        }
        if (dup && qos == QoS.AT_MOST_ONCE) {
            throw malformed("DUP set on a QoS 0 PUBLISH");
        }
        String topic = r.readUtf8("topic name");
        String problem = Topics.topicNameProblem(topic);
        if (problem != null) {
            throw malformed("invalid topic name '" + topic + "': " + problem);
        }
        int packetId = qos == QoS.AT_MOST_ONCE ? 0 : r.readPacketId();
        Properties properties = version == MqttVersion.V5 ? r.readProperties(PropertyScope.PUBLISH) : Properties.EMPTY;
        if (topic.isEmpty() && !properties.has(MqttProperty.TOPIC_ALIAS)) {
            throw DecodeException.protocolError("empty topic name without a topic alias");
        }
        return new Publish(topic, qos, (flags & 0x01) != 0, dup, packetId, properties, r.readRest());
    }
}
