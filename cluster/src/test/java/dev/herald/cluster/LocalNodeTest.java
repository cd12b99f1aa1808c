package dev.herald.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.LocalActorRefProvider;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A system that does not turn clustering on stays local although this module (and its reference.conf)
 * is on the classpath: an embedded broker must not become a cluster node by accident.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(TestKitJUnit5Extension.class)
@ExtendWith(LogCapturingExtension.class)
class LocalNodeTest {

    @JUnit5TestKit
    ActorTestKit testKit = new JUnit5TestKitBuilder()
            .withCustomConfig(ConfigFactory.parseString("pekko.actor.serialize-messages = on"))
            .build();

    @Test
    void theProviderIsLocal() {
        ExtendedActorSystem classic = (ExtendedActorSystem) testKit.system().classicSystem();

        assertThat(classic.provider()).isExactlyInstanceOf(LocalActorRefProvider.class);
        assertThat(HeraldCluster.isClustered(testKit.system())).isFalse();
    }

    @Test
    void singleOwnersAreSpawnedLocally() {
        ActorRef<Counter.Command> counter =
                HeraldCluster.singleOwner(testKit.system()).start(Counter.create(), "local-counter");
        TestProbe<Counter.Value> probe = testKit.createTestProbe();

        counter.tell(new Counter.Increment(probe.ref()));

        assertThat(HeraldCluster.singleOwner(testKit.system())).isNotInstanceOf(ClusterSingleOwner.class);
        assertThat(probe.receiveMessage(Duration.ofSeconds(3)).count()).isEqualTo(1);
        assertThat(counter.path().address().hasLocalScope()).isTrue();
    }
}
