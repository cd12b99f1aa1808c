package dev.herald.mqtt.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.herald.mqtt.message.Publish;
import dev.herald.mqtt.message.QoS;
import dev.herald.mqtt.message.RetainHandling;
import dev.herald.mqtt.message.Subscription;
import dev.herald.mqtt.message.Will;
import dev.herald.mqtt.message.property.MqttProperty;
import dev.herald.mqtt.message.property.Properties;
import dev.herald.mqtt.store.PersistenceSettings;
import dev.herald.mqtt.store.StoreMetrics;
import dev.herald.mqtt.store.internal.StoredSession.StoredSubscription;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The store's records read back as written, and what recovery removes. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(TestKitJUnit5Extension.class)
@ExtendWith(LogCapturingExtension.class)
class BrokerStoreTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    @JUnit5TestKit
    ActorTestKit testKit =
            new JUnit5TestKitBuilder().withCustomConfig(ConfigFactory.load()).build();

    private BrokerStore open(Path dir) {
        BrokerStore store = BrokerStore.open(
                new PersistenceSettings(true, dir, PersistenceSettings.Durability.SYNC, Duration.ofMillis(10), 20_000));
        store.start(testKit.system(), new StoreMetrics());
        return store;
    }

    private static void close(BrokerStore store, ActorTestKit kit) throws Exception {
        store.close(kit.system(), WAIT).toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    private static Publish publish(String topic, QoS qos, int packetId) {
        return new Publish(
                topic,
                qos,
                false,
                false,
                packetId,
                Properties.builder()
                        .add(MqttProperty.MESSAGE_EXPIRY_INTERVAL, 60L)
                        .build(),
                ByteString.fromString("payload of " + topic));
    }

    /** Waits for the change to be on disk. */
    private static OnCommit latch(CountDownLatch done) {
        return stored -> done.countDown();
    }

    @Test
    void sessionsMessagesAndRetainedMessagesReadBackAsWritten(@TempDir Path dir) throws Exception {
        Will will = new Will(
                "wills/a",
                ByteString.fromString("bye"),
                QoS.AT_LEAST_ONCE,
                true,
                Properties.builder().add(MqttProperty.WILL_DELAY_INTERVAL, 30L).build());
        StoredSession session = new StoredSession(
                "client é/1",
                42,
                3600,
                1_700_000_000_000L,
                List.of(
                        new StoredSubscription(
                                new Subscription("a/+", QoS.EXACTLY_ONCE, true, true, RetainHandling.DO_NOT_SEND), 7),
                        new StoredSubscription(new Subscription("$share/g/b/#", QoS.AT_MOST_ONCE), 0)),
                will,
                1_700_000_030_000L);
        StoredMessage queued =
                new StoredMessage(1, publish("a/1", QoS.AT_LEAST_ONCE, 0), StoredMessage.State.QUEUED, 5);
        StoredMessage inFlight =
                new StoredMessage(2, publish("a/2", QoS.EXACTLY_ONCE, 9), StoredMessage.State.RELEASED, 6);
        StoredRetained retained = new StoredRetained(publish("r/1", QoS.AT_MOST_ONCE, 0), 77);
        BrokerStore store = open(dir);
        CountDownLatch done = new CountDownLatch(5);
        store.putSession(session, latch(done));
        store.putMessage(session.clientId(), 42, queued, true, latch(done));
        store.putMessage(session.clientId(), 42, inFlight, true, latch(done));
        store.putInboundQos2(session.clientId(), 42, 65_535, latch(done));
        store.putRetained(retained, latch(done));
        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        close(store, testKit);

        BrokerStore reopened = open(dir);
        List<StoredSession> sessions = new ArrayList<>();
        reopened.forEachSession(sessions::add);
        assertThat(sessions).containsExactly(session);
        assertThat(reopened.messages(session.clientId(), 42)).containsExactly(queued, inFlight);
        assertThat(reopened.inboundQos2(session.clientId(), 42)).containsExactly(65_535);
        List<StoredRetained> kept = new ArrayList<>();
        reopened.forEachRetained(kept::add);
        assertThat(kept).containsExactly(retained);
        close(reopened, testKit);
    }

    @Test
    void aFullGroupIsCommittedWithoutWaitingForTheBatchInterval(@TempDir Path dir) throws Exception {
        BrokerStore store = BrokerStore.open(
                new PersistenceSettings(true, dir, PersistenceSettings.Durability.BATCHED, Duration.ofHours(1), 2));
        store.start(testKit.system(), new StoreMetrics());
        CountDownLatch done = new CountDownLatch(2);
        StoredMessage m = new StoredMessage(1, publish("t", QoS.AT_LEAST_ONCE, 0), StoredMessage.State.QUEUED, 1);
        store.putMessage("full", 1, m, true, latch(done));
        store.putInboundQos2("full", 1, 3, latch(done)); // the second change fills the group
        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(store.messages("full", 1)).containsExactly(m);
        close(store, testKit);
    }

    @Test
    void recoveryRemovesTheRecordsOfSessionsThatNoLongerExist(@TempDir Path dir) throws Exception {
        BrokerStore store = open(dir);
        CountDownLatch done = new CountDownLatch(5);
        StoredMessage m = new StoredMessage(1, publish("t", QoS.AT_LEAST_ONCE, 0), StoredMessage.State.QUEUED, 1);
        store.putMessage("a", 1, m, true, latch(done)); // an earlier session of "a"
        store.putMessage("a", 2, m, true, latch(done)); // the live one
        store.putMessage("ab", 1, m, true, latch(done)); // a client id that shares a prefix, no session
        store.putInboundQos2("a", 1, 5, latch(done));
        store.putInboundQos2("a", 2, 6, latch(done));
        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();

        assertThat(store.sweepOrphans(Map.of("a", 2L))).isEqualTo(3);
        CountDownLatch swept = new CountDownLatch(1);
        store.putInboundQos2("a", 2, 7, latch(swept)); // committed after the sweep
        assertThat(swept.await(5, TimeUnit.SECONDS)).isTrue();

        assertThat(store.messages("a", 2)).containsExactly(m);
        assertThat(store.messages("a", 1)).isEmpty();
        assertThat(store.messages("ab", 1)).isEmpty();
        assertThat(store.inboundQos2("a", 1)).isEmpty();
        assertThat(store.inboundQos2("a", 2)).containsExactlyInAnyOrder(6, 7);
        close(store, testKit);
    }
}
