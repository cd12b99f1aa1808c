package dev.herald.server;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import dev.herald.cluster.ClusterSettings;
import dev.herald.cluster.HeraldCluster;
import dev.herald.mqtt.broker.EmbeddedBroker;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.typed.Cluster;
import org.slf4j.Logger;

/**
 * The server as a node of a clustered broker: the cluster options over {@code herald.cluster}, the
 * refusal of persistence a user asked for (a cluster node keeps its state in memory for now), and what
 * the start-up log says about the node.
 */
final class ClusterNode {

    static final String CLUSTER = "herald.cluster";
    static final String PERSISTENCE_ENABLED = "herald.mqtt.persistence.enabled";

    private ClusterNode() {}

    /**
     * The settings with the command line's cluster options (any of them turns clustering on); on a
     * cluster node persistence is turned off, or, when the user asked for it ({@code --data}, or
     * {@code herald.mqtt.persistence.enabled = on} in {@code file}), an IllegalArgumentException says
     * why it cannot be.
     *
     * @param file what the --config file sets (empty without one)
     */
    static Config settings(CommandLine cli, Config file, Config settings) {
        Config config = settings;
        if (cli.clusterOptions()) {
            config = config.withValue(CLUSTER + ".enabled", ConfigValueFactory.fromAnyRef(true));
        }
        if (cli.clusterHost().isPresent()) {
            config = config.withValue(
                    CLUSTER + ".hostname",
                    ConfigValueFactory.fromAnyRef(cli.clusterHost().get()));
        }
        if (cli.clusterPort().isPresent()) {
            config = config.withValue(
                    CLUSTER + ".port",
                    ConfigValueFactory.fromAnyRef(cli.clusterPort().get()));
        }
        if (!cli.seeds().isEmpty()) {
            config = config.withValue(CLUSTER + ".seed-nodes", ConfigValueFactory.fromIterable(cli.seeds()));
        }
        if (!enabled(config)) {
            return config;
        }
        boolean fileAsks = file.hasPath(PERSISTENCE_ENABLED) && file.getBoolean(PERSISTENCE_ENABLED);
        if (cli.data().isPresent() || (fileAsks && !cli.inMemory())) {
            String asked = cli.data().isPresent()
                    ? "--data"
                    : PERSISTENCE_ENABLED + " = on in " + cli.config().get();
            throw new IllegalArgumentException("a cluster node keeps its state in memory for now, so persistence "
                    + "cannot be on with herald.cluster.enabled: remove " + asked
                    + " (a node that is not clustered keeps its state with --data)");
        }
        return config.withValue(PERSISTENCE_ENABLED, ConfigValueFactory.fromAnyRef(false));
    }

    /** Whether these settings (over system properties and the defaults) make a cluster node. */
    static boolean enabled(Config settings) {
        Config full = ConfigFactory.defaultOverrides()
                .withFallback(settings)
                .withFallback(ConfigFactory.defaultReference())
                .resolve();
        return full.getBoolean(CLUSTER + ".enabled");
    }

    /**
     * Problems of the {@code herald.cluster} settings that {@link ClusterSettings} lets through: a
     * seed's port out of range. Empty when there are none.
     */
    static List<String> seedProblems(ClusterSettings settings) {
        List<String> problems = new ArrayList<>();
        for (String seed : settings.seedNodes()) {
            String hostPort = seed.startsWith("pekko://") ? seed.substring(seed.indexOf('@') + 1) : seed;
            String problem = CommandLine.seedProblem(hostPort);
            if (problem != null) {
                problems.add(CLUSTER + ".seed-nodes: " + problem.replace("takes host:port", "a seed is host:port"));
            }
        }
        return problems;
    }

    /** Checks what {@link ClusterSettings} checks and the seeds' ports; throws IllegalArgumentException. */
    static ClusterSettings validate(Config config) {
        ClusterSettings settings = ClusterSettings.from(config);
        List<String> problems = seedProblems(settings);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return settings;
    }

    /** The node's lines of the start-up log: its cluster address, its seeds, its state in memory. */
    static void logStartup(Logger log, EmbeddedBroker broker, Config config) {
        ActorSystem<?> system = broker.context().system();
        ClusterSettings settings = ClusterSettings.from(config);
        log.info(
                "Cluster node {} (herald.cluster.port {}), seed nodes {}: clients may connect to any node; "
                        + "their CONNECTs wait until the cluster has formed",
                Cluster.get(system).selfMember().address(),
                settings.port(),
                settings.seedNodes());
        if (settings.seedNodes().isEmpty()) {
            log.warn("No seed nodes (--seed HOST:PORT, herald.cluster.seed-nodes): this node joins no cluster by "
                    + "itself, and its clients wait until it does");
        }
        log.info("In memory: a cluster node keeps sessions, queued and retained messages in memory for now "
                + "(persistence is off on cluster nodes)");
    }

    static boolean clustered(EmbeddedBroker broker) {
        return HeraldCluster.isClustered(broker.context().system());
    }
}
