package dev.herald.cluster.testkit;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.herald.cluster.HeraldCluster;
import dev.herald.mqtt.broker.EmbeddedBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.cluster.typed.JoinSeedNodes;
import org.apache.pekko.cluster.typed.Leave;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A clustered broker of several embedded brokers in one JVM, each a cluster node on 127.0.0.1 with
 * free ports (cluster and MQTT): the first node joins itself, the others join it, and {@link #start}
 * returns once every node sees every member Up and reaches the BrokerActor (the cluster singleton).
 * Register it as an extension (started before all tests of the class, stopped after) or use it with
 * try-with-resources. {@link #crash} stops a node without leaving the cluster (the others see it as
 * a crash), {@link #leave} takes it out gracefully.
 */
public final class ClusteredBrokers implements BeforeAllCallback, AfterAllCallback, AutoCloseable {

    private static final String NODE = """
            herald.cluster { enabled = on, hostname = "127.0.0.1", port = 0 }
            herald.mqtt { bind = "127.0.0.1", port = 0, persistence.enabled = off }
            pekko.cluster.jmx.multi-mbeans-in-same-jvm = on
            pekko.coordinated-shutdown.run-by-actor-system-terminate = off
            """;
    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final Duration POLL = Duration.ofMillis(50);

    private final int size;
    private final Config settings;
    private final List<EmbeddedBroker> brokers = new ArrayList<>();

    /** {@code size} nodes with Herald's defaults and these settings in HOCON (may be empty). */
    public ClusteredBrokers(int size, String hocon) {
        if (size < 1) {
            throw new IllegalArgumentException("a cluster needs at least one node, not " + size);
        }
        this.size = size;
        this.settings = ConfigFactory.parseString(hocon).withFallback(ConfigFactory.parseString(NODE));
    }

    public ClusteredBrokers start() {
        if (!brokers.isEmpty()) {
            throw new IllegalStateException("the nodes are already started");
        }
        Config config = HeraldCluster.config(ClusterNodes.SYSTEM_NAME, settings);
        for (int i = 0; i < size; i++) {
            brokers.add(EmbeddedBroker.builder()
                    .config(config)
                    .singleOwner(HeraldCluster::singleOwner)
                    .start());
        }
        Address seed = address(0);
        Cluster.get(system(0)).manager().tell(Join.create(seed));
        for (int i = 1; i < size; i++) {
            Cluster.get(system(i)).manager().tell(new JoinSeedNodes(List.of(seed)));
        }
        awaitMembersUp();
        for (int i = 0; i < size; i++) {
            awaitBroker(i);
        }
        return this;
    }

    public int size() {
        return size;
    }

    public EmbeddedBroker broker(int node) {
        if (brokers.isEmpty()) {
            throw new IllegalStateException("the nodes run only between start and close");
        }
        return brokers.get(node);
    }

    /** The node's MQTT port on 127.0.0.1. */
    public int port(int node) {
        return broker(node).port();
    }

    public ActorSystem<?> system(int node) {
        return broker(node).context().system();
    }

    public Address address(int node) {
        return Cluster.get(system(node)).selfMember().address();
    }

    /** Whether the node's broker still runs. */
    public boolean running(int node) {
        return !system(node).whenTerminated().isCompleted();
    }

    /** The index of the node where the BrokerActor (the cluster singleton) runs: the oldest Up member. */
    public int singletonNode() {
        for (int i = 0; i < size; i++) {
            if (running(i)) {
                Member oldest = null;
                for (Member m : Cluster.get(system(i)).state().getMembers()) {
                    if (m.status() == MemberStatus.up() && (oldest == null || m.isOlderThan(oldest))) {
                        oldest = m;
                    }
                }
                for (int j = 0; j < size; j++) {
                    if (oldest != null && address(j).equals(oldest.address())) {
                        return j;
                    }
                }
            }
        }
        return -1;
    }

    /** Stops the node's broker and system without leaving the cluster, as a crash looks to the others. */
    public void crash(int node) {
        ActorSystem<?> system = system(node);
        system.terminate();
        await(system);
    }

    /** Takes the node out of the cluster gracefully, then stops its broker. */
    public void leave(int node) {
        ActorSystem<?> system = system(node);
        Cluster.get(system).manager().tell(Leave.create(address(node)));
        TestProbe.create(system(survivor(node))).awaitAssert(DEADLINE, POLL, () -> {
            for (Member m : Cluster.get(system(survivor(node))).state().getMembers()) {
                if (m.address().equals(address(node))) {
                    throw new AssertionError(m + " has not left yet");
                }
            }
            return null;
        });
        broker(node).stop();
    }

    /** Waits until every running node sees exactly the running nodes as members, all Up. */
    public void awaitMembersUp() {
        List<ActorSystem<?>> running = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            if (running(i)) {
                running.add(system(i));
            }
        }
        ClusterNodes.awaitUp(running, DEADLINE);
    }

    /** Waits until the node reaches the BrokerActor (it answers a list of clients). */
    public void awaitBroker(int node) {
        TestProbe.create(system(node)).awaitAssert(DEADLINE, POLL, () -> {
            try {
                broker(node)
                        .context()
                        .clients(Duration.ofMillis(500))
                        .toCompletableFuture()
                        .get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            } catch (ExecutionException e) {
                throw new AssertionError("node " + node + " does not reach the broker yet", e);
            }
            return null;
        });
    }

    private int survivor(int node) {
        for (int i = 0; i < size; i++) {
            if (i != node && running(i)) {
                return i;
            }
        }
        throw new IllegalStateException("no node but " + node + " runs");
    }

    private static void await(ActorSystem<?> system) {
        try {
            system.getWhenTerminated().toCompletableFuture().get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("node " + system.address() + " did not stop in " + DEADLINE, e);
        }
    }

    @Override
    public void close() {
        for (EmbeddedBroker broker : brokers) {
            if (!broker.context().system().whenTerminated().isCompleted()) {
                broker.stop();
            }
        }
        brokers.clear();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }
}
