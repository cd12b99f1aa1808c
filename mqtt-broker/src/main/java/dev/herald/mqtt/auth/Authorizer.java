package dev.herald.mqtt.auth;

/**
 * Gives each authenticated client its {@link Permissions}, once per connection, right after
 * authentication (and again after a re-authentication). Unless they are {@link Permissions#ALL}, the
 * subscriptions of a resumed session, and after a re-authentication the connection's, are checked
 * against them, and those refused are taken back.
 */
public interface Authorizer {

    Permissions permissionsFor(ClientInfo client);

    /** Every client may publish and subscribe to everything. */
    static Authorizer allowAll() {
        return client -> Permissions.ALL;
    }
}
