package dev.herald.mqtt.transport;

import static dev.herald.mqtt.codec.Bytes.hex;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.herald.mqtt.codec.DecodeError;
import dev.herald.mqtt.codec.DecodeResult;
import dev.herald.mqtt.codec.MqttDecoder;
import dev.herald.mqtt.codec.MqttEncoder;
import dev.herald.mqtt.message.MqttPacket;
import dev.herald.mqtt.message.MqttVersion;
import dev.herald.mqtt.message.PingReq;
import dev.herald.mqtt.message.Publish;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** The framing stage over plain Sources and Sinks: however bytes are split, the same packets come out. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(TestKitJUnit5Extension.class)
@ExtendWith(LogCapturingExtension.class)
class MqttFramingTest {

    private static final long MAX = 1024 * 1024;

    /**
     * A 3.1.1 CONNECT, then packets a version 5 decoder reads differently or refuses: the 3.1.1 PUBLISH
     * has no Property Length (5.0 would take 'h' = 0x68 for one), the 3.1.1 SUBACK and UNSUBACK neither.
     */
    private static final String V311_SESSION = "10 0C 00 04 4D 51 54 54 04 02 00 3C 00 00" // CONNECT, level 4
            + " 32 0C 00 03 61 2F 62 00 0A 68 65 6C 6C 6F" // PUBLISH QoS 1 'a/b' id 10 "hello"
            + " 40 02 00 0B" // PUBACK 11
            + " 90 03 00 0C 01" // SUBACK 12, QoS 1
            + " B0 02 00 0D" // UNSUBACK 13
            + " C0 00" // PINGREQ
            + " E0 00"; // DISCONNECT

    @JUnit5TestKit
    ActorTestKit testKit = new JUnit5TestKitBuilder().build();

    @Test
    @DisplayName("a stream split at every byte boundary gives the same packets; CONNECT switches to 3.1.1")
    void everySplitPoint() throws Exception {
        ByteString stream = hex(V311_SESSION);
        List<MqttPacket> expected = decodeInOrder(stream, MqttVersion.V3_1_1);
        assertThat(expected).hasSize(7);
        MqttDecoder v5 = new MqttDecoder(MqttVersion.V5);
        for (String only311 : List.of("32 0C 00 03 61 2F 62 00 0A 68 65 6C 6C 6F", "90 03 00 0C 01", "B0 02 00 0D")) {
            assertThat(v5.decode(hex(only311))).as(only311).isInstanceOf(DecodeError.class);
        }

        for (int split = 0; split <= stream.length(); split++) {
            List<ByteString> chunks = List.of(stream.take(split), stream.drop(split));
            assertThat(frame(chunks)).as("split at %d", split).isEqualTo(expected);
        }
    }

    @Test
    @DisplayName("byte-by-byte chunks, in both versions")
    void byteByByte() throws Exception {
        ByteString v5Session = hex(
                "10 0D 00 04 4D 51 54 54 05 02 00 3C 00 00 00" // CONNECT, level 5
                        + " 32 0D 00 03 61 2F 62 00 0A 00 68 65 6C 6C 6F" // PUBLISH with Property Length 0
                        + " B0 05 00 0D 00 00 11" // UNSUBACK with two reason codes
                        + " E0 01 04"); // DISCONNECT with Will Message
        for (ByteString stream : List.of(hex(V311_SESSION), v5Session)) {
            List<ByteString> chunks = new ArrayList<>();
            for (int i = 0; i < stream.length(); i++) {
                chunks.add(stream.slice(i, i + 1));
            }
            MqttVersion version = stream.apply(8) == 4 ? MqttVersion.V3_1_1 : MqttVersion.V5;
            assertThat(frame(chunks)).isEqualTo(decodeInOrder(stream, version));
        }
    }

    @Test
    @DisplayName("1,000 PUBLISH packets in a single chunk")
    void manyPacketsInOneChunk() throws Exception {
        List<MqttPacket> publishes = new ArrayList<>();
        ByteString chunk = ByteString.emptyByteString();
        for (int i = 0; i < 1000; i++) {
            Publish publish = Publish.atMostOnce("t/" + i, ByteString.fromString("payload " + i));
            publishes.add(publish);
            chunk = chunk.concat(MqttEncoder.encode(publish, MqttVersion.V5));
        }

        assertThat(frame(List.of(chunk.compact()))).isEqualTo(publishes);
    }

    @Test
    @DisplayName("an empty stream completes without packets")
    void emptyStream() throws Exception {
        assertThat(frame(List.of())).isEmpty();
    }

    @Test
    @DisplayName("MQTT 5.0 section 3.1.2.11.4: a packet over the maximum fails with 0x95 from its fixed header alone")
    void tooLargeBeforeTheBodyArrives() {
        // PUBLISH with Remaining Length 1000, and the stream stays open: no body ever comes
        CompletionStage<List<MqttPacket>> result = Source.single(hex("30 E8 07"))
                .concat(Source.maybe())
                .via(MqttFraming.flow(100))
                .runWith(Sink.seq(), testKit.system());

        MqttFramingException failure = failure(result);
        assertThat(failure.error().reasonCode().code()).isEqualTo(0x95);
        assertThat(failure.error().reason()).contains("1003");
    }

    @Test
    @DisplayName("a packet of exactly the maximum size passes")
    void exactlyTheMaximum() throws Exception {
        ByteString packet =
                MqttEncoder.encode(Publish.atMostOnce("a", ByteString.fromArray(new byte[90])), MqttVersion.V5);
        CompletionStage<List<MqttPacket>> result =
                Source.single(packet).via(MqttFraming.flow(packet.length())).runWith(Sink.seq(), testKit.system());

        assertThat(result.toCompletableFuture().get(10, SECONDS)).hasSize(1);
    }

    @Test
    @DisplayName("MQTT 5.0 section 1.5.5: a Remaining Length over 4 bytes fails with 0x81 while the stream is open")
    void malformedRemainingLength() {
        CompletionStage<List<MqttPacket>> result = Source.single(hex("30 FF FF FF FF 01"))
                .concat(Source.maybe())
                .via(MqttFraming.flow(MAX))
                .runWith(Sink.seq(), testKit.system());

        assertThat(failure(result).error().reasonCode().code()).isEqualTo(0x81);
    }

    @Test
    @DisplayName("a stream that ends inside a packet fails")
    void endsMidPacket() {
        for (String partial : List.of("30 0A 00 03 61", "30 80", "C0")) {
            CompletionStage<List<MqttPacket>> result =
                    Source.single(hex(partial)).via(MqttFraming.flow(MAX)).runWith(Sink.seq(), testKit.system());

            MqttFramingException failure = failure(result);
            assertThat(failure.error().reasonCode().code()).as(partial).isEqualTo(0x81);
            assertThat(failure.error().reason()).contains("stream ended inside a packet");
        }
    }

    @Test
    @DisplayName("a malformed packet fails the stage with its reason code, after the packets before it")
    void malformedPacket() {
        assertFailsAfterPing("C1 00", 0x81); // PINGREQ reserved flags (2.1.3)
        assertFailsAfterPing("36 07 00 01 61 00 0A 00 00", 0x81); // PUBLISH QoS 3 (3.3.1.2)
        assertFailsAfterPing("30 04 00 00 00 00", 0x82); // empty topic without alias (3.3.2.1)
        assertFailsAfterPing("30 07 00 01 61 03 23 00 00", 0x94); // topic alias 0 (3.3.2.3.4)
    }

    @Test
    @DisplayName("MQTT 5.0 section 3.1.2.2: a CONNECT of an unsupported level fails with 0x84 and the level")
    void unsupportedVersion() {
        CompletionStage<List<MqttPacket>> result = Source.single(hex("10 0C 00 04 4D 51 54 54 06 02 00 3C 00 00"))
                .via(MqttFraming.flow(MAX))
                .runWith(Sink.seq(), testKit.system());

        MqttFramingException failure = failure(result);
        assertThat(failure.error().reasonCode().code()).isEqualTo(0x84);
        assertThat(failure.error().protocolLevel()).isEqualTo(6);
    }

    private void assertFailsAfterPing(String malformedHex, int reasonCode) {
        ConcurrentLinkedQueue<MqttPacket> seen = new ConcurrentLinkedQueue<>();
        CompletionStage<?> done = Source.single(hex("C0 00 " + malformedHex + " C0 00"))
                .via(MqttFraming.flow(MAX))
                .runWith(Sink.foreach(seen::add), testKit.system());

        assertThat(failure(done).error().reasonCode().code()).as(malformedHex).isEqualTo(reasonCode);
        assertThat(seen).containsExactly(PingReq.INSTANCE);
    }

    private List<MqttPacket> frame(List<ByteString> chunks) throws Exception {
        return Source.from(chunks)
                .via(MqttFraming.flow(MAX))
                .runWith(Sink.seq(), testKit.system())
                .toCompletableFuture()
                .get(10, SECONDS);
    }

    /** The packets of a stream decoded one by one with frameLength, starting in V5 as the broker does. */
    private static List<MqttPacket> decodeInOrder(ByteString stream, MqttVersion afterConnect) {
        MqttDecoder decoder = new MqttDecoder(MqttVersion.V5);
        List<MqttPacket> out = new ArrayList<>();
        while (!stream.isEmpty()) {
            int length = MqttDecoder.frameLength(stream);
            DecodeResult result = decoder.decode(stream.take(length));
            out.add((MqttPacket) result);
            decoder.version(afterConnect);
            stream = stream.drop(length);
        }
        return out;
    }

    private static MqttFramingException failure(CompletionStage<?> stage) {
        Throwable thrown = catchThrowable(() -> stage.toCompletableFuture().get(10, SECONDS));
        assertThat(thrown).isInstanceOf(ExecutionException.class);
        assertThat(thrown.getCause()).isInstanceOf(MqttFramingException.class);
        return (MqttFramingException) thrown.getCause();
    }
}
