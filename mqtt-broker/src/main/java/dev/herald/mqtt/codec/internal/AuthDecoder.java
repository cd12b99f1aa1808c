package dev.herald.mqtt.codec.internal;

import static dev.herald.mqtt.codec.internal.DecodeException.malformed;

import dev.herald.mqtt.message.Auth;
import dev.herald.mqtt.message.MqttPacket;
import dev.herald.mqtt.message.MqttVersion;
import dev.herald.mqtt.message.property.MqttProperty;
import dev.herald.mqtt.message.property.Properties;
import dev.herald.mqtt.message.property.PropertyScope;
import dev.herald.mqtt.message.reason.AuthReasonCode;

/** AUTH (MQTT 5.0 section 3.15); type 15 is reserved in 3.1.1, so there it is malformed. */
final class AuthDecoder implements PacketDecoder {

    @Override
    public MqttPacket decode(PacketReader r, int flags, MqttVersion version) {
        if (version != MqttVersion.V5) {
            throw malformed("AUTH is not a 3.1.1 packet");
        }
        PacketDecoder.requireFlags(flags, 0, "AUTH");
        if (r.remaining() == 0) {
            return new Auth(AuthReasonCode.SUCCESS, Properties.EMPTY);
        }
        int code = r.readByte("AUTH reason code");
        AuthReasonCode reason = AuthReasonCode.of(code);
        if (reason == null) {
            throw malformed(String.format("invalid AUTH reason code 0x%02X", code));
        }
        Properties properties = r.remaining() > 0 ? r.readProperties(PropertyScope.AUTH) : Properties.EMPTY;
        r.expectEnd("AUTH");
        // Only the Remaining Length 0 form may leave the method out (sections 3.15.2.1 and 3.15.2.2.2)
        if (!properties.has(MqttProperty.AUTHENTICATION_METHOD)) {
            throw DecodeException.protocolError("AUTH without authentication method");
        }
        return new Auth(reason, properties);
    }
}
