package dev.herald.mqtt.message;

/** PINGRESP (MQTT 5.0 section 3.13). */
public record PingResp() implements MqttPacket {
    public static final PingResp INSTANCE = new PingResp();

    @Override
    public PacketType type() {
        return PacketType.PINGRESP;
    }
}
