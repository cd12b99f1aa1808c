package dev.herald.mqtt.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.mqtt.message.MqttPacket;
import dev.herald.mqtt.message.reason.ConnectReasonCode;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One case per rule of the specifications: the decoder answers each malformed packet with a
 * {@link DecodeError} carrying the reason code to send (0x81 Malformed Packet, 0x82 Protocol Error, 0x94
 * Topic Alias invalid, 0x84 Unsupported Protocol Version with the level asked for), never an exception,
 * and accepts the valid packets that look like them.
 */
class MalformedPacketTest {

    static Stream<Corpus.Case> malformed() {
        return Stream.of(MalformedFrameCorpus.cases(), MalformedPacketCorpus.cases(), MalformedContentCorpus.cases())
                .flatMap(List::stream);
    }

    static Stream<ValidCorpus.Case> valid() {
        return ValidCorpus.cases().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    @DisplayName("malformed")
    void rejected(Corpus.Case c) {
        DecodeError error = Codec.assertError(c.bytes(), c.version(), c.code());

        assertThat(error.protocolLevel()).as("protocol level of %s", error).isEqualTo(c.protocolLevel());
        if (c.code() == ConnectReasonCode.UNSUPPORTED_PROTOCOL_VERSION.code()) {
            assertThat(error.connectReasonCode()).isEqualTo(ConnectReasonCode.UNSUPPORTED_PROTOCOL_VERSION);
        } else {
            assertThat(error.disconnectReasonCode().code()).isEqualTo(c.code());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    @DisplayName("valid")
    void accepted(ValidCorpus.Case c) {
        DecodeResult result = Codec.decode(c.bytes(), c.version());

        assertThat(result).as("%s decodes", Bytes.toHex(c.bytes())).isInstanceOf(MqttPacket.class);
    }
}
