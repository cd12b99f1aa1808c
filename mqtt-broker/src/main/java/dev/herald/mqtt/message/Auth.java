package dev.herald.mqtt.message;

import dev.herald.mqtt.message.property.Properties;
import dev.herald.mqtt.message.reason.AuthReasonCode;
import java.util.Objects;

/** AUTH (MQTT 5.0 section 3.15); MQTT 5 only. */
public record Auth(AuthReasonCode reasonCode, Properties properties) implements MqttPacket {

    public Auth {
        Objects.requireNonNull(reasonCode, "reasonCode");
        Objects.requireNonNull(properties, "properties");
    }

    @Override
    public PacketType type() {
        return PacketType.AUTH;
    }
}
