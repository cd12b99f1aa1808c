package dev.herald.mqtt.message;

import dev.herald.mqtt.message.property.Properties;
import dev.herald.mqtt.message.reason.ConnectReasonCode;
import java.util.Objects;

/** CONNACK (MQTT 5.0 section 3.2); in 3.1.1 the reason code maps to a Connect Return Code. */
public record ConnAck(boolean sessionPresent, ConnectReasonCode reasonCode, Properties properties)
        implements MqttPacket {

    public ConnAck {
        Objects.requireNonNull(reasonCode, "reasonCode");
        Objects.requireNonNull(properties, "properties");
    }

    @Override
    public PacketType type() {
        return PacketType.CONNACK;
    }
}
