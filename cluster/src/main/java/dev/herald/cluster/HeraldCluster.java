package dev.herald.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import dev.herald.runtime.SingleOwner;
import java.util.HashMap;
import java.util.Map;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.ClusterActorRefProvider;

/** Entry points of the cluster module: a node's configuration and the single-owner strategy of a system. */
public final class HeraldCluster {

    /** The Pekko keys tuned for fast fail-over, layered under a node's own settings. */
    public static final String FAIL_OVER_RESOURCE = "dev/herald/cluster/fail-over.conf";

    private static final String REFERENCE = "reference.conf";

    private HeraldCluster() {}

    /**
     * The whole configuration of a node of the ActorSystem named {@code systemName}, like
     * {@code ConfigFactory.load(settings)}. With {@code herald.cluster.enabled} off that is all it is:
     * the provider stays local. With it on, {@code herald.cluster} sets {@code pekko.actor.provider =
     * cluster}, the remoting address and the seed nodes, and the fail-over timings of {@link
     * #FAIL_OVER_RESOURCE} replace Pekko's defaults; a timing the settings give themselves is kept.
     *
     * @param settings this node's settings: a parsed file or string, or a configuration already merged
     *     with reference.conf (a value that comes from a reference.conf counts as a default)
     */
    public static Config config(String systemName, Config settings) {
        Config own = ConfigFactory.defaultOverrides().withFallback(settings);
        Config plain = own.withFallback(ConfigFactory.defaultReference()).resolve();
        ClusterSettings cluster = ClusterSettings.from(plain);
        if (!cluster.enabled()) {
            return plain;
        }
        Config failOver = ConfigFactory.parseResources(HeraldCluster.class.getClassLoader(), FAIL_OVER_RESOURCE);
        for (Map.Entry<String, ConfigValue> timing : failOver.entrySet()) {
            String key = timing.getKey();
            if (own.hasPath(key) && !REFERENCE.equals(own.getValue(key).origin().resource())) {
                failOver = failOver.withoutPath(key);
            }
        }
        return nodeKeys(systemName, cluster)
                .withFallback(failOver)
                .withFallback(own)
                .withFallback(ConfigFactory.defaultReference())
                .resolve();
    }

    /** Whether the system is a cluster node ({@code pekko.actor.provider = cluster}). */
    public static boolean isClustered(ActorSystem<?> system) {
        return system.classicSystem() instanceof ExtendedActorSystem extended
                && extended.provider() instanceof ClusterActorRefProvider;
    }

    /** Cluster singletons on a cluster node, owners spawned in this process otherwise. */
    public static SingleOwner singleOwner(ActorSystem<?> system) {
        return isClustered(system) ? new ClusterSingleOwner(system) : SingleOwner.local(system);
    }

    private static Config nodeKeys(String systemName, ClusterSettings cluster) {
        Map<String, Object> keys = new HashMap<>();
        keys.put("pekko.actor.provider", "cluster");
        keys.put("pekko.remote.artery.canonical.hostname", cluster.hostname());
        keys.put("pekko.remote.artery.canonical.port", cluster.port());
        if (!cluster.seedNodes().isEmpty()) {
            keys.put(
                    "pekko.cluster.seed-nodes", ConfigValueFactory.fromIterable(cluster.seedNodeAddresses(systemName)));
        }
        return ConfigFactory.parseMap(keys, "herald.cluster");
    }
}
