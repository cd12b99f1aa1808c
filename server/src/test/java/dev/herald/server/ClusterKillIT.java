package dev.herald.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.lifecycle.MqttDisconnectSource;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.lifecycle.Mqtt5ClientDisconnectedContext;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
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
 * output to {@code target/cluster-kill-NAME-nodeN.log}. The tests of what was lost, and of a clean
 * leave on SIGTERM, are disabled while the bugs they name are open.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(LogCapturingExtension.class)
class ClusterKillIT {

    private static final Logger log = LoggerFactory.getLogger(ClusterKillIT.class);
    private static final Pattern ADMIN = Pattern.compile("Admin HTTP at http://127\\.0\\.0\\.1:(\\d+)/");
    private static final Duration FORMED = Duration.ofSeconds(40);
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** How long after the publishers' last PUBACK every acknowledged message may take to arrive. */
    private static final Duration DELIVERED = Duration.ofSeconds(8);

    private static final long SESSION_EXPIRY = 300;
    private static final String SBR_DOWNING = "SBR took decision";

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
    private final List<ServerProcess> processes = new CopyOnWriteArrayList<>();
    private final List<Mqtt5AsyncClient> clients = new CopyOnWriteArrayList<>();
    private final Map<String, CompletableFuture<Outcome>> runs = new HashMap<>();
    private volatile boolean closing;

    /** One server process: its MQTT and admin ports and its cluster address. */
    record Node(ServerProcess process, int port, int admin, String address) {}

    /** The nodes, with the index of the one the BrokerActor runs on. */
    record Cluster(List<Node> nodes, int singleton) {}

    /** How long the broker took to answer again after its node went, in ms since the signal. */
    record Timings(long moved, long earlySubAck, long lateSubAck) {}

    // The target of the issue is 5 s from SIGKILL to a SUBSCRIBE answered on a survivor; 10 s leaves room
    // for a busy 2-core machine. The measured numbers are logged and in target/cluster-kill-kill.txt.
    @Test
    void sigkillOfTheBrokerActorsNodeMovesTheBrokerToASurvivorWithinTheBound() throws Exception {
        Outcome o = killed();
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
        Outcome o = terminated();
        assertThat(o.timings().lateSubAck()).as(o.summary()).isLessThan(5_000);
        assertThat(o.exited()).as("the server exits after SIGTERM").isTrue();
        o.assertEveryPublishAnswered();
    }

    @Test
    void sigtermOfTheBrokerActorsNodeLeavesTheClusterInsteadOfBeingDowned() throws Exception {
        Outcome o = terminated();
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

    private Outcome killed() throws Exception {
        return once("kill", node -> node.process().kill());
    }

    private Outcome terminated() throws Exception {
        return once("term", node -> node.process().terminate());
    }

    /** Each fail-over runs once (on a cluster of its own) for the tests that look at it. */
    private Outcome once(String name, StopAction stop) throws Exception {
        CompletableFuture<Outcome> run = runs.get(name);
        if (run == null) {
            run = new CompletableFuture<>();
            runs.put(name, run);
            try {
                run.complete(failOver(name, startCluster(), stop));
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
        closing = true;
        for (Mqtt5AsyncClient c : clients) {
            if (c.getState().isConnected()) {
                c.disconnect();
            }
        }
        clients.clear();
        for (ServerProcess p : processes) {
            p.close();
        }
        processes.clear();
        closing = false;
    }

    @AfterAll
    void stopPacer() {
        pacer.shutdownNow();
    }

    /** Publishes, stops the singleton's node mid-run, measures the move, counts what arrived. */
    private Outcome failOver(String name, Cluster cluster, StopAction stop) throws Exception {
        int gone = cluster.singleton();
        List<Node> nodes = cluster.nodes();
        Node first = nodes.get((gone + 1) % 3);
        Node second = nodes.get((gone + 2) % 3);
        // Clients of the stopped node reconnect to a survivor; the others to their own node.
        List<Subscriber> subscribers = new ArrayList<>();
        List<Publisher> publishers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Node node = nodes.get(i);
            int fallback = i == gone ? first.port() : node.port();
            boolean survives = i != gone;
            subscribers.add(
                    new Subscriber(name + "-sub" + i, survives, client(name + "-sub" + i, node.port(), fallback)));
            int pubFallback = i == gone ? second.port() : node.port();
            publishers.add(new Publisher(name + "-pub" + i, client(name + "-pub" + i, node.port(), pubFallback)));
        }
        for (Subscriber s : subscribers) {
            s.subscribe();
        }
        for (Publisher p : publishers) {
            p.awaitRouted(subscribers, WAIT);
        }
        Mqtt5AsyncClient earlyProbe = client(name + "-probe1", first.port(), first.port());
        Mqtt5AsyncClient lateProbe = client(name + "-probe2", second.port(), second.port());
        connect(earlyProbe, 0);
        connect(lateProbe, 0);

        long started = System.nanoTime();
        for (Publisher p : publishers) {
            p.start(pacer, started);
        }
        await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() -> publishers.stream()
                .allMatch(p -> p.acked().size() >= Publisher.ACKED_BEFORE_STOP));

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
        long moved = awaitMoved(first, stopped.address(), signalled);
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

        for (Publisher p : publishers) {
            p.awaitFinished(Publisher.PUBLISHING.plus(WAIT), started);
        }
        Set<String> acked = ConcurrentHashMap.newKeySet();
        publishers.forEach(p -> acked.addAll(p.acked()));
        List<Subscriber> onSurvivors =
                subscribers.stream().filter(Subscriber::survives).toList();
        try {
            await().atMost(DELIVERED).pollInterval(Duration.ofMillis(100)).until(() -> onSurvivors.stream()
                    .allMatch(s -> s.lost(acked).isEmpty()));
        } catch (ConditionTimeoutException e) {
            log.warn("Acknowledged messages not delivered within {}", DELIVERED);
        }
        boolean exited = stopped.process().awaitExit(WAIT.toSeconds());
        boolean goneFromViews = goneFromViews(survivors(cluster), stopped.address());
        boolean downed = survivors(cluster).stream()
                .anyMatch(n -> !n.process().linesWith(SBR_DOWNING).isEmpty());
        Outcome o = new Outcome(name, timings, publishers, subscribers, acked, exited, goneFromViews, downed);
        o.report();
        for (int i = 0; i < 3; i++) {
            Path output = Path.of("target", "cluster-kill-" + name + "-node" + i + ".log");
            Files.write(output, nodes.get(i).process().output());
        }
        return o;
    }

    /** ms from the signal until the survivor's GET /cluster shows the BrokerActor on another node. */
    private long awaitMoved(Node survivor, String goneAddress, long signalled) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> {
            String broker = view(survivor.admin()).path("brokerActor").asText("");
            return !broker.isEmpty() && !broker.equals(goneAddress);
        });
        return millisSince(signalled);
    }

    /** Whether every survivor soon shows two members, without the stopped node, and none unreachable. */
    private boolean goneFromViews(List<Node> survivors, String goneAddress) {
        try {
            await().atMost(Duration.ofSeconds(5))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        for (Node n : survivors) {
                            JsonNode view = view(n.admin());
                            if (view.get("members").findValuesAsText("address").contains(goneAddress)
                                    || !view.get("unreachable").isEmpty()) {
                                return false;
                            }
                        }
                        return true;
                    });
            return true;
        } catch (ConditionTimeoutException e) {
            return false;
        }
    }

    private Cluster startCluster() throws Exception {
        long began = System.nanoTime();
        int[] clusterPorts = {freePort(), freePort(), freePort()};
        List<CompletableFuture<Node>> starting = new ArrayList<>();
        for (int clusterPort : clusterPorts) {
            starting.add(CompletableFuture.supplyAsync(() -> startNode(clusterPort, clusterPorts[0])));
        }
        List<Node> nodes = new ArrayList<>();
        for (CompletableFuture<Node> s : starting) {
            nodes.add(s.get(FORMED.toSeconds(), TimeUnit.SECONDS));
        }
        String[] broker = new String[1];
        await().atMost(FORMED).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            List<String> brokers = new ArrayList<>();
            for (Node n : nodes) {
                JsonNode view = view(n.admin());
                assertThat(view.get("members")).hasSize(3);
                assertThat(view.get("members").findValuesAsText("status")).containsOnly("Up");
                brokers.add(view.path("brokerActor").asText(""));
            }
            assertThat(brokers.get(0)).isNotEmpty();
            assertThat(brokers).containsOnly(brokers.get(0));
            broker[0] = brokers.get(0);
        });
        int singleton = -1;
        for (int i = 0; i < nodes.size(); i++) {
            if (nodes.get(i).address().equals(broker[0])) {
                singleton = i;
            }
        }
        assertThat(singleton).as("the BrokerActor's node %s", broker[0]).isNotNegative();
        log.info(
                "Cluster formed in {} ms: {}, the BrokerActor on {}",
                millisSince(began),
                nodes.stream().map(Node::address).toList(),
                broker[0]);
        return new Cluster(nodes, singleton);
    }

    private Node startNode(int clusterPort, int seedPort) {
        try {
            ServerProcess p = ServerProcess.start(
                    "--port",
                    "0",
                    "--admin-port",
                    "0",
                    "--cluster-port",
                    String.valueOf(clusterPort),
                    "--seed",
                    "127.0.0.1:" + seedPort);
            processes.add(p);
            int admin = Integer.parseInt(p.await(ADMIN).group(1));
            return new Node(p, p.port(), admin, "pekko://herald@127.0.0.1:" + clusterPort);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("a server did not start", e);
        }
    }

    private static List<Node> survivors(Cluster cluster) {
        List<Node> survivors = new ArrayList<>(cluster.nodes());
        survivors.remove(cluster.singleton());
        return survivors;
    }

    /**
     * A client of the node on {@code port} that, when the connection is lost (not closed by the test),
     * reconnects to {@code fallbackPort} with Clean Start false, a bounded number of times.
     */
    private Mqtt5AsyncClient client(String id, int port, int fallbackPort) {
        Mqtt5AsyncClient c = Mqtt5Client.builder()
                .identifier(id)
                .serverHost("127.0.0.1")
                .serverPort(port)
                .addDisconnectedListener(context -> {
                    if (context.getSource() == MqttDisconnectSource.USER) {
                        return;
                    }
                    var reconnector = ((Mqtt5ClientDisconnectedContext) context).getReconnector();
                    boolean again = !closing && reconnector.getAttempts() < 20;
                    if (again) {
                        log.info(
                                "{} lost its connection ({}), reconnecting to port {}",
                                id,
                                context.getCause(),
                                fallbackPort);
                    }
                    reconnector
                            .reconnect(again)
                            .delay(200, TimeUnit.MILLISECONDS)
                            .transportConfig()
                            .serverHost("127.0.0.1")
                            .serverPort(fallbackPort)
                            .applyTransportConfig()
                            .connectWith()
                            .cleanStart(false)
                            .sessionExpiryInterval(SESSION_EXPIRY)
                            .applyConnect();
                })
                .buildAsync();
        clients.add(c);
        return c;
    }

    static void connect(Mqtt5AsyncClient client, long sessionExpiry) throws Exception {
        client.connectWith()
                .cleanStart(true)
                .sessionExpiryInterval(sessionExpiry)
                .send()
                .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private JsonNode view(int adminPort) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/cluster"))
                        .timeout(Duration.ofSeconds(2))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return json.readTree(response.body());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    static long millisSince(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
    }

    @FunctionalInterface
    interface StopAction {
        void stop(Node node) throws Exception;
    }

    /** What was measured and counted in one fail-over. */
    record Outcome(
            String name,
            Timings timings,
            List<Publisher> publishers,
            List<Subscriber> subscribers,
            Set<String> acked,
            boolean exited,
            boolean goneFromViews,
            boolean downedBySbr) {

        Map<String, String> figures() {
            Map<String, String> f = new LinkedHashMap<>();
            f.put("cluster-view-moved-ms", String.valueOf(timings.moved()));
            f.put("subscribe-sent-at-stop-answered-ms", String.valueOf(timings.earlySubAck()));
            f.put("subscribe-sent-after-move-answered-ms", String.valueOf(timings.lateSubAck()));
            f.put("stopped-process-exited", String.valueOf(exited));
            f.put("gone-from-survivors-views", String.valueOf(goneFromViews));
            f.put("survivors-logged-sbr-downing", String.valueOf(downedBySbr));
            for (Publisher p : publishers) {
                f.put(p.name(), p.figures());
            }
            for (Subscriber s : subscribers) {
                f.put(s.name(), s.figures(acked));
            }
            return f;
        }

        String summary() {
            return name + ": " + figures();
        }

        void report() throws IOException {
            StringBuilder text = new StringBuilder();
            figures().forEach((k, v) -> text.append(k).append(" = ").append(v).append('\n'));
            log.info("Cluster fail-over ({}):\n{}", name, text);
            Files.writeString(Path.of("target", "cluster-kill-" + name + ".txt"), text);
        }

        void assertEveryPublishAnswered() {
            for (Publisher p : publishers) {
                assertThat(p.unanswered())
                        .as("publishes never answered, %s", summary())
                        .isZero();
            }
        }

        void assertNothingLostOnSurvivors() {
            for (Subscriber s : subscribers) {
                if (s.survives()) {
                    assertThat(s.lost(acked))
                            .as("acknowledged but not delivered to %s: %s", s.name(), summary())
                            .isEmpty();
                }
            }
        }
    }

    /** A persistent subscriber to kill/#: counts each data message it receives and the probes per publisher. */
    static final class Subscriber {
        private final String name;
        private final boolean survives;
        private final Mqtt5AsyncClient client;
        private final Map<String, Integer> received = new ConcurrentHashMap<>();
        private final Set<String> probes = ConcurrentHashMap.newKeySet();

        Subscriber(String name, boolean survives, Mqtt5AsyncClient client) {
            this.name = name;
            this.survives = survives;
            this.client = client;
            client.publishes(MqttGlobalPublishFilter.ALL, p -> {
                String payload = new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8);
                if (payload.startsWith("probe:")) {
                    probes.add(payload.substring("probe:".length()));
                } else {
                    received.merge(payload, 1, Integer::sum);
                }
            });
        }

        String name() {
            return name;
        }

        /** Whether its session lives on a node that is not stopped. */
        boolean survives() {
            return survives;
        }

        void subscribe() throws Exception {
            connect(client, SESSION_EXPIRY);
            client.subscribeWith()
                    .topicFilter("kill/#")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .send()
                    .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }

        List<String> lost(Set<String> acked) {
            return acked.stream().filter(m -> !received.containsKey(m)).sorted().toList();
        }

        String figures(Set<String> acked) {
            List<String> lost = lost(acked);
            long duplicates = received.values().stream().mapToLong(n -> n - 1).sum();
            long unacked =
                    received.keySet().stream().filter(m -> !acked.contains(m)).count();
            return "session on " + (survives ? "a survivor" : "the stopped node") + ", acknowledged " + acked.size()
                    + ", delivered " + received.size() + " (of them not acknowledged " + unacked + "), lost "
                    + lost.size() + (lost.isEmpty() ? "" : " e.g. " + lost.subList(0, Math.min(10, lost.size())))
                    + ", duplicates " + duplicates;
        }
    }

    /**
     * A QoS 1 publisher of numbered messages on kill/data/NAME, paced (PER_TICK every TICK_MS, at most
     * IN_FLIGHT unacknowledged) and bounded (PER_PUBLISHER messages, PUBLISHING long).
     */
    static final class Publisher {
        static final int PER_PUBLISHER = 1_500;
        static final int PER_TICK = 3;
        static final long TICK_MS = 20;
        static final int IN_FLIGHT = 20;
        static final int ACKED_BEFORE_STOP = 300;
        static final Duration PUBLISHING = Duration.ofSeconds(12);

        private final String name;
        private final Mqtt5AsyncClient client;
        private final Set<String> acked = ConcurrentHashMap.newKeySet();
        private final Set<String> noMatching = ConcurrentHashMap.newKeySet();
        private final Semaphore inFlight = new Semaphore(IN_FLIGHT);
        private final AtomicInteger failed = new AtomicInteger();
        private volatile String error = "";
        private volatile int sent;
        private volatile ScheduledFuture<?> task;

        Publisher(String name, Mqtt5AsyncClient client) throws Exception {
            this.name = name;
            this.client = client;
            connect(client, SESSION_EXPIRY);
        }

        String name() {
            return name;
        }

        Set<String> acked() {
            return acked;
        }

        /** Publishes probes until every subscriber has one: this node's snapshot has their subscriptions. */
        void awaitRouted(List<Subscriber> subscribers, Duration deadline) {
            await().atMost(deadline).pollInterval(Duration.ofMillis(100)).until(() -> {
                client.publishWith()
                        .topic("kill/probe/" + name)
                        .qos(MqttQos.AT_LEAST_ONCE)
                        .payload(("probe:" + name).getBytes(StandardCharsets.UTF_8))
                        .send();
                return subscribers.stream().allMatch(s -> s.probes.contains(name));
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
                            Throwable problem =
                                    e != null ? e : result.getError().orElse(null);
                            if (problem == null) {
                                acked.add(payload);
                                if (result instanceof Mqtt5PublishResult.Mqtt5Qos1Result q
                                        && q.getPubAck().getReasonCode()
                                                == Mqtt5PubAckReasonCode.NO_MATCHING_SUBSCRIBERS) {
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
}
