package dev.herald.mqtt.broker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.mqtt.broker.BrokerMetrics;
import dev.herald.mqtt.broker.BrokerSettings.SharedStrategy;
import dev.herald.mqtt.message.QoS;
import dev.herald.mqtt.message.Subscription;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** How a shared group picks a member: each strategy, busy and offline members, and the excluded one. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SharedGroupTest {

    private final ActorTestKit testKit = ActorTestKit.create();
    private final BrokerMetrics metrics = new BrokerMetrics();

    @AfterAll
    void stop() {
        testKit.shutdownTestKit();
    }

    private record Built(SharedGroup group, List<SessionLoad> loads) {}

    private Built group(SharedStrategy strategy, int members) {
        SharedGroup group = SharedGroup.empty("g", "t/#", strategy, metrics.sharedGroup("g-" + strategy, "t/#"));
        List<SessionLoad> loads = new ArrayList<>();
        for (int i = 0; i < members; i++) {
            TestProbe<SessionActor.Command> session = testKit.createTestProbe();
            SessionLoad load = new SessionLoad();
            load.attached(true);
            loads.add(load);
            Subscriber subscriber = new Subscriber(
                    session.ref(), new Subscription("$share/g/t/#", QoS.AT_LEAST_ONCE), 0, new SessionLoad());
            group = group.with(new SharedGroup.Member("m" + i, subscriber, load));
        }
        return new Built(group, loads);
    }

    private static Map<String, Integer> picks(SharedGroup group, int count, String publisher) {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < count; i++) {
            counts.merge(group.choose(publisher, null).clientId(), 1, Integer::sum);
        }
        return counts;
    }

    @Test
    void roundRobinIsEvenOverTheAvailableMembers() {
        Built b = group(SharedStrategy.ROUND_ROBIN, 4);
        b.loads().get(3).full(true);
        // A busy member's turn goes round, not to its neighbour: each available one gets a third.
        assertThat(picks(b.group(), 300, "p"))
                .containsOnly(Map.entry("m0", 100), Map.entry("m1", 100), Map.entry("m2", 100));
    }

    @Test
    void stickySendsOnePublisherToOneMemberWhileItIsAvailable() {
        Built b = group(SharedStrategy.STICKY, 4);
        Map<String, Integer> counts = picks(b.group(), 50, "publisher-a");
        assertThat(counts).hasSize(1);
        String chosen = counts.keySet().iterator().next();
        b.loads().get(Integer.parseInt(chosen.substring(1))).attached(false);
        assertThat(picks(b.group(), 50, "publisher-a")).hasSize(1).doesNotContainKey(chosen);
    }

    @Test
    void randomReachesEveryMember() {
        Built b = group(SharedStrategy.RANDOM, 4);
        assertThat(picks(b.group(), 400, "p")).containsOnlyKeys("m0", "m1", "m2", "m3");
    }

    @Test
    void busyMembersStillTakeMessagesWhenNoneHasRoomAndOfflineOnesLast() {
        Built b = group(SharedStrategy.ROUND_ROBIN, 3);
        b.loads().forEach(l -> l.full(true));
        b.loads().get(0).attached(false);
        assertThat(picks(b.group(), 100, "p")).containsOnlyKeys("m1", "m2");
        b.loads().forEach(l -> l.attached(false));
        assertThat(picks(b.group(), 30, "p")).containsOnlyKeys("m0", "m1", "m2"); // persistent sessions queue
    }

    @Test
    void whenNoneHasWindowRoomTheOnesWithQueueRoomComeFirst() {
        Built b = group(SharedStrategy.ROUND_ROBIN, 3);
        b.loads().forEach(l -> l.full(true));
        b.loads().get(0).queueFull(true);
        b.loads().get(1).queueFull(true);
        assertThat(picks(b.group(), 30, "p")).containsOnlyKeys("m2");

        // An overflowing member hands a message on only to one with queue room, never back to itself.
        SharedGroup.Member m2 = b.group().choose("p", null);
        assertThat(b.group().chooseWithQueueRoom(m2.subscriber().session())).isNull();
        b.loads().get(0).queueFull(false);
        assertThat(b.group().chooseWithQueueRoom(m2.subscriber().session()).clientId())
                .isEqualTo("m0");
    }

    @Test
    void theExcludedSessionIsNeverChosen() {
        Built b = group(SharedStrategy.ROUND_ROBIN, 2);
        SharedGroup.Member first = b.group().choose("p", null);
        Set<String> chosen = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            chosen.add(b.group().choose("p", first.subscriber().session()).clientId());
        }
        assertThat(chosen).hasSize(1).doesNotContain(first.clientId());
        SharedGroup alone = b.group().without(chosen.iterator().next());
        assertThat(alone.choose("p", first.subscriber().session())).isNull();
    }

    @Test
    void membersAreReplacedNotDuplicatedAndCounted() {
        Built b = group(SharedStrategy.ROUND_ROBIN, 2);
        SharedGroup.Member m0 = b.group().choose("p", null);
        SharedGroup again = b.group().with(m0);
        assertThat(again.size()).isEqualTo(2);
        assertThat(again.without("m0").without("m1").size()).isZero();
        assertThat(again.stats().members()).isZero();
    }
}
