package dev.herald.bench.load;

import dev.herald.mqtt.codec.MqttEncoder;
import dev.herald.mqtt.message.MqttVersion;
import dev.herald.mqtt.message.Publish;
import dev.herald.mqtt.message.QoS;
import dev.herald.mqtt.message.property.Properties;
import java.nio.charset.StandardCharsets;
import org.apache.pekko.util.ByteString;

/** A pre-encoded PUBLISH and where its packet id and payload start, for patching before each send. */
record Template(byte[] bytes, int packetIdOffset, int payloadOffset) {

    static Template of(String topic, QoS qos, int payloadSize, MqttVersion version) {
        int size = Math.max(8, payloadSize); // room for the send timestamp
        Publish p = new Publish(
                topic,
                qos,
                false,
                false,
                qos == QoS.AT_MOST_ONCE ? 0 : 1,
                Properties.EMPTY,
                ByteString.fromArrayUnsafe(new byte[size]));
        byte[] bytes = MqttEncoder.encode(p, version).toArray();
        int headerLength = 2;
        while ((bytes[headerLength - 1] & 0x80) != 0) {
            headerLength++;
        }
        int packetIdOffset = headerLength + 2 + topic.getBytes(StandardCharsets.UTF_8).length;
        return new Template(bytes, packetIdOffset, bytes.length - size);
    }
}
