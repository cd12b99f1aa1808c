package dev.herald.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.cluster.testkit.ClusterNodes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.AddressFromURIString;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Three nodes in one JVM: an owner started through {@link ClusterSingleOwner} on every node runs once,
 * and every node reaches it through the ref it got back. Every message is serialized
 * ({@code serialize-messages = on}), so the protocol is checked as it crosses nodes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(LogCapturingExtension.class)
class ClusterSingleOwnerIT {

    private static final Duration DEADLINE = Duration.ofSeconds(10);

    @RegisterExtension
    final ClusterNodes nodes = new ClusterNodes(3, "pekko.actor.serialize-messages = on");

    private List<ActorRef<Counter.Command>> startOnEveryNode(String name) {
        List<ActorRef<Counter.Command>> refs = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            refs.add(HeraldCluster.singleOwner(nodes.system(i)).start(Counter.create(), name));
        }
        return refs;
    }

    private Counter.Value increment(int node, ActorRef<Counter.Command> counter) {
        TestProbe<Counter.Value> probe = TestProbe.create(nodes.system(node));
        counter.tell(new Counter.Increment(probe.ref()));
        return probe.receiveMessage(DEADLINE);
    }

    @Test
    void theOwnerRunsOnceAndEveryNodeReachesIt() {
        List<ActorRef<Counter.Command>> refs = startOnEveryNode("counter");

        List<Counter.Value> values = new ArrayList<>();
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < nodes.size(); i++) {
                values.add(increment(i, refs.get(i)));
            }
        }

        assertThat(values).extracting(Counter.Value::count).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(values)
                .extracting(Counter.Value::node)
                .containsOnly(values.get(0).node());
        assertThat(nodes.indexOf(AddressFromURIString.parse(values.get(0).node())))
                .as("the oldest node hosts the singleton")
                .isZero();
        for (int i = 0; i < nodes.size(); i++) {
            assertThat(HeraldCluster.isClustered(nodes.system(i))).isTrue();
            assertThat(refs.get(i).path().address().hasLocalScope())
                    .as("the ref is the node's own proxy")
                    .isTrue();
        }
    }

    @Test
    void aFailedOwnerIsRestarted() {
        List<ActorRef<Counter.Command>> refs = startOnEveryNode("failing-counter");
        assertThat(increment(1, refs.get(1)).count()).isEqualTo(1);

        refs.get(2).tell(Counter.Fail.INSTANCE);

        assertThat(increment(2, refs.get(2)).count()).as("restarted from zero").isEqualTo(1);
        assertThat(increment(1, refs.get(1)).count()).isEqualTo(2);
    }
}
