package dev.herald.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A crash loses nothing acknowledged: the broker runs in a JVM of its own with persistence on and
 * {@code sync} durability, QoS 1/2 publishers publish numbered messages to a persistent subscriber's
 * session, the broker is killed with SIGKILL while they publish, and after a restart on the same
 * data directory the subscriber resumes its session and receives every message whose PUBACK (QoS 1)
 * or PUBCOMP (QoS 2) arrived before the kill.
 *
 * <p>The subscriber is offline while the publishers run, so every acknowledged message must be in
 * its session queue on disk when the PUBACK is sent: that is the promise {@code sync} makes, tested
 * without the noise of messages that were delivered and acknowledged by the subscriber before the
 * kill. As the broker never sent the subscriber anything before the kill, no redelivery is
 * legitimate: a second copy of an acknowledged message would be a broker bug, for QoS 1 too.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(LogCapturingExtension.class)
class PersistenceKillIT {

    private static final int PUBLISHERS = 4;
    private static final int PER_PUBLISHER = 5_000;
    private static final int IN_FLIGHT = 32;
    private static final int KILL_AFTER_ACKED = 1_500;
    private static final Duration PUBLISH_DEADLINE = Duration.ofSeconds(20);
    private static final Duration DELIVERY_DEADLINE = Duration.ofSeconds(20);
    private static final Duration QUIET = Duration.ofSeconds(1);

    @Test
    void everyQos1MessageAcknowledgedBeforeSigkillIsDeliveredAfterTheRestart(@TempDir Path dir, TestReporter reporter)
            throws Exception {
        Outcome o = crashAndResume(dir, MqttQos.AT_LEAST_ONCE, "q1");
        report(reporter, "q1", o);
        assertThat(o.lost())
                .as("acknowledged but never delivered: %s", o.figures())
                .isEmpty();
        assertThat(o.duplicatedAcked())
                .as("acknowledged and delivered twice: %s", o.figures())
                .isEmpty();
    }

    @Test
    void everyQos2MessageCompletedBeforeSigkillIsDeliveredExactlyOnce(@TempDir Path dir, TestReporter reporter)
            throws Exception {
        Outcome o = crashAndResume(dir, MqttQos.EXACTLY_ONCE, "q2");
        report(reporter, "q2", o);
        assertThat(o.lost())
                .as("completed but never delivered: %s", o.figures())
                .isEmpty();
        assertThat(o.duplicatedAcked())
                .as("completed and delivered twice: %s", o.figures())
                .isEmpty();
        assertThat(o.duplicates())
                .as("any message delivered twice at QoS 2: %s", o.figures())
                .isZero();
    }

    @Test
    void theWillOfAClientConnectedAtTheCrashIsPublishedAfterTheRestart(@TempDir Path dir) throws Exception {
        Path config = writeConfig(dir);
        try (ServerProcess first = ServerProcess.start(config)) {
            Mqtt5BlockingClient watcher = client(first.port(), "will-watcher").toBlocking();
            watcher.connectWith().cleanStart(false).sessionExpiryInterval(3600).send();
            watcher.subscribeWith()
                    .topicFilter("kill/wills/#")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .send();
            watcher.disconnect();
            Mqtt5BlockingClient owner = client(first.port(), "will-owner").toBlocking();
            owner.connectWith()
                    .sessionExpiryInterval(60)
                    .willPublish()
                    .topic("kill/wills/owner")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .payload("owner gone".getBytes(StandardCharsets.UTF_8))
                    .delayInterval(1)
                    .applyWillPublish()
                    .send();
            // Its SUBACK waits for the session's record, Will included, to be on disk (sync).
            owner.subscribeWith().topicFilter("kill/unrelated").send();
            first.kill();
        }
        try (ServerProcess second = ServerProcess.start(config)) {
            Mqtt5AsyncClient watcher = client(second.port(), "will-watcher");
            Set<String> received = ConcurrentHashMap.newKeySet();
            watcher.publishes(
                    MqttGlobalPublishFilter.ALL,
                    p -> received.add(new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8)));
            watcher.connectWith()
                    .cleanStart(false)
                    .sessionExpiryInterval(3600)
                    .send()
                    .get(20, TimeUnit.SECONDS);
            // MQTT 5.0 section 3.1.2.5: the connection ended without DISCONNECT (the broker died),
            // so the Will is published once its delay has passed after the restart.
            await().atMost(DELIVERY_DEADLINE).until(() -> received.contains("owner gone"));
            watcher.disconnect().get(10, TimeUnit.SECONDS);
        }
    }

    /** The figures go to the test report and to target/persistence-kill-NAME.txt, pass or fail. */
    private static void report(TestReporter reporter, String name, Outcome o) throws IOException {
        reporter.publishEntry(o.figures());
        StringBuilder text = new StringBuilder();
        o.figures().forEach((k, v) -> text.append(k).append(" = ").append(v).append('\n'));
        Files.writeString(Path.of("target", "persistence-kill-" + name + ".txt"), text);
    }

    /** What was acknowledged before the kill and what the resumed subscriber received. */
    record Outcome(
            Set<String> acked,
            Map<String, Integer> delivered,
            int attempted,
            List<String> lost,
            List<String> duplicatedAcked,
            long duplicates,
            String restored) {

        Map<String, String> figures() {
            Map<String, String> f = new LinkedHashMap<>();
            f.put("attempted", String.valueOf(attempted));
            f.put("acknowledged", String.valueOf(acked.size()));
            f.put("delivered-distinct", String.valueOf(delivered.size()));
            f.put("lost", String.valueOf(lost.size()) + (lost.isEmpty() ? "" : " e.g. " + head(lost)));
            f.put("duplicates", String.valueOf(duplicates));
            f.put("duplicates-of-acknowledged", String.valueOf(duplicatedAcked.size()));
            f.put(
                    "stored-but-not-acknowledged",
                    String.valueOf(delivered.keySet().stream()
                            .filter(id -> !acked.contains(id))
                            .count()));
            f.put("restored", restored);
            return f;
        }

        private static List<String> head(List<String> ids) {
            return ids.subList(0, Math.min(10, ids.size()));
        }
    }

    private Outcome crashAndResume(Path dir, MqttQos qos, String name) throws Exception {
        Path config = writeConfig(dir);
        String subscriberId = "kill-sub-" + name;
        String filter = "kill/" + name + "/+";
        Set<String> acked = ConcurrentHashMap.newKeySet();
        int attempted;
        try (ServerProcess first = ServerProcess.start(config)) {
            Mqtt5BlockingClient sub = client(first.port(), subscriberId).toBlocking();
            sub.connectWith().cleanStart(false).sessionExpiryInterval(3600).send();
            sub.subscribeWith().topicFilter(filter).qos(qos).send();
            sub.disconnect();
            Publishing publishing = new Publishing(first.port(), qos, name, acked);
            await().atMost(PUBLISH_DEADLINE).until(() -> acked.size() >= KILL_AFTER_ACKED || publishing.finished());
            assertThat(publishing.finished())
                    .as("the publishers were still publishing at the kill")
                    .isFalse();
            first.kill();
            attempted = publishing.stop();
        }
        Map<String, Integer> delivered = new ConcurrentHashMap<>();
        AtomicLong lastArrival = new AtomicLong(System.nanoTime());
        try (ServerProcess second = ServerProcess.start(config)) {
            Mqtt5AsyncClient sub = client(second.port(), subscriberId);
            sub.publishes(MqttGlobalPublishFilter.ALL, p -> {
                delivered.merge(new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8), 1, Integer::sum);
                lastArrival.set(System.nanoTime());
            });
            Mqtt5ConnAck connAck = sub.connectWith()
                    .cleanStart(false)
                    .sessionExpiryInterval(3600)
                    .send()
                    .get(20, TimeUnit.SECONDS);
            assertThat(connAck.isSessionPresent()).as("session present").isTrue();
            await().atMost(DELIVERY_DEADLINE)
                    .until(() -> delivered.keySet().containsAll(acked)
                            && System.nanoTime() - lastArrival.get() > QUIET.toNanos());
            sub.disconnect().get(10, TimeUnit.SECONDS);
            List<String> errors = second.linesWith("ERROR");
            assertThat(errors).as("errors logged by the restarted broker").isEmpty();
            String restored = String.join(" | ", second.linesWith("Restored"));
            return outcome(acked, delivered, attempted, restored);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            return outcome(acked, delivered, attempted, "delivery did not complete: " + e.getMessage());
        }
    }

    private static Outcome outcome(Set<String> acked, Map<String, Integer> delivered, int attempted, String restored) {
        List<String> lost =
                acked.stream().filter(id -> !delivered.containsKey(id)).sorted().toList();
        List<String> duplicatedAcked = acked.stream()
                .filter(id -> delivered.getOrDefault(id, 0) > 1)
                .sorted()
                .toList();
        long duplicates = delivered.values().stream().mapToLong(n -> n - 1).sum();
        return new Outcome(
                Set.copyOf(acked), Map.copyOf(delivered), attempted, lost, duplicatedAcked, duplicates, restored);
    }

    private static Path writeConfig(Path dir) throws Exception {
        Path data = dir.resolve("data");
        Path config = dir.resolve("herald.conf");
        Files.writeString(config, """
                herald.admin.enabled = off
                herald.mqtt {
                  bind = "127.0.0.1"
                  port = 0
                  sys.interval = 0
                  max-queued-messages = 100000
                  persistence { enabled = on, durability = sync, directory = "%s" }
                }
                """.formatted(data.toString().replace("\\", "\\\\")));
        return config;
    }

    private static Mqtt5AsyncClient client(int port, String id) {
        return Mqtt5Client.builder()
                .identifier(id)
                .serverHost("127.0.0.1")
                .serverPort(port)
                .buildAsync();
    }

    /**
     * {@link #PUBLISHERS} clients, each sending up to {@link #PER_PUBLISHER} numbered messages with at
     * most {@link #IN_FLIGHT} unacknowledged, recording each one whose PUBACK or PUBCOMP arrived.
     */
    private static final class Publishing {

        private final List<Thread> threads = new ArrayList<>();
        private final List<Mqtt5AsyncClient> clients = new ArrayList<>();
        private final AtomicLong attempted = new AtomicLong();
        private final long deadline = System.nanoTime() + PUBLISH_DEADLINE.toNanos();
        private volatile boolean stopped;

        Publishing(int port, MqttQos qos, String name, Set<String> acked) throws Exception {
            for (int p = 0; p < PUBLISHERS; p++) {
                Mqtt5AsyncClient client = client(port, "kill-pub-" + name + "-" + p);
                client.connect().get(20, TimeUnit.SECONDS);
                clients.add(client);
                String topic = "kill/" + name + "/" + p;
                String prefix = p + ":";
                Thread t = new Thread(() -> publish(client, topic, qos, prefix, acked), "kill-pub-" + p);
                t.setDaemon(true);
                threads.add(t);
            }
            threads.forEach(Thread::start);
        }

        private void publish(Mqtt5AsyncClient client, String topic, MqttQos qos, String prefix, Set<String> acked) {
            Semaphore window = new Semaphore(IN_FLIGHT);
            try {
                for (int i = 0; i < PER_PUBLISHER && !stopped && System.nanoTime() < deadline; i++) {
                    if (!window.tryAcquire(5, TimeUnit.SECONDS)) {
                        return;
                    }
                    String id = prefix + i;
                    attempted.incrementAndGet();
                    client.publishWith()
                            .topic(topic)
                            .qos(qos)
                            .payload(id.getBytes(StandardCharsets.UTF_8))
                            .send()
                            .whenComplete((result, error) -> {
                                if (error == null && result.getError().isEmpty()) {
                                    acked.add(id);
                                }
                                window.release();
                            });
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        boolean finished() {
            return threads.stream().noneMatch(Thread::isAlive);
        }

        /** Stops publishing and returns how many messages were sent. */
        int stop() throws InterruptedException {
            stopped = true;
            for (Thread t : threads) {
                t.join(TimeUnit.SECONDS.toMillis(10));
            }
            clients.forEach(c -> c.disconnect().exceptionally(e -> null));
            return (int) attempted.get();
        }
    }
}
