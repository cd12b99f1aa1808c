package dev.herald.cluster;

import com.typesafe.config.Config;
import java.util.List;
import java.util.regex.Pattern;

/** The {@code herald.cluster} section of the configuration, read once; see reference.conf for each key. */
public record ClusterSettings(boolean enabled, String hostname, int port, List<String> seedNodes) {

    private static final Pattern HOST_PORT = Pattern.compile("[^:/@\\s]+:\\d{1,5}");
    private static final String ADDRESS_PREFIX = "pekko://";
    private static final int MAX_PORT = 65_535;

    public ClusterSettings {
        if (hostname.isBlank()) {
            throw new IllegalArgumentException("herald.cluster.hostname must not be empty");
        }
        if (port < 0 || port > MAX_PORT) {
            throw new IllegalArgumentException("herald.cluster.port must be 0..65535, not " + port);
        }
        seedNodes = List.copyOf(seedNodes);
        for (String seed : seedNodes) {
            if (!seed.startsWith(ADDRESS_PREFIX) && !HOST_PORT.matcher(seed).matches()) {
                throw new IllegalArgumentException(
                        "herald.cluster.seed-nodes: '" + seed + "' is neither host:port nor pekko://name@host:port");
            }
        }
    }

    public static ClusterSettings from(Config root) {
        Config c = root.getConfig("herald.cluster");
        return new ClusterSettings(
                c.getBoolean("enabled"), c.getString("hostname"), c.getInt("port"), c.getStringList("seed-nodes"));
    }

    /** The seed nodes as Pekko addresses of the ActorSystem named {@code systemName}. */
    public List<String> seedNodeAddresses(String systemName) {
        return seedNodes.stream()
                .map(seed -> seed.startsWith(ADDRESS_PREFIX) ? seed : ADDRESS_PREFIX + systemName + "@" + seed)
                .toList();
    }
}
