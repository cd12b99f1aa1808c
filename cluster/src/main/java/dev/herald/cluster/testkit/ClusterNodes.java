package dev.herald.cluster.testkit;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.herald.cluster.HeraldCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
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
 * A cluster of several ActorSystems in one JVM, each on 127.0.0.1 and a free port: the first node
 * joins itself, the others join it as their seed, and {@link #start} returns once every node sees every
 * member Up. Register it as an extension (started before all tests of the class, stopped after), or
 * use it with try-with-resources:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final ClusterNodes nodes = new ClusterNodes(3, "pekko.actor.serialize-messages = on");
 *
 * @Test
 * void reachesTheSingletonFromEveryNode() {
 *     for (ActorSystem<Void> node : nodes.systems()) { ... }
 * }
 * }</pre>
 *
 * <p>The nodes' configuration is built by {@link HeraldCluster#config}, so they run with Herald's
 * fail-over timings. Terminating a node's system does not make it leave the cluster ({@code
 * run-by-actor-system-terminate = off}): {@link #stopWithoutLeaving} looks to the others like a crash
 * (detected by the failure detector, downed by the Split Brain Resolver), {@link #leave} is the graceful
 * way out.
 */
public final class ClusterNodes implements BeforeAllCallback, AfterAllCallback, AutoCloseable {

    /** The ActorSystem name every node shares (a cluster's nodes must have the same one). */
    public static final String SYSTEM_NAME = "herald";

    private static final String NODE = """
            herald.cluster { enabled = on, hostname = "127.0.0.1", port = 0 }
            pekko.cluster.jmx.multi-mbeans-in-same-jvm = on
            pekko.coordinated-shutdown.run-by-actor-system-terminate = off
            """;
    private static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(20);
    private static final Duration POLL = Duration.ofMillis(50);

    private final int size;
    private final Config settings;
    private final Duration deadline;
    private final List<ActorSystem<Void>> systems = new ArrayList<>();

    /** {@code size} nodes with Herald's defaults. */
    public ClusterNodes(int size) {
        this(size, "");
    }

    /** {@code size} nodes with these settings in HOCON, e.g. {@code "pekko.actor.serialize-messages = on"}. */
    public ClusterNodes(int size, String hocon) {
        this(size, hocon, DEFAULT_DEADLINE);
    }

    /** As {@link #ClusterNodes(int, String)}, waiting at most {@code deadline} for the nodes to be Up. */
    public ClusterNodes(int size, String hocon, Duration deadline) {
        if (size < 1) {
            throw new IllegalArgumentException("a cluster needs at least one node, not " + size);
        }
        this.size = size;
        this.settings = ConfigFactory.parseString(hocon).withFallback(ConfigFactory.parseString(NODE));
        this.deadline = deadline;
    }

    /** Starts the nodes, joins them and waits until every node sees all of them Up. */
    public ClusterNodes start() {
        if (!systems.isEmpty()) {
            throw new IllegalStateException("the nodes are already started");
        }
        Config config = HeraldCluster.config(SYSTEM_NAME, settings);
        for (int i = 0; i < size; i++) {
            systems.add(ActorSystem.create(Behaviors.empty(), SYSTEM_NAME, config));
        }
        Address seed = address(0);
        Cluster.get(systems.get(0)).manager().tell(Join.create(seed));
        for (int i = 1; i < size; i++) {
            Cluster.get(systems.get(i)).manager().tell(new JoinSeedNodes(List.of(seed)));
        }
        awaitMembersUp(systems);
        return this;
    }

    public int size() {
        return size;
    }

    public ActorSystem<Void> system(int node) {
        if (systems.isEmpty()) {
            throw new IllegalStateException("the nodes run only between start and close");
        }
        return systems.get(node);
    }

    public List<ActorSystem<Void>> systems() {
        return List.copyOf(systems);
    }

    /** The node's cluster address (127.0.0.1 and the port it bound). */
    public Address address(int node) {
        return Cluster.get(system(node)).selfMember().address();
    }

    /** The index of the node with this address, or -1. */
    public int indexOf(Address address) {
        for (int i = 0; i < systems.size(); i++) {
            if (address(i).equals(address)) {
                return i;
            }
        }
        return -1;
    }

    /** Asks the node to leave the cluster gracefully; its system terminates once it is removed. */
    public void leave(int node) {
        Cluster.get(system(node)).manager().tell(Leave.create(address(node)));
    }

    /** Terminates the node's system without leaving the cluster, as a crash looks to the other nodes. */
    public void stopWithoutLeaving(int node) {
        system(node).terminate();
    }

    public CompletionStage<?> whenTerminated(int node) {
        return system(node).getWhenTerminated();
    }

    /** Waits until every node still running sees exactly the running nodes, all Up. */
    public void awaitMembersUp() {
        awaitMembersUp(systems.stream()
                .filter(system ->
                        !system.getWhenTerminated().toCompletableFuture().isDone())
                .toList());
    }

    private void awaitMembersUp(List<ActorSystem<Void>> running) {
        awaitUp(running, deadline);
    }

    /** Waits until every one of {@code running} sees exactly them as members, all Up. */
    static void awaitUp(List<? extends ActorSystem<?>> running, Duration deadline) {
        if (running.isEmpty()) {
            return;
        }
        List<Address> addresses = running.stream()
                .map(system -> Cluster.get(system).selfMember().address())
                .toList();
        TestProbe.create(running.get(0)).awaitAssert(deadline, POLL, () -> {
            for (ActorSystem<?> system : running) {
                List<Member> members = new ArrayList<>();
                Cluster.get(system).state().getMembers().forEach(members::add);
                List<Address> up = members.stream()
                        .filter(member -> member.status() == MemberStatus.up())
                        .map(Member::address)
                        .toList();
                if (up.size() != members.size() || !up.containsAll(addresses) || up.size() != addresses.size()) {
                    throw new AssertionError(system.address() + " sees " + members + ", expected all Up: " + addresses);
                }
            }
            return null;
        });
    }

    @Override
    public void close() {
        systems.forEach(ActorSystem::terminate);
        for (ActorSystem<Void> system : systems) {
            try {
                system.getWhenTerminated().toCompletableFuture().get(deadline.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while node " + system.address() + " terminated", e);
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("node " + system.address() + " did not terminate in " + deadline, e);
            }
        }
        systems.clear();
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
