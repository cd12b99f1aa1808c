package dev.herald.mqtt.codec.internal;

import static dev.herald.mqtt.codec.internal.DecodeException.malformed;

import dev.herald.mqtt.codec.DecodeError;
import dev.herald.mqtt.message.Connect;
import dev.herald.mqtt.message.MqttPacket;
import dev.herald.mqtt.message.MqttVersion;
import dev.herald.mqtt.message.QoS;
import dev.herald.mqtt.message.Topics;
import dev.herald.mqtt.message.Will;
import dev.herald.mqtt.message.property.MqttProperty;
import dev.herald.mqtt.message.property.Properties;
import dev.herald.mqtt.message.property.PropertyScope;
import org.apache.pekko.util.ByteString;

/** CONNECT (MQTT 5.0 section 3.1, 3.1.1 section 3.1); the version comes from the packet itself. */
final class ConnectDecoder implements PacketDecoder {

    private static final int RESERVED = 0x01;
    private static final int CLEAN_START = 0x02;
    private static final int WILL = 0x04;
    private static final int WILL_RETAIN = 0x20;
    private static final int PASSWORD = 0x40;
    private static final int USER_NAME = 0x80;

    @Override
    public MqttPacket decode(PacketReader r, int flags, MqttVersion ignored) {
        PacketDecoder.requireFlags(flags, 0, "CONNECT");
        String protocolName = r.readUtf8("protocol name");
        int level = r.readByte("protocol level");
        MqttVersion version = MqttVersion.ofLevel(level);
        if (!"MQTT".equals(protocolName) || version == null) {
            throw new DecodeException(DecodeError.unsupportedVersion(
                    level, "unsupported protocol '" + protocolName + "' level " + level));
        }
        try {
            return decodeRest(r, version);
        } catch (DecodeException e) {
            throw new DecodeException(e.error().withProtocolLevel(level));
        }
    }

    private static Connect decodeRest(PacketReader r, MqttVersion version) {
        int connectFlags = r.readByte("connect flags");
        if ((connectFlags & RESERVED) != 0) {
            throw malformed("reserved connect flag is set");
        }
        boolean hasWill = (connectFlags & WILL) != 0;
        int willQos = (connectFlags >> 3) & 0x03;
        boolean willRetain = (connectFlags & WILL_RETAIN) != 0;
        if (!hasWill && (willQos != 0 || willRetain)) {
            throw malformed("will QoS or will retain set without the will flag");
        }
        if (willQos == 3) {
            throw malformed("will QoS 3");
        }
        boolean hasPassword = (connectFlags & PASSWORD) != 0;
        boolean hasUserName = (connectFlags & USER_NAME) != 0;
        if (version == MqttVersion.V3_1_1 && hasPassword && !hasUserName) {
            throw malformed("password flag set without user name flag");
        }
        int keepAlive = r.readUnsignedShort("keep alive");
        Properties properties = version == MqttVersion.V5 ? r.readProperties(PropertyScope.CONNECT) : Properties.EMPTY;
        if (properties.has(MqttProperty.AUTHENTICATION_DATA) && !properties.has(MqttProperty.AUTHENTICATION_METHOD)) {
            throw DecodeException.protocolError("authentication data without authentication method");
        }
        String clientId = r.readUtf8("client identifier");
        Will will = hasWill ? readWill(r, version, QoS.of(willQos), willRetain) : null;
        String userName = hasUserName ? r.readUtf8("user name") : null;
        ByteString password = hasPassword ? r.readBinary("password") : null;
        r.expectEnd("CONNECT");
        return new Connect(
                version, (connectFlags & CLEAN_START) != 0, keepAlive, clientId, properties, will, userName, password);
    }

    private static Will readWill(PacketReader r, MqttVersion version, QoS qos, boolean retain) {
        Properties properties = version == MqttVersion.V5 ? r.readProperties(PropertyScope.WILL) : Properties.EMPTY;
        String topic = r.readUtf8("will topic");
        if (topic.isEmpty() || Topics.topicNameProblem(topic) != null) {
            throw malformed("invalid will topic '" + topic + "'");
        }
        ByteString payload = r.readBinary("will payload");
        return new Will(topic, payload, qos, retain, properties);
    }
}
