package dev.herald.mqtt.broker;

import static dev.herald.mqtt.broker.TestClients.WAIT;
import static dev.herald.mqtt.broker.TestClients.awaitCount;
import static dev.herald.mqtt.broker.TestClients.collect;
import static dev.herald.mqtt.broker.TestClients.connectV5;
import static dev.herald.mqtt.broker.TestClients.disconnectQuietly;
import static dev.herald.mqtt.broker.TestClients.payloadsBefore;
import static dev.herald.mqtt.broker.TestClients.publish;
import static dev.herald.mqtt.broker.TestClients.subscribe;
import static dev.herald.mqtt.broker.TestClients.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.herald.mqtt.message.ConnAck;
import dev.herald.mqtt.message.Connect;
import dev.herald.mqtt.message.MqttVersion;
import dev.herald.mqtt.message.PingReq;
import dev.herald.mqtt.message.PingResp;
import dev.herald.mqtt.message.PubAck;
import dev.herald.mqtt.message.QoS;
import dev.herald.mqtt.message.SubAck;
import dev.herald.mqtt.message.Will;
import dev.herald.mqtt.message.property.Properties;
import dev.herald.mqtt.message.reason.ConnectReasonCode;
import dev.herald.mqtt.message.reason.PubAckReasonCode;
import dev.herald.mqtt.message.reason.SubAckReasonCode;
import dev.herald.mqtt.testkit.HeraldBrokerExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code $SYS} topics: the broker publishes its state from BrokerMetrics as retained QoS 0 messages
 * through the normal routing, clients read them as far as the ACL allows, a leading wildcard does not
 * match them (MQTT 5.0 section 4.7.2), and no client can publish there, not even through a Will.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(LogCapturingExtension.class)
class SysTopicsIT {

    private static final String SYS = "$SYS/broker/";
    private static final Path ACL = acl();

    /** Anonymous clients may read and write everything, $SYS included; user "nosys" only what '#' covers. */
    @RegisterExtension
    static final HeraldBrokerExtension broker =
            new HeraldBrokerExtension("herald.mqtt { sys.interval = 200ms, auth.acl-file = \"" + ACL + "\" }");

    @RegisterExtension
    static final HeraldBrokerExtension off = new HeraldBrokerExtension("herald.mqtt.sys.interval = 0");

    private static Path acl() {
        try {
            Path file = Files.createTempFile("herald-sys-acl", ".acl");
            Files.writeString(file, "topic readwrite #\ntopic readwrite $SYS/#\nuser nosys\ntopic readwrite #\n");
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    void deleteAcl() throws IOException {
        Files.deleteIfExists(ACL);
    }

    /** The latest payload per topic a client received. */
    private static Map<String, String> latest(Mqtt5BlockingClient client) {
        Map<String, String> values = new ConcurrentHashMap<>();
        client.toAsync()
                .publishes(
                        MqttGlobalPublishFilter.ALL,
                        p -> values.put(p.getTopic().toString(), text(p.getPayloadAsBytes())));
        return values;
    }

    private static long count(Map<String, String> values, String topic) {
        String value = values.get(SYS + topic);
        return value == null ? -1 : Long.parseLong(value);
    }

    private static RawMqttClient raw(int port, MqttVersion version, String id, String user) throws IOException {
        RawMqttClient raw = RawMqttClient.open(port, version);
        ConnAck ack = raw.connect(new Connect(version, true, 60, id, Properties.EMPTY, null, user, null));
        assertThat(ack.reasonCode()).isEqualTo(ConnectReasonCode.SUCCESS);
        return raw;
    }

    @Test
    void aSysSubscriberSeesTheBrokerStateAndItsCountsMove() {
        Mqtt5BlockingClient watcher = connectV5(broker.port(), "sys-watcher");
        Mqtt5BlockingClient pub = connectV5(broker.port(), "sys-publisher");
        Mqtt5BlockingClient sub = connectV5(broker.port(), "sys-subscriber");
        try {
            Map<String, String> values = latest(watcher);
            subscribe(watcher, "$SYS/#", MqttQos.AT_MOST_ONCE);
            subscribe(sub, "sys/it/data", MqttQos.AT_LEAST_ONCE);
            await().atMost(WAIT).until(() -> count(values, "clients/connected") >= 3);
            long received = count(values, "messages/received");
            long sent = count(values, "messages/sent");

            for (int i = 0; i < 5; i++) {
                publish(pub, "sys/it/data", MqttQos.AT_LEAST_ONCE, "m" + i);
            }

            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(count(values, "messages/received")).isGreaterThanOrEqualTo(received + 5);
                assertThat(count(values, "messages/sent")).isGreaterThanOrEqualTo(sent + 5);
                assertThat(Double.parseDouble(values.get(SYS + "load/messages/received/1min")))
                        .isPositive();
            });
            assertThat(values.get(SYS + "version")).startsWith("herald version ");
            assertThat(values.get(SYS + "uptime")).matches("\\d+ seconds");
            assertThat(count(values, "clients/total")).isGreaterThanOrEqualTo(3);
            assertThat(count(values, "clients/disconnected")).isGreaterThanOrEqualTo(0);
            assertThat(count(values, "subscriptions/count")).isGreaterThanOrEqualTo(2);
            assertThat(count(values, "retained messages/count")).isGreaterThanOrEqualTo(0);
            assertThat(count(values, "publish/messages/dropped")).isGreaterThanOrEqualTo(0);
            assertThat(values)
                    .containsKeys(
                            SYS + "load/messages/received/5min",
                            SYS + "load/messages/received/15min",
                            SYS + "load/messages/sent/1min",
                            SYS + "load/messages/sent/5min",
                            SYS + "load/messages/sent/15min",
                            SYS + "herald/dropped/queue_full",
                            SYS + "herald/dropped/not_authorized",
                            SYS + "herald/dropped/filtered");
            assertThat(values.get(SYS + "load/messages/sent/15min")).matches("\\d+\\.\\d\\d");
        } finally {
            disconnectQuietly(sub);
            disconnectQuietly(pub);
            disconnectQuietly(watcher);
        }
    }

    @Test
    void sessionsKeptWithoutAConnectionAreDisconnectedClients() {
        Mqtt5BlockingClient watcher = connectV5(broker.port(), "sys-watcher-sessions");
        try {
            Map<String, String> values = latest(watcher);
            subscribe(watcher, "$SYS/broker/clients/+", MqttQos.AT_MOST_ONCE);
            Mqtt5BlockingClient persistent = TestClients.v5(broker.port(), "sys-persistent");
            persistent.connectWith().sessionExpiryInterval(60).send();
            // Settled: the clients of earlier tests are gone, only these two are connected.
            await().atMost(WAIT)
                    .until(() -> count(values, "clients/connected") == 2
                            && count(values, "clients/total") == count(values, "clients/disconnected") + 2);
            long disconnected = count(values, "clients/disconnected");
            long total = count(values, "clients/total");
            persistent.disconnect();
            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(count(values, "clients/connected")).isEqualTo(1);
                assertThat(count(values, "clients/disconnected")).isEqualTo(disconnected + 1);
                assertThat(count(values, "clients/total")).isEqualTo(total);
            });
        } finally {
            disconnectQuietly(watcher);
        }
    }

    @Test
    void sharedGroupsHaveTheirOwnTopics() {
        Mqtt5BlockingClient member = connectV5(broker.port(), "sys-share-member");
        Mqtt5BlockingClient pub = connectV5(broker.port(), "sys-share-pub");
        Mqtt5BlockingClient watcher = connectV5(broker.port(), "sys-share-watcher");
        try {
            subscribe(member, "$share/sysgroup/sys/it/shared", MqttQos.AT_LEAST_ONCE);
            publish(pub, "sys/it/shared", MqttQos.AT_LEAST_ONCE, "one");
            publish(pub, "sys/it/shared", MqttQos.AT_LEAST_ONCE, "two");
            Map<String, String> values = latest(watcher);
            subscribe(watcher, "$SYS/broker/herald/shared/sysgroup/#", MqttQos.AT_MOST_ONCE);
            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(count(values, "herald/shared/sysgroup/members")).isEqualTo(1);
                assertThat(count(values, "herald/shared/sysgroup/delivered")).isEqualTo(2);
                assertThat(count(values, "herald/shared/sysgroup/redelivered")).isZero();
                assertThat(count(values, "herald/shared/sysgroup/dropped")).isZero();
            });
        } finally {
            disconnectQuietly(watcher);
            disconnectQuietly(pub);
            disconnectQuietly(member);
        }
    }

    @Test
    void theTopicsAreRetainedForALateSubscriber() {
        Mqtt5BlockingClient late = connectV5(broker.port(), "sys-late");
        try {
            Queue<Mqtt5Publish> received = collect(late);
            subscribe(late, "$SYS/broker/version", MqttQos.AT_LEAST_ONCE);
            awaitCount(received, 1);
            Mqtt5Publish version = received.peek();
            assertThat(version.isRetain()).isTrue();
            assertThat(version.getQos()).isEqualTo(MqttQos.AT_MOST_ONCE);
            assertThat(text(version.getPayloadAsBytes())).startsWith("herald version ");
        } finally {
            disconnectQuietly(late);
        }
    }

    @Test
    void aLeadingWildcardMatchesNoSysTopic() {
        Mqtt5BlockingClient all = connectV5(broker.port(), "sys-hash");
        Mqtt5BlockingClient uptime = connectV5(broker.port(), "sys-uptime");
        try {
            Queue<Mqtt5Publish> received = collect(all);
            subscribe(all, "#", MqttQos.AT_MOST_ONCE);
            subscribe(all, "+/broker/#", MqttQos.AT_MOST_ONCE);
            subscribe(all, "+/broker/uptime", MqttQos.AT_MOST_ONCE);
            // Two uptime changes seen by a $SYS subscriber: rounds ran after the '#' subscription.
            Queue<Mqtt5Publish> ticks = collect(uptime);
            subscribe(uptime, "$SYS/broker/uptime", MqttQos.AT_MOST_ONCE);
            awaitCount(ticks, 3);
            publish(uptime, "sys/it/sentinel", MqttQos.AT_MOST_ONCE, "end");
            payloadsBefore(received, "sys/it/sentinel");
            assertThat(received).noneMatch(p -> p.getTopic().toString().startsWith("$"));
        } finally {
            disconnectQuietly(uptime);
            disconnectQuietly(all);
        }
    }

    @Test
    void aClientPublishToSysIsRefusedWith0x90AndNotRouted() throws Exception {
        Mqtt5BlockingClient watcher = connectV5(broker.port(), "sys-forge-watcher");
        try (RawMqttClient v5 = raw(broker.port(), MqttVersion.V5, "sys-forger", null);
                RawMqttClient v3 = raw(broker.port(), MqttVersion.V3_1_1, "sys-forger3", null)) {
            Queue<Mqtt5Publish> received = collect(watcher);
            subscribe(watcher, "$SYS/broker/version", MqttQos.AT_MOST_ONCE);
            subscribe(watcher, "$SYS/x", MqttQos.AT_MOST_ONCE);
            awaitCount(received, 1);
            long denied = broker.broker().metrics().droppedNotAuthorized();

            v5.publish("$SYS/x", QoS.AT_LEAST_ONCE, 1, false, "forged");
            assertThat(v5.expect(PubAck.class).reasonCode()).isEqualTo(PubAckReasonCode.TOPIC_NAME_INVALID);
            v5.publish("$SYS/broker/version", QoS.AT_MOST_ONCE, 0, false, "forged");
            v3.publish("$SYS/broker/version", QoS.AT_LEAST_ONCE, 1, false, "forged");
            assertThat(v3.expect(PubAck.class).reasonCode().isError()).isFalse();
            v3.publish("$SYS", QoS.AT_MOST_ONCE, 0, false, "forged");

            await().atMost(WAIT).until(() -> broker.broker().metrics().droppedNotAuthorized() >= denied + 4);
            v5.send(PingReq.INSTANCE); // the connections carry on
            assertThat(v5.read()).isInstanceOf(PingResp.class);
            v3.send(PingReq.INSTANCE);
            assertThat(v3.read()).isInstanceOf(PingResp.class);
            assertThat(received).noneMatch(p -> text(p.getPayloadAsBytes()).equals("forged"));
        } finally {
            disconnectQuietly(watcher);
        }
    }

    @Test
    void aWillOnASysTopicIsDropped() throws Exception {
        Mqtt5BlockingClient watcher = connectV5(broker.port(), "sys-will-watcher");
        try {
            Queue<Mqtt5Publish> received = collect(watcher);
            subscribe(watcher, "$SYS/broker/version", MqttQos.AT_MOST_ONCE);
            awaitCount(received, 1);
            long denied = broker.broker().metrics().droppedNotAuthorized();
            RawMqttClient client = RawMqttClient.open(broker.port(), MqttVersion.V5);
            Will will = new Will(
                    "$SYS/broker/version", RawMqttClient.utf8("forged"), QoS.AT_MOST_ONCE, true, Properties.EMPTY);
            assertThat(client.connect("sys-will", true, 0, will).reasonCode()).isEqualTo(ConnectReasonCode.SUCCESS);
            client.close(); // no DISCONNECT: the Will is due

            await().atMost(WAIT).until(() -> broker.broker().metrics().droppedNotAuthorized() > denied);
            assertThat(received).noneMatch(p -> text(p.getPayloadAsBytes()).equals("forged"));
        } finally {
            disconnectQuietly(watcher);
        }
    }

    @Test
    void anAclThatDoesNotGrantSysRefusesTheSubscription() throws Exception {
        try (RawMqttClient nosys = raw(broker.port(), MqttVersion.V5, "sys-nosys", "nosys")) {
            nosys.subscribe(1, "$SYS/#", QoS.AT_MOST_ONCE);
            assertThat(nosys.expect(SubAck.class).reasonCodes()).containsExactly(SubAckReasonCode.NOT_AUTHORIZED);
            nosys.subscribe(2, "#", QoS.AT_MOST_ONCE);
            assertThat(nosys.expect(SubAck.class).reasonCodes()).containsExactly(SubAckReasonCode.GRANTED_QOS_0);
        }
        try (RawMqttClient anonymous = raw(broker.port(), MqttVersion.V5, "sys-anonymous", null)) {
            anonymous.subscribe(1, "$SYS/broker/uptime", QoS.AT_MOST_ONCE);
            assertThat(anonymous.expect(SubAck.class).reasonCodes()).containsExactly(SubAckReasonCode.GRANTED_QOS_0);
        }
    }

    @Test
    void intervalZeroPublishesNothing() {
        Mqtt5BlockingClient client = connectV5(off.port(), "sys-off");
        try {
            Queue<Mqtt5Publish> received = collect(client);
            subscribe(client, "$SYS/#", MqttQos.AT_MOST_ONCE);
            subscribe(client, "sys/it/off", MqttQos.AT_MOST_ONCE);
            publish(client, "sys/it/off", MqttQos.AT_MOST_ONCE, "end");
            assertThat(payloadsBefore(received, "sys/it/off")).isEmpty();
            // Ten of the other broker's intervals: still nothing.
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> received.stream()
                    .noneMatch(p -> p.getTopic().toString().startsWith("$")));
        } finally {
            disconnectQuietly(client);
        }
    }
}
