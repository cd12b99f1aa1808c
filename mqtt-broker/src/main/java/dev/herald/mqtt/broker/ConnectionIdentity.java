package dev.herald.mqtt.broker;

/**
 * What the transport vouches for about the client of one connection, beyond its address: today the
 * username taken from a verified TLS client certificate. A binding passes one to {@link
 * BrokerContext#accept(java.net.InetSocketAddress, org.apache.pekko.stream.javadsl.Flow,
 * ConnectionIdentity)}; the broker asks it when the CONNECT arrives, which is after the transport's
 * handshake, so an implementation may fill it in during that handshake.
 */
@FunctionalInterface
public interface ConnectionIdentity {

    /** A transport that vouches for nothing (plain TCP, WebSocket). */
    ConnectionIdentity NONE = () -> null;

    /**
     * The username the transport has verified (e.g. the subject CN of a client certificate checked
     * against the configured CA), or null. When not null it replaces the CONNECT's username and the
     * client is authenticated by it: the authenticator is not asked for a plain CONNECT.
     */
    String verifiedUsername();

    static ConnectionIdentity of(String verifiedUsername) {
        return verifiedUsername == null ? NONE : () -> verifiedUsername;
    }
}
