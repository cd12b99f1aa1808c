package dev.herald.mqtt.broker;

import static dev.herald.mqtt.broker.RawMqttClient.utf8;
import static dev.herald.mqtt.broker.TestClients.WAIT;
import static dev.herald.mqtt.broker.TestClients.awaitCount;
import static dev.herald.mqtt.broker.TestClients.collect;
import static dev.herald.mqtt.broker.TestClients.connectV5;
import static dev.herald.mqtt.broker.TestClients.disconnectQuietly;
import static dev.herald.mqtt.broker.TestClients.subscribe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.typesafe.config.ConfigFactory;
import dev.herald.mqtt.filter.FilterResult;
import dev.herald.mqtt.filter.PacketMetricsFilter;
import dev.herald.mqtt.message.Disconnect;
import dev.herald.mqtt.message.MqttVersion;
import dev.herald.mqtt.message.PacketType;
import dev.herald.mqtt.message.PingReq;
import dev.herald.mqtt.message.PubAck;
import dev.herald.mqtt.message.PubRec;
import dev.herald.mqtt.message.Publish;
import dev.herald.mqtt.message.QoS;
import dev.herald.mqtt.message.SubAck;
import dev.herald.mqtt.message.property.MqttProperty;
import dev.herald.mqtt.message.property.Properties;
import dev.herald.mqtt.message.reason.DisconnectReasonCode;
import dev.herald.mqtt.message.reason.PubAckReasonCode;
import dev.herald.mqtt.message.reason.SubAckReasonCode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Queue;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Packet filters end to end: the payload validator configured with rules (size, UTF-8, JSON, JSON
 * Schema), the packet metrics filter, and the application's own filters that change, reject or fail.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(LogCapturingExtension.class)
class FilterIT {

    private static final String SCHEMA = """
            {"type": "object", "required": ["celsius"],
             "properties": {"celsius": {"type": "number", "minimum": -90, "maximum": 60}}}
            """;

    private EmbeddedBroker broker;
    private final PacketMetricsFilter packetMetrics = new PacketMetricsFilter();

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        Path schema = Files.writeString(dir.resolve("temperature.schema.json"), SCHEMA);
        String rules = "herald.mqtt.filters.payload-rules = ["
                + "{ topics = \"sensors/+/temperature\", schema-file = \""
                + schema.toString().replace("\\", "/") + "\" },"
                + "{ topics = \"sensors/#\", format = json },"
                + "{ topics = \"text/#\", format = utf8, max-bytes = 16 } ]";
        broker = EmbeddedBroker.builder()
                .config(ConfigFactory.parseString(rules)
                        .withFallback(ConfigFactory.parseString("herald.mqtt { bind = \"127.0.0.1\", port = 0 }"))
                        .withFallback(ConfigFactory.load()))
                .filter(packetMetrics)
                .filter((client, packet) ->
                        packet instanceof Publish p && p.topic().equals("shout")
                                ? FilterResult.replace(new Publish(
                                        p.topic(),
                                        p.qos(),
                                        p.retain(),
                                        p.dup(),
                                        p.packetId(),
                                        p.properties(),
                                        utf8(RawMqttClient.text(p.payload()).toUpperCase())))
                                : FilterResult.pass())
                .filter((client, packet) -> packet instanceof dev.herald.mqtt.message.Subscribe s
                                && s.subscriptions().get(0).filter().startsWith("secret/")
                        ? FilterResult.reject(0x87, "no secrets for " + client.clientId())
                        : FilterResult.pass())
                .filter((client, packet) -> {
                    if (packet instanceof Publish p && p.topic().equals("boom")) {
                        throw new IllegalStateException("filter bug");
                    }
                    return packet instanceof PingReq && client.clientId().equals("no-pings")
                            ? FilterResult.reject(0x98, "administrative action")
                            : FilterResult.pass();
                })
                .start();
    }

    @AfterAll
    void stop() {
        broker.close();
    }

    private RawMqttClient raw(String id, MqttVersion version) throws Exception {
        RawMqttClient client = RawMqttClient.open(broker.port(), version);
        Properties props = version == MqttVersion.V5
                ? Properties.builder()
                        .add(MqttProperty.REQUEST_PROBLEM_INFORMATION, 1)
                        .build()
                : Properties.EMPTY;
        client.connect(client.connectPacket(id, true, 60, props, null));
        return client;
    }

    @Test
    void payloadsThatBreakTheirTopicsRuleGet0x83AndAreNotDelivered() throws Exception {
        Mqtt5BlockingClient subscriber = connectV5(broker.port(), "rules-sub");
        try (RawMqttClient publisher = raw("rules-pub", MqttVersion.V5)) {
            Queue<Mqtt5Publish> received = collect(subscriber);
            subscribe(subscriber, "#", MqttQos.AT_LEAST_ONCE);
            long droppedBefore = broker.metrics().droppedFiltered();

            publisher.publish("sensors/kitchen/temperature", QoS.AT_LEAST_ONCE, 1, false, "{\"celsius\": 99}");
            PubAck outOfRange = publisher.expect(PubAck.class);
            assertThat(outOfRange.reasonCode()).isEqualTo(PubAckReasonCode.IMPLEMENTATION_SPECIFIC_ERROR);
            assertThat(outOfRange.properties().string(MqttProperty.REASON_STRING))
                    .startsWith("payload for 'sensors/+/temperature' does not match its JSON Schema");

            publisher.publish("sensors/kitchen/humidity", QoS.EXACTLY_ONCE, 2, false, "{\"rh\": 40");
            PubRec notJson = publisher.expect(PubRec.class);
            assertThat(notJson.reasonCode()).isEqualTo(PubAckReasonCode.IMPLEMENTATION_SPECIFIC_ERROR);
            assertThat(notJson.properties().string(MqttProperty.REASON_STRING))
                    .isEqualTo("payload for 'sensors/#' is not well-formed JSON");

            publisher.publish("text/long", QoS.AT_LEAST_ONCE, 3, false, "more than sixteen bytes");
            assertThat(publisher.expect(PubAck.class).properties().string(MqttProperty.REASON_STRING))
                    .isEqualTo("payload for 'text/#' is 23 bytes, more than 16");
            publisher.send(new Publish(
                    "text/bad",
                    QoS.AT_MOST_ONCE,
                    false,
                    false,
                    0,
                    Properties.EMPTY,
                    org.apache.pekko.util.ByteString.fromArray(new byte[] {(byte) 0xC3, 0x28})));

            publisher.publish("sensors/kitchen/temperature", QoS.AT_LEAST_ONCE, 4, false, "{\"celsius\": 21.5}");
            assertThat(publisher.expect(PubAck.class).reasonCode()).isEqualTo(PubAckReasonCode.SUCCESS);
            publisher.publish("other/topic", QoS.AT_MOST_ONCE, 0, false, "no rule, anything goes");

            awaitCount(received, 2);
            assertThat(received)
                    .extracting(p -> p.getTopic().toString())
                    .containsExactly("sensors/kitchen/temperature", "other/topic");
            assertThat(broker.metrics().droppedFiltered() - droppedBefore).isEqualTo(4);
        } finally {
            disconnectQuietly(subscriber);
        }
    }

    @Test
    void aFilterChangesThePacketBeforeTheBrokerRoutesIt() {
        Mqtt5BlockingClient client = connectV5(broker.port(), "shouter");
        try {
            Queue<Mqtt5Publish> received = collect(client);
            subscribe(client, "shout", MqttQos.AT_LEAST_ONCE);
            client.publishWith()
                    .topic("shout")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .payload("hello".getBytes(StandardCharsets.UTF_8))
                    .send();
            awaitCount(received, 1);
            assertThat(new String(received.peek().getPayloadAsBytes(), StandardCharsets.UTF_8))
                    .isEqualTo("HELLO");
        } finally {
            disconnectQuietly(client);
        }
    }

    @Test
    void aRejectedSubscribeGetsTheFiltersCodeAndA311ClientGets0x80() throws Exception {
        try (RawMqttClient v5 = raw("secret-v5", MqttVersion.V5);
                RawMqttClient v3 = raw("secret-v3", MqttVersion.V3_1_1)) {
            v5.subscribe(7, "secret/plans", QoS.AT_LEAST_ONCE);
            SubAck subAck = v5.expect(SubAck.class);
            assertThat(subAck.reasonCodes()).containsExactly(SubAckReasonCode.NOT_AUTHORIZED);
            assertThat(subAck.properties().string(MqttProperty.REASON_STRING)).isEqualTo("no secrets for secret-v5");

            v3.subscribe(8, "secret/plans", QoS.AT_LEAST_ONCE);
            assertThat(v3.expect(SubAck.class).reasonCodes()).containsExactly(SubAckReasonCode.UNSPECIFIED_ERROR);
        }
    }

    @Test
    void a311PublishARuleRejectsIsAcknowledgedAndDropped() throws Exception {
        Mqtt5BlockingClient subscriber = connectV5(broker.port(), "v3-rules-sub");
        try (RawMqttClient v3 = raw("v3-rules-pub", MqttVersion.V3_1_1)) {
            Queue<Mqtt5Publish> received = collect(subscriber);
            subscribe(subscriber, "sensors/#", MqttQos.AT_LEAST_ONCE);
            v3.publish("sensors/a/pressure", QoS.AT_LEAST_ONCE, 5, false, "not json");
            assertThat(v3.expect(PubAck.class).packetId()).isEqualTo(5); // 3.1.1 has no negative PUBACK
            v3.publish("sensors/a/pressure", QoS.AT_LEAST_ONCE, 6, false, "{\"hpa\": 1013}");
            v3.expect(PubAck.class);
            awaitCount(received, 1);
            assertThat(new String(received.peek().getPayloadAsBytes(), StandardCharsets.UTF_8))
                    .isEqualTo("{\"hpa\": 1013}");
        } finally {
            disconnectQuietly(subscriber);
        }
    }

    @Test
    void aRejectedControlPacketEndsTheConnectionWithTheCodeAndAFailingFilterRejectsWith0x83() throws Exception {
        try (RawMqttClient client = raw("no-pings", MqttVersion.V5)) {
            client.send(PingReq.INSTANCE);
            assertThat(client.readUntilClosed(WAIT))
                    .containsExactly(new Disconnect(DisconnectReasonCode.ADMINISTRATIVE_ACTION));
        }
        try (RawMqttClient client = raw("boom-pub", MqttVersion.V5)) {
            client.publish("boom", QoS.AT_LEAST_ONCE, 9, false, "x");
            assertThat(client.expect(PubAck.class).reasonCode())
                    .isEqualTo(PubAckReasonCode.IMPLEMENTATION_SPECIFIC_ERROR);
            client.send(PingReq.INSTANCE);
            client.expect(dev.herald.mqtt.message.PingResp.class); // the connection carries on
        }
    }

    @Test
    void thePacketMetricsFilterCountsWhatClientsSend() throws Exception {
        long publishesBefore = packetMetrics.packets(PacketType.PUBLISH);
        long subscribesBefore = packetMetrics.packets(PacketType.SUBSCRIBE);
        try (RawMqttClient client = raw("counted", MqttVersion.V5)) {
            client.subscribe(1, "counted/#", QoS.AT_MOST_ONCE);
            client.expect(SubAck.class);
            for (int i = 0; i < 5; i++) {
                client.publish("counted/x", QoS.AT_MOST_ONCE, 0, false, "12345");
            }
            for (int i = 0; i < 5; i++) {
                client.expect(Publish.class);
            }
        }
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(packetMetrics.packets(PacketType.PUBLISH) - publishesBefore)
                    .isEqualTo(5);
            assertThat(packetMetrics.packets(PacketType.SUBSCRIBE) - subscribesBefore)
                    .isEqualTo(1);
        });
        assertThat(packetMetrics.payloadBytes()).isGreaterThanOrEqualTo(25);
        assertThat(List.of(PacketType.CONNECT)).allSatisfy(t -> assertThat(packetMetrics.packets(t))
                .as("CONNECT goes to the authenticator, not to filters")
                .isZero());
    }
}
