package dev.herald.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeraldClusterConfigTest {

    private static Config node(String hocon) {
        return HeraldCluster.config("herald", ConfigFactory.parseString(hocon));
    }

    @Test
    void clusteringIsOffByDefaultAndTheProviderStaysLocal() {
        Config config = node("");

        assertThat(ClusterSettings.from(config).enabled()).isFalse();
        assertThat(config.getString("pekko.actor.provider")).isEqualTo("local");
        assertThat(ConfigFactory.load().getString("pekko.actor.provider")).isEqualTo("local");
    }

    @Test
    void anEnabledNodeIsAClusterNodeAtItsAddressWithItsSeeds() {
        Config config = node("""
                herald.cluster {
                  enabled = on
                  hostname = "10.0.0.5"
                  port = 2552
                  seed-nodes = ["10.0.0.5:2552", "pekko://herald@10.0.0.6:2552"]
                }
                """);

        assertThat(config.getString("pekko.actor.provider")).isEqualTo("cluster");
        assertThat(config.getString("pekko.remote.artery.canonical.hostname")).isEqualTo("10.0.0.5");
        assertThat(config.getInt("pekko.remote.artery.canonical.port")).isEqualTo(2552);
        assertThat(config.getStringList("pekko.cluster.seed-nodes"))
                .containsExactly("pekko://herald@10.0.0.5:2552", "pekko://herald@10.0.0.6:2552");
    }

    @Test
    void anEnabledNodeRunsWithTheFailOverTimings() {
        Config config = node("herald.cluster.enabled = on");

        assertThat(config.getString("pekko.cluster.downing-provider-class"))
                .isEqualTo("org.apache.pekko.cluster.sbr.SplitBrainResolverProvider");
        assertThat(config.getString("pekko.cluster.split-brain-resolver.active-strategy"))
                .isEqualTo("keep-majority");
        Map<String, Duration> timings = Map.of(
                "pekko.cluster.split-brain-resolver.stable-after", Duration.ofSeconds(1),
                "pekko.cluster.failure-detector.heartbeat-interval", Duration.ofMillis(200),
                "pekko.cluster.failure-detector.acceptable-heartbeat-pause", Duration.ofSeconds(1),
                "pekko.cluster.gossip-interval", Duration.ofMillis(200),
                "pekko.cluster.leader-actions-interval", Duration.ofMillis(200),
                "pekko.cluster.singleton.hand-over-retry-interval", Duration.ofMillis(100),
                "pekko.cluster.down-removal-margin", Duration.ofMillis(300),
                "pekko.cluster.singleton-proxy.singleton-identification-interval", Duration.ofMillis(200));
        timings.forEach(
                (key, value) -> assertThat(config.getDuration(key)).as(key).isEqualTo(value));
    }

    @Test
    void theNodesOwnSettingsOverrideTheFailOverTimings() {
        Config config = node("""
                herald.cluster.enabled = on
                pekko.cluster.gossip-interval = 500ms
                pekko.cluster.split-brain-resolver.active-strategy = keep-oldest
                """);

        assertThat(config.getDuration("pekko.cluster.gossip-interval")).isEqualTo(Duration.ofMillis(500));
        assertThat(config.getString("pekko.cluster.split-brain-resolver.active-strategy"))
                .isEqualTo("keep-oldest");
    }

    @Test
    void settingsAlreadyMergedWithReferenceConfStillGetTheFailOverTimings() {
        Config loaded = HeraldCluster.config(
                "herald",
                ConfigFactory.parseString("herald.cluster.enabled = on").withFallback(ConfigFactory.load()));
        Config overridden = HeraldCluster.config(
                "herald",
                ConfigFactory.parseString("herald.cluster.enabled = on\npekko.cluster.gossip-interval = 500ms")
                        .withFallback(ConfigFactory.load()));

        assertThat(loaded.getDuration("pekko.cluster.gossip-interval")).isEqualTo(Duration.ofMillis(200));
        assertThat(overridden.getDuration("pekko.cluster.gossip-interval")).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void everyFailOverKeyIsAPekkoSetting() {
        Config failOver = ConfigFactory.parseResources(HeraldCluster.FAIL_OVER_RESOURCE);
        Config pekko = ConfigFactory.defaultReference();

        assertThat(failOver.entrySet()).hasSizeGreaterThanOrEqualTo(10);
        failOver.entrySet().forEach(entry -> assertThat(pekko.hasPath(entry.getKey()))
                .as("%s is a key of Pekko's reference.conf", entry.getKey())
                .isTrue());
    }

    @Test
    void seedNodesAreHostPortOrPekkoAddresses() {
        assertThatThrownBy(() -> new ClusterSettings(true, "127.0.0.1", 0, List.of("127.0.0.1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("herald.cluster.seed-nodes");
        assertThatThrownBy(() -> new ClusterSettings(true, "127.0.0.1", 70_000, List.of()))
                .hasMessageContaining("herald.cluster.port");
        assertThat(new ClusterSettings(true, "127.0.0.1", 0, List.of("node-a:17355")).seedNodeAddresses("x"))
                .containsExactly("pekko://x@node-a:17355");
    }

    @Test
    void crossNodeMessagesAreBoundToJacksonCbor() {
        assertThat(ConfigFactory.load()
                        .getString("pekko.actor.serialization-bindings.\"dev.herald.runtime.CborSerializable\""))
                .isEqualTo("jackson-cbor");
    }
}
