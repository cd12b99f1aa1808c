package dev.herald.mqtt.codec;

import static dev.herald.mqtt.codec.Codec.assertCodec;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.mqtt.message.Auth;
import dev.herald.mqtt.message.MqttVersion;
import dev.herald.mqtt.message.property.MqttProperty;
import dev.herald.mqtt.message.property.Properties;
import dev.herald.mqtt.message.reason.AuthReasonCode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** AUTH exists in MQTT 5.0 only (section 3.15); 3.1.1 reserves packet type 15. */
class AuthCodecTest {

    private static final String SCRAM = "15 00 0B 53 43 52 41 4D 2D 53 48 41 2D 31"; // Authentication Method

    @Test
    @DisplayName("MQTT 5.0 section 3.15.2.1: Remaining Length 0 is Success without properties")
    void success() {
        assertCodec("F0 00", new Auth(AuthReasonCode.SUCCESS, Properties.EMPTY), MqttVersion.V5);
    }

    @Test
    @DisplayName("MQTT 5.0 sections 3.15.2.2.2 and 3.15.2.2.3: Continue authentication with method and data")
    void continueAuthentication() {
        Properties properties = Properties.builder()
                .add(MqttProperty.AUTHENTICATION_METHOD, "SCRAM-SHA-1")
                .add(MqttProperty.AUTHENTICATION_DATA, Bytes.utf8("n,,n=user,r=fyko"))
                .build();

        assertCodec(
                "F0 23 18 21 " + SCRAM + " 16 00 10 6E 2C 2C 6E 3D 75 73 65 72 2C 72 3D 66 79 6B 6F",
                new Auth(AuthReasonCode.CONTINUE_AUTHENTICATION, properties),
                MqttVersion.V5);
    }

    @Test
    @DisplayName("MQTT 5.0 sections 3.15.2.2.4 and 3.15.2.2.5: Re-authenticate with Reason String and User Property")
    void reAuthenticate() {
        Properties properties = Properties.builder()
                .add(MqttProperty.AUTHENTICATION_METHOD, "SCRAM-SHA-1")
                .reasonString("again")
                .userProperty("a", "b")
                .build();

        assertCodec(
                "F0 1F 19 1D " + SCRAM + " 1F 00 05 61 67 61 69 6E 26 00 01 61 00 01 62",
                new Auth(AuthReasonCode.RE_AUTHENTICATE, properties),
                MqttVersion.V5);
    }

    @Test
    @DisplayName("MQTT 5.0 section 3.15.2.1: Success with properties keeps its reason code")
    void successWithProperties() {
        Properties properties = Properties.builder()
                .add(MqttProperty.AUTHENTICATION_METHOD, "SCRAM-SHA-1")
                .add(MqttProperty.AUTHENTICATION_DATA, Bytes.utf8("v=ok"))
                .build();

        assertCodec(
                "F0 17 00 15 " + SCRAM + " 16 00 04 76 3D 6F 6B",
                new Auth(AuthReasonCode.SUCCESS, properties),
                MqttVersion.V5);
    }

    @Test
    @DisplayName("3.1.1 section 2.2.1: type 15 is reserved, so AUTH cannot be encoded for a 3.1.1 peer")
    void notIn311() {
        Codec.assertError(Bytes.hex("F0 00"), MqttVersion.V3_1_1, 0x81);
        assertThatThrownBy(() ->
                        MqttEncoder.encode(new Auth(AuthReasonCode.SUCCESS, Properties.EMPTY), MqttVersion.V3_1_1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
