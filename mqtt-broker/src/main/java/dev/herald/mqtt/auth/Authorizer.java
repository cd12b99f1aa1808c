package dev.herald.mqtt.auth;

/**
 * Gives each authenticated client its {@link Permissions}, once per connection, right after
 * authentication (and again after a re-authentication).
 */
public interface Authorizer {

    Permissions permissionsFor(ClientInfo client);

    /** Every client may publish and subscribe to everything. */
    static Authorizer allowAll() {
        return client -> Permissions.ALL;
    }
}
