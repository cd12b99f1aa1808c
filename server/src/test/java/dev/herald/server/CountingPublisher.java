package dev.herald.server;

import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.core.ConditionTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A QoS 1 publisher of numbered messages on kill/data/NAME, paced (PER_TICK every TICK_MS, at most
 * IN_FLIGHT unacknowledged) and bounded (PER_PUBLISHER messages, PUBLISHING long).
 */
final class CountingPublisher {
    static final int PER_PUBLISHER = 1_500;
    static final int PER_TICK = 3;
    static final long TICK_MS = 20;
    static final int IN_FLIGHT = 20;
    static final int ACKED_BEFORE_STOP = 300;
    static final Duration PUBLISHING = Duration.ofSeconds(12);

    private static final Logger log = LoggerFactory.getLogger(ClusterKillIT.class);

    private final String name;
    private final Mqtt5AsyncClient client;
    private final Set<String> acked = ConcurrentHashMap.newKeySet();
    private final Set<String> noMatching = ConcurrentHashMap.newKeySet();
    private final Semaphore inFlight = new Semaphore(IN_FLIGHT);
    private final AtomicInteger failed = new AtomicInteger();
    private volatile String error = "";
    private volatile int sent;
    private volatile ScheduledFuture<?> task;

    CountingPublisher(String name, Mqtt5AsyncClient client) throws Exception {
        this.name = name;
        this.client = client;
        ReconnectingClients.connect(client, ReconnectingClients.SESSION_EXPIRY);
    }

    String name() {
        return name;
    }

    Set<String> acked() {
        return acked;
    }

    /** Publishes probes until every subscriber has one: this node's snapshot has their subscriptions. */
    void awaitRouted(List<CountingSubscriber> subscribers, Duration deadline) {
        await().atMost(deadline).pollInterval(Duration.ofMillis(100)).until(() -> {
            client.publishWith()
                    .topic("kill/probe/" + name)
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .payload(("probe:" + name).getBytes(StandardCharsets.UTF_8))
                    .send();
            return subscribers.stream().allMatch(s -> s.hasProbeFrom(name));
        });
    }

    void start(ScheduledExecutorService pacer, long started) {
        long end = started + PUBLISHING.toNanos();
        task = pacer.scheduleAtFixedRate(() -> tick(end), TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
    }

    /** Runs on the pacer's one thread only. */
    private void tick(long end) {
        for (int i = 0; i < PER_TICK; i++) {
            if (sent >= PER_PUBLISHER || System.nanoTime() > end) {
                task.cancel(false);
                return;
            }
            if (!inFlight.tryAcquire()) {
                return;
            }
            String payload = name + ":" + sent++;
            client.publishWith()
                    .topic("kill/data/" + name)
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .payload(payload.getBytes(StandardCharsets.UTF_8))
                    .send()
                    .whenComplete((result, e) -> {
                        Throwable problem = e != null ? e : result.getError().orElse(null);
                        if (problem == null) {
                            acked.add(payload);
                            if (result instanceof Mqtt5PublishResult.Mqtt5Qos1Result q
                                    && q.getPubAck().getReasonCode() == Mqtt5PubAckReasonCode.NO_MATCHING_SUBSCRIBERS) {
                                noMatching.add(payload);
                            }
                        } else {
                            if (failed.getAndIncrement() == 0) {
                                error = problem.toString();
                            }
                        }
                        inFlight.release();
                    });
        }
    }

    /** Waits until publishing has ended and every publish was answered (or the deadline passed). */
    void awaitFinished(Duration deadline, long started) {
        long end = started + deadline.toNanos();
        await().atMost(Duration.ofNanos(Math.max(end - System.nanoTime(), 1_000_000)))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> task.isDone());
        try {
            await().atMost(Duration.ofNanos(Math.max(end - System.nanoTime(), 1_000_000)))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> unanswered() == 0);
        } catch (ConditionTimeoutException e) {
            log.warn("{}: {} publishes not answered", name, unanswered());
        }
    }

    int unanswered() {
        return IN_FLIGHT - inFlight.availablePermits();
    }

    String figures() {
        return "sent " + sent + ", acknowledged " + acked.size() + ", failed " + failed.get()
                + (error.isEmpty() ? "" : " (first: " + error + ")") + ", unanswered " + unanswered()
                + ", acknowledged with No matching subscribers " + noMatching.size()
                + (noMatching.isEmpty()
                        ? ""
                        : " " + noMatching.stream().sorted().limit(10).toList());
    }
}
