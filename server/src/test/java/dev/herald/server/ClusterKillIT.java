package dev.herald.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import dev.herald.server.FailOverOutcome.Timings;
import dev.herald.server.ThreeNodeCluster.Node;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Three server processes form a cluster; the process whose node runs the BrokerActor (the cluster
 * singleton) is killed with SIGKILL, or stopped with SIGTERM, while QoS 1 publishers on all three
 * nodes publish numbered messages to persistent subscribers on all three. The BrokerActor must answer
 * a SUBSCRIBE on a survivor again within the bound, and every message acknowledged to its publisher
 * must reach the subscribers whose sessions live on the survivors. The subscriber whose session was
 * on the stopped node loses it (documented in docs/cluster.md); its figures are only reported.
 *
 * <p>Each fail-over runs once, on a cluster of its own, for the tests that look at it. The measured
 * figures are logged at INFO and written to {@code target/cluster-kill-NAME.txt}, and each server's
 * output to {@code target/cluster-kill-NAME-nodeN.log}. The nodes are a {@link ThreeNodeCluster}, the
 * clients {@link CountingPublisher}s and {@link CountingSubscriber}s, the figures a
 * {@link FailOverOutcome}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(LogCapturingExtension.class)
class ClusterKillIT {

    private static final Logger log = LoggerFactory.getLogger(ClusterKillIT.class);
    /** How long each step of a run may take (a connect, a SUBACK, the broker's move). */
    static final Duration WAIT = Duration.ofSeconds(20);
    /** How long after the publishers' last PUBACK every acknowledged message may take to arrive. */
    private static final Duration DELIVERED = Duration.ofSeconds(8);

    private static final String SBR_DOWNING = "SBR took decision";

    private final AdminClient adminHttp = new AdminClient(Duration.ofSeconds(2));
    private final ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
    private final List<ServerProcess> processes = new CopyOnWriteArrayList<>();
    private final ReconnectingClients clients = new ReconnectingClients();
    private final Map<String, CompletableFuture<FailOverOutcome>> runs = new HashMap<>();

    // The target of the issue is 5 s from SIGKILL to a SUBSCRIBE answered on a survivor; 10 s leaves room
    // for a busy 2-core machine. The measured numbers are logged and in target/cluster-kill-kill.txt.
    @Test
    void sigkillOfTheBrokerActorsNodeMovesTheBrokerToASurvivorWithinTheBound() throws Exception {
        FailOverOutcome o = killed();
        assertThat(o.timings().earlySubAck()).as(o.summary()).isLessThan(10_000);
        assertThat(o.timings().lateSubAck()).as(o.summary()).isLessThan(10_000);
        o.assertEveryPublishAnswered();
    }

    @Test
    void sigkillOfTheBrokerActorsNodeLosesNoAcknowledgedMessageOnTheSurvivors() throws Exception {
        killed().assertNothingLostOnSurvivors();
    }

    // The target is 2 s from SIGTERM to a SUBSCRIBE answered by the moved BrokerActor; 5 s leaves room for
    // a busy machine. The measured numbers are logged and in target/cluster-kill-term.txt.
    @Test
    void sigtermOfTheBrokerActorsNodeMovesTheBrokerWithinTheBound() throws Exception {
        FailOverOutcome o = terminated();
        assertThat(o.timings().lateSubAck()).as(o.summary()).isLessThan(5_000);
        assertThat(o.exited()).as("the server exits after SIGTERM").isTrue();
        o.assertEveryPublishAnswered();
    }

    @Test
    void sigtermOfTheBrokerActorsNodeLeavesTheClusterInsteadOfBeingDowned() throws Exception {
        FailOverOutcome o = terminated();
        assertThat(o.downedBySbr())
                .as("a node that leaves is not downed by the Split Brain Resolver: %s", o.summary())
                .isFalse();
        assertThat(o.goneFromViews())
                .as("the survivors' members: %s", o.summary())
                .isTrue();
    }

    @Test
    void sigtermOfTheBrokerActorsNodeLosesNoAcknowledgedMessageOnTheSurvivors() throws Exception {
        terminated().assertNothingLostOnSurvivors();
    }

    private FailOverOutcome killed() throws Exception {
        return once("kill", node -> node.process().kill());
    }

    private FailOverOutcome terminated() throws Exception {
        return once("term", node -> node.process().terminate());
    }

    /** Each fail-over runs once (on a cluster of its own) for the tests that look at it. */
    private FailOverOutcome once(String name, StopAction stop) throws Exception {
        CompletableFuture<FailOverOutcome> run = runs.get(name);
        if (run == null) {
            run = new CompletableFuture<>();
            runs.put(name, run);
            try {
                run.complete(failOver(name, ThreeNodeCluster.start(processes, adminHttp), stop));
            } catch (Exception | AssertionError e) {
                run.completeExceptionally(e);
            }
        }
        try {
            return run.join();
        } catch (CompletionException e) {
            throw new AssertionError("the " + name + " run failed", e.getCause());
        }
    }

    @AfterEach
    void stopAll() throws InterruptedException {
        clients.beginClosing();
        for (ServerProcess p : processes) {
            p.close();
        }
        processes.clear();
        clients.endClosing();
    }

    @AfterAll
    void stopPacer() {
        pacer.shutdownNow();
    }

    /** Publishes, stops the singleton's node mid-run, measures the move, counts what arrived. */
    private FailOverOutcome failOver(String name, ThreeNodeCluster cluster, StopAction stop) throws Exception {
        int gone = cluster.singleton();
        List<Node> nodes = cluster.nodes();
        Node first = nodes.get((gone + 1) % 3);
        Node second = nodes.get((gone + 2) % 3);
        // Clients of the stopped node reconnect to a survivor; the others to their own node.
        List<CountingSubscriber> subscribers = new ArrayList<>();
        List<CountingPublisher> publishers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Node node = nodes.get(i);
            int fallback = i == gone ? first.port() : node.port();
            boolean survives = i != gone;
            subscribers.add(new CountingSubscriber(
                    name + "-sub" + i, survives, clients.client(name + "-sub" + i, node.port(), fallback)));
            int pubFallback = i == gone ? second.port() : node.port();
            publishers.add(new CountingPublisher(
                    name + "-pub" + i, clients.client(name + "-pub" + i, node.port(), pubFallback)));
        }
        for (CountingSubscriber s : subscribers) {
            s.subscribe();
        }
        for (CountingPublisher p : publishers) {
            p.awaitRouted(subscribers, WAIT);
        }
        Mqtt5AsyncClient earlyProbe = clients.client(name + "-probe1", first.port(), first.port());
        Mqtt5AsyncClient lateProbe = clients.client(name + "-probe2", second.port(), second.port());
        ReconnectingClients.connect(earlyProbe, 0);
        ReconnectingClients.connect(lateProbe, 0);

        long started = System.nanoTime();
        for (CountingPublisher p : publishers) {
            p.start(pacer, started);
        }
        await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() -> publishers.stream()
                .allMatch(p -> p.acked().size() >= CountingPublisher.ACKED_BEFORE_STOP));

        Node stopped = nodes.get(gone);
        log.info("Stopping {} ({}) {} ms after publishing started", stopped.address(), name, millisSince(started));
        long signalled = System.nanoTime();
        stop.stop(stopped);
        // Early: a SUBSCRIBE sent at once (after SIGKILL only the new BrokerActor can answer it; after SIGTERM
        // the old one may still). Late: one sent once the survivor's /cluster shows the broker moved.
        CompletableFuture<Long> early = earlyProbe
                .subscribeWith()
                .topicFilter("kill/early/#")
                .qos(MqttQos.AT_LEAST_ONCE)
                .send()
                .thenApply(ack -> {
                    assertThat(ack.getReasonCodes()).containsExactly(Mqtt5SubAckReasonCode.GRANTED_QOS_1);
                    return millisSince(signalled);
                });
        long moved = cluster.awaitMoved(first, stopped.address(), signalled);
        assertThat(lateProbe
                        .subscribeWith()
                        .topicFilter("kill/late/#")
                        .qos(MqttQos.AT_LEAST_ONCE)
                        .send()
                        .get(WAIT.toMillis(), TimeUnit.MILLISECONDS)
                        .getReasonCodes())
                .containsExactly(Mqtt5SubAckReasonCode.GRANTED_QOS_1);
        long late = millisSince(signalled);
        Timings timings = new Timings(moved, early.get(WAIT.toMillis(), TimeUnit.MILLISECONDS), late);

        for (CountingPublisher p : publishers) {
            p.awaitFinished(CountingPublisher.PUBLISHING.plus(WAIT), started);
        }
        Set<String> acked = ConcurrentHashMap.newKeySet();
        publishers.forEach(p -> acked.addAll(p.acked()));
        List<CountingSubscriber> onSurvivors =
                subscribers.stream().filter(CountingSubscriber::survives).toList();
        try {
            await().atMost(DELIVERED).pollInterval(Duration.ofMillis(100)).until(() -> onSurvivors.stream()
                    .allMatch(s -> s.lost(acked).isEmpty()));
        } catch (ConditionTimeoutException e) {
            log.warn("Acknowledged messages not delivered within {}", DELIVERED);
        }
        boolean exited = stopped.process().awaitExit(WAIT.toSeconds());
        boolean goneFromViews = cluster.goneFromViews(stopped.address());
        boolean downed = cluster.survivors().stream()
                .anyMatch(n -> !n.process().linesWith(SBR_DOWNING).isEmpty());
        FailOverOutcome o =
                new FailOverOutcome(name, timings, publishers, subscribers, acked, exited, goneFromViews, downed);
        o.report();
        for (int i = 0; i < 3; i++) {
            Path output = Path.of("target", "cluster-kill-" + name + "-node" + i + ".log");
            Files.write(output, nodes.get(i).process().output());
        }
        return o;
    }

    static long millisSince(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
    }

    @FunctionalInterface
    interface StopAction {
        void stop(Node node) throws Exception;
    }
}
