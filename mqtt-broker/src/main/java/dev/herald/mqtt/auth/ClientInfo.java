package dev.herald.mqtt.auth;

import dev.herald.mqtt.message.MqttVersion;
import java.net.InetSocketAddress;

/**
 * Who is connecting, as the broker knows it when it asks an {@link Authenticator} or an
 * {@link Authorizer}. {@code username} is null when the CONNECT carried none; after authentication it
 * is the identity the authenticator accepted.
 */
public record ClientInfo(String clientId, String username, InetSocketAddress remote, MqttVersion version) {

    public ClientInfo withUsername(String newUsername) {
        return new ClientInfo(clientId, newUsername, remote, version);
    }
}
