package dev.herald.server.admin;

import com.typesafe.config.Config;
import java.time.Duration;

/** The {@code herald.admin} settings (every key, with its meaning, in the server's reference.conf). */
public record AdminSettings(
        boolean enabled,
        String bind,
        int port,
        Duration requestTimeout,
        int maxHeaderSize,
        int maxBodySize,
        Duration idleTimeout,
        int maxConnections) {

    public AdminSettings {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("herald.admin.port must be from 0 to 65535, not " + port);
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException(
                    "herald.admin.max-connections must be at least 1, not " + maxConnections);
        }
    }

    /** Reads {@code herald.admin} from a configuration that has the defaults as fallback. */
    public static AdminSettings from(Config config) {
        Config c = config.getConfig("herald.admin");
        return new AdminSettings(
                c.getBoolean("enabled"),
                c.getString("bind"),
                c.getInt("port"),
                c.getDuration("request-timeout"),
                c.getBytes("max-header-size").intValue(),
                c.getBytes("max-body-size").intValue(),
                c.getDuration("idle-timeout"),
                c.getInt("max-connections"));
    }

    /** The same settings on another interface and port (tests: 127.0.0.1 and 0). */
    public AdminSettings withAddress(String host, int newPort) {
        return new AdminSettings(
                enabled, host, newPort, requestTimeout, maxHeaderSize, maxBodySize, idleTimeout, maxConnections);
    }

    public AdminSettings withMaxConnections(int value) {
        return new AdminSettings(enabled, bind, port, requestTimeout, maxHeaderSize, maxBodySize, idleTimeout, value);
    }
}
