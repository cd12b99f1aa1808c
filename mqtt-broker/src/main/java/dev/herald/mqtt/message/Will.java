package dev.herald.mqtt.message;

import dev.herald.mqtt.message.property.Properties;
import java.util.Objects;
import org.apache.pekko.util.ByteString;

/** The Will Message a CONNECT may carry (MQTT 5.0 section 3.1.3.2). */
public record Will(String topic, ByteString payload, QoS qos, boolean retain, Properties properties) {
    public Will {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(qos, "qos");
        Objects.requireNonNull(properties, "properties");
    }
}
