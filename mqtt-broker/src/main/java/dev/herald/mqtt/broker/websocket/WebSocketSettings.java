package dev.herald.mqtt.broker.websocket;

import com.typesafe.config.Config;

/**
 * The {@code herald.mqtt.websocket} section; with {@code tls} on, the listener speaks wss with the key
 * material of {@code herald.mqtt.tls}.
 */
public record WebSocketSettings(boolean enabled, String bind, int port, String path, int threads, boolean tls) {

    public static WebSocketSettings from(Config root) {
        Config c = root.getConfig("herald.mqtt.websocket");
        String path = c.getString("path");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("herald.mqtt.websocket.path must start with '/', not '" + path + "'");
        }
        int threads = c.getInt("threads");
        if (threads < 1) {
            throw new IllegalArgumentException("herald.mqtt.websocket.threads must be at least 1, not " + threads);
        }
        return new WebSocketSettings(
                c.getBoolean("enabled"), c.getString("bind"), c.getInt("port"), path, threads, c.getBoolean("tls"));
    }
}
