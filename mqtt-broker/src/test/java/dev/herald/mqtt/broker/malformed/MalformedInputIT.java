package dev.herald.mqtt.broker.malformed;

import static dev.herald.mqtt.broker.malformed.RawConnection.hex;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.mqtt.codec.MqttEncoder;
import dev.herald.mqtt.message.ConnAck;
import dev.herald.mqtt.message.Disconnect;
import dev.herald.mqtt.message.MqttPacket;
import dev.herald.mqtt.message.MqttVersion;
import dev.herald.mqtt.message.reason.DisconnectReasonCode;
import dev.herald.mqtt.message.reason.ReasonCode;
import dev.herald.mqtt.testkit.HeraldBrokerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input over raw sockets (ARCHITECTURE.md invariant 6, MQTT 5.0 section 4.13): each bad
 * connection gets the reason code its version allows and is closed, while a healthy subscriber that
 * connected before it still receives what is published afterwards.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(LogCapturingExtension.class)
class MalformedInputIT {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);
    private static final int MAX_PACKET_SIZE = 1024;
    /** Long enough for any answer; the broker never needs more than a few milliseconds. */
    private static final Duration ANSWER = Duration.ofSeconds(5);

    @RegisterExtension
    static final HeraldBrokerExtension broker = new HeraldBrokerExtension(
            "herald.mqtt { connect-timeout = 1s, max-packet-size = " + MAX_PACKET_SIZE + " }");

    private final AtomicInteger clientIds = new AtomicInteger();
    private HealthyClients healthy;

    @BeforeAll
    void connectHealthyClients() {
        healthy = HealthyClients.connect(broker.port());
    }

    @AfterAll
    void disconnectHealthyClients() {
        if (healthy != null) {
            healthy.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({
        "dev.herald.mqtt.broker.malformed.MalformedCase#beforeConnect",
        "dev.herald.mqtt.broker.malformed.MalformedCase#connectedV5",
        "dev.herald.mqtt.broker.malformed.MalformedCase#connectedV311"
    })
    void answersAndCloses(MalformedCase c) {
        checkAnswerThenHealthy(c.name() + " (" + c.spec() + ")", () -> {
            try (RawConnection raw = RawConnection.open(broker.port())) {
                if (c.connectFirst() != null) {
                    raw.connect(c.connectFirst(), "bad-" + clientIds.incrementAndGet());
                }
                raw.send(c.bytes());
                if (c.answer() != null) {
                    MqttPacket answer = raw.readPacket(c.answerVersion(), ANSWER);
                    assertThat(answer.type()).as("answer").isEqualTo(c.answer());
                    assertThat(reasonOf(answer)).as("reason code").isEqualTo(c.reason());
                }
                assertThat(raw.expectClosed(ANSWER))
                        .as("bytes before the close")
                        .isEmpty();
            }
        });
    }

    @Test
    void closesAConnectionThatSendsNothingAfterTheConnectTimeout() {
        long start = System.nanoTime();
        try (RawConnection raw = RawConnection.open(broker.port())) {
            assertThat(raw.expectClosed(CONNECT_TIMEOUT.plus(ANSWER)))
                    .as("no CONNACK without CONNECT")
                    .isEmpty();
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        assertThat(elapsed)
                .as("closed by herald.mqtt.connect-timeout, not before")
                .isGreaterThanOrEqualTo(CONNECT_TIMEOUT.minusMillis(100));
        healthy.assertStillDelivers("silent connection");
    }

    /** MQTT 5.0 3.1.2.11.4 and 4.13: refused from the fixed header, without waiting for the body. */
    @Test
    void refusesAPacketOverMaxPacketSizeFromItsFixedHeader() {
        checkAnswerThenHealthy("packet too large (MQTT 5.0 3.1.2.11.4, 4.13)", () -> {
            try (RawConnection raw = RawConnection.open(broker.port())) {
                raw.connect(MqttVersion.V5, "too-large");
                // The fixed header of a PUBLISH of 1 MiB (Remaining Length 80 80 40) and 5 bytes of its
                // body: the rest never comes, so only a decision from the header answers in time.
                raw.send(hex("30 80 80 40  00 03 61 2F 62"));
                MqttPacket answer = raw.readPacket(MqttVersion.V5, ANSWER);
                assertThat(answer).isInstanceOf(Disconnect.class);
                assertThat(reasonOf(answer)).isEqualTo(DisconnectReasonCode.PACKET_TOO_LARGE);
                assertThat(raw.expectClosed(ANSWER)).isEmpty();
            }
        });
    }

    @Test
    void closesAConnectionThatSendsGarbageAfterConnect() {
        byte[] garbage = new byte[10_000];
        new Random(0x4D515454L).nextBytes(garbage);
        try (RawConnection raw = RawConnection.open(broker.port())) {
            raw.connect(MqttVersion.V5, "garbage");
            raw.trySend(garbage);
            raw.expectClosed(ANSWER);
        }
        healthy.assertStillDelivers("10,000 random bytes");
    }

    /**
     * Seeded random byte strings, each on a fresh connection: pure noise, mutated CONNECTs, and valid
     * CONNECTs followed by noise. Connections run in batches so ones the broker must wait out (a
     * partial packet) cost one connect timeout per batch, not each.
     */
    @Test
    void answersOrClosesEveryRandomConnection() {
        int connections = 200;
        int batchSize = 50;
        long errorsBefore = broker.broker().metrics().protocolErrors();
        Random random = new Random(20_240_601L);
        List<String> unanswered = new ArrayList<>();
        for (int first = 0; first < connections; first += batchSize) {
            List<RawConnection> batch = new ArrayList<>(batchSize);
            List<byte[]> inputs = new ArrayList<>(batchSize);
            try {
                for (int i = first; i < first + batchSize; i++) {
                    byte[] input = fuzzInput(random, i);
                    RawConnection raw = RawConnection.open(broker.port());
                    batch.add(raw);
                    inputs.add(input);
                    raw.trySend(input);
                }
                long deadline = System.nanoTime() + CONNECT_TIMEOUT.plus(ANSWER).toNanos();
                for (int k = 0; k < batch.size(); k++) {
                    Duration left = Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime()));
                    if (!batch.get(k).answersOrCloses(left)) {
                        unanswered.add("#" + (first + k) + ": " + hex(inputs.get(k)));
                    }
                }
            } finally {
                batch.forEach(RawConnection::close);
            }
        }
        assertThat(unanswered)
                .as("connections the broker neither answered nor closed")
                .isEmpty();
        assertThat(broker.broker().metrics().protocolErrors()).isGreaterThan(errorsBefore);
        healthy.assertStillDelivers(connections + " random connections");
    }

    private static byte[] fuzzInput(Random random, int i) {
        MqttVersion version = i % 2 == 0 ? MqttVersion.V5 : MqttVersion.V3_1_1;
        byte[] connect = MqttEncoder.encode(RawConnection.connectPacket(version, "fuzz-" + i), version)
                .toArray();
        switch (i % 3) {
            case 0 -> {
                byte[] noise = new byte[1 + random.nextInt(64)];
                random.nextBytes(noise);
                return noise;
            }
            case 1 -> {
                int flips = 1 + random.nextInt(3);
                for (int f = 0; f < flips; f++) {
                    connect[random.nextInt(connect.length)] = (byte) random.nextInt(256);
                }
                return connect;
            }
            default -> {
                byte[] input = new byte[connect.length + 1 + random.nextInt(64)];
                System.arraycopy(connect, 0, input, 0, connect.length);
                byte[] noise = new byte[input.length - connect.length];
                random.nextBytes(noise);
                System.arraycopy(noise, 0, input, connect.length, noise.length);
                return input;
            }
        }
    }

    /**
     * Runs the checks of one bad connection, then proves the broker and its other clients carry on
     * whatever the bad connection was answered; a wrong answer fails the test after that.
     */
    private void checkAnswerThenHealthy(String what, Runnable badConnection) {
        AssertionError wrongAnswer = null;
        try {
            badConnection.run();
        } catch (AssertionError e) {
            wrongAnswer = new AssertionError(what + ": " + e.getMessage(), e);
        }
        healthy.assertStillDelivers(what);
        if (wrongAnswer != null) {
            throw wrongAnswer;
        }
    }

    private static ReasonCode reasonOf(MqttPacket packet) {
        if (packet instanceof ConnAck a) {
            return a.reasonCode();
        }
        if (packet instanceof Disconnect d) {
            return d.reasonCode();
        }
        throw new AssertionError("expected CONNACK or DISCONNECT, got " + packet);
    }
}
