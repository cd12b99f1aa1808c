package dev.herald.mqtt.message;

/** PINGREQ (MQTT 5.0 section 3.12). */
public record PingReq() implements MqttPacket {
    public static final PingReq INSTANCE = new PingReq();

    @Override
    public PacketType type() {
        return PacketType.PINGREQ;
    }
}
