package dev.herald.mqtt.message;

import dev.herald.mqtt.message.property.Properties;
import dev.herald.mqtt.message.reason.DisconnectReasonCode;
import java.util.Objects;

/** DISCONNECT (MQTT 5.0 section 3.14); a 3.1.1 DISCONNECT is always a normal disconnection. */
public record Disconnect(DisconnectReasonCode reasonCode, Properties properties) implements MqttPacket {

    public static final Disconnect NORMAL = new Disconnect(DisconnectReasonCode.NORMAL_DISCONNECTION, Properties.EMPTY);

    public Disconnect {
        Objects.requireNonNull(reasonCode, "reasonCode");
        Objects.requireNonNull(properties, "properties");
    }

    public Disconnect(DisconnectReasonCode reasonCode) {
        this(reasonCode, Properties.EMPTY);
    }

    @Override
    public PacketType type() {
        return PacketType.DISCONNECT;
    }
}
