package dev.herald.bench;

import dev.herald.mqtt.message.Connect;
import dev.herald.mqtt.message.MqttVersion;
import dev.herald.mqtt.message.Publish;
import dev.herald.mqtt.message.QoS;
import dev.herald.mqtt.message.Will;
import dev.herald.mqtt.message.property.MqttProperty;
import dev.herald.mqtt.message.property.Properties;
import org.apache.pekko.util.ByteString;

/** The packets the benchmarks encode and decode, the same in every run. */
final class Packets {

    static final ByteString PAYLOAD_64 = ByteString.fromArrayUnsafe(new byte[64]);

    private Packets() {}

    static Publish publishQos1(boolean withProperties) {
        Properties props = withProperties
                ? Properties.builder()
                        .add(MqttProperty.MESSAGE_EXPIRY_INTERVAL, 3600L)
                        .add(MqttProperty.CONTENT_TYPE, "application/json")
                        .userProperty("trace", "abc123")
                        .build()
                : Properties.EMPTY;
        return new Publish("sensors/device-42/temperature", QoS.AT_LEAST_ONCE, false, false, 4242, props, PAYLOAD_64);
    }

    static Connect connect() {
        Properties props = Properties.builder()
                .add(MqttProperty.SESSION_EXPIRY_INTERVAL, 300L)
                .add(MqttProperty.RECEIVE_MAXIMUM, 64)
                .build();
        Will will = new Will(
                "clients/device-42/status",
                ByteString.fromString("offline"),
                QoS.AT_LEAST_ONCE,
                true,
                Properties.EMPTY);
        return new Connect(
                MqttVersion.V5, true, 60, "device-42", props, will, "device", ByteString.fromString("secret"));
    }
}
