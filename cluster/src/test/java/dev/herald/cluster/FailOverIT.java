package dev.herald.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.cluster.testkit.ClusterNodes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.AddressFromURIString;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node hosting a single owner goes away, and the owner runs on a survivor afterwards. Each test has
 * its own three nodes. The time from the node going away to the first answer from the new owner is
 * published as a report entry; only a generous deadline is asserted (tests are not benchmarks).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(LogCapturingExtension.class)
class FailOverIT {

    private static final Logger log = LoggerFactory.getLogger(FailOverIT.class);
    private static final Duration FAIL_OVER_DEADLINE = Duration.ofSeconds(15);
    private static final Duration ANSWER_DEADLINE = Duration.ofMillis(500);
    private static final Duration POLL = Duration.ofMillis(10);

    @Test
    void gracefulLeaveOfTheOwnersNode(TestReporter reporter) throws IOException {
        failOver(ClusterNodes::leave, "graceful-leave", reporter);
    }

    /** The node's system terminates without leaving: the survivors detect it and the SBR downs it. */
    @Test
    void theOwnersNodeStopsWithoutLeaving(TestReporter reporter) throws IOException {
        failOver(ClusterNodes::stopWithoutLeaving, "stop-without-leaving", reporter);
    }

    private interface Departure {
        void depart(ClusterNodes nodes, int node);
    }

    private void failOver(Departure departure, String what, TestReporter reporter) throws IOException {
        try (ClusterNodes nodes = new ClusterNodes(3, "pekko.actor.serialize-messages = on").start()) {
            List<ActorRef<Counter.Command>> refs = new ArrayList<>();
            for (int i = 0; i < nodes.size(); i++) {
                refs.add(new ClusterSingleOwner(nodes.system(i)).start(Counter.create(), "counter"));
            }
            Counter.Value before = TestProbe.<Counter.Value>create(nodes.system(1))
                    .awaitAssert(FAIL_OVER_DEADLINE, () -> answer(nodes, 1, refs.get(1))
                            .orElseThrow());
            int host = nodes.indexOf(AddressFromURIString.parse(before.node()));
            int survivor = (host + 1) % nodes.size();
            assertThat(host).isNotNegative();

            long start = System.nanoTime();
            departure.depart(nodes, host);
            Counter.Value after = await().atMost(FAIL_OVER_DEADLINE)
                    .pollDelay(Duration.ZERO)
                    .pollInterval(POLL)
                    .until(
                            () -> answer(nodes, survivor, refs.get(survivor)),
                            value -> value.isPresent() && !value.get().node().equals(before.node()))
                    .orElseThrow();
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

            report(reporter, what, millis);
            log.info(
                    "{}: the owner answered from {} {} ms after {} departed",
                    what,
                    after.node(),
                    millis,
                    before.node());
            assertThat(nodes.indexOf(AddressFromURIString.parse(after.node())))
                    .isNotEqualTo(host)
                    .isNotNegative();
            await().atMost(FAIL_OVER_DEADLINE)
                    .until(() ->
                            nodes.whenTerminated(host).toCompletableFuture().isDone());
            nodes.awaitMembersUp();
        }
    }

    /** The time goes to the test report and to target/cluster-fail-over-WHAT.txt, pass or fail. */
    private static void report(TestReporter reporter, String what, long millis) throws IOException {
        reporter.publishEntry(what + "-fail-over-ms", Long.toString(millis));
        Files.writeString(Path.of("target", "cluster-fail-over-" + what + ".txt"), "fail-over-ms = " + millis + "\n");
    }

    private static Optional<Counter.Value> answer(ClusterNodes nodes, int node, ActorRef<Counter.Command> counter) {
        TestProbe<Counter.Value> probe = TestProbe.create(nodes.system(node));
        counter.tell(new Counter.Increment(probe.ref()));
        try {
            return Optional.of(probe.receiveMessage(ANSWER_DEADLINE));
        } catch (AssertionError noAnswerYet) {
            return Optional.empty();
        }
    }
}
