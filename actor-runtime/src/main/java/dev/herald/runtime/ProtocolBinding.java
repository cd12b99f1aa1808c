package dev.herald.runtime;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;

/**
 * One way into the server: a listener for a protocol (MQTT over TCP, MQTT over WebSocket, admin
 * HTTP, ...). A {@link ServerRuntime} starts and stops every binding the same way, so adding or
 * removing one changes nothing in the others. A binding gets what it serves when it is built.
 */
public interface ProtocolBinding {

    /** A short name for logs and health reports, unique within one runtime: {@code mqtt}, {@code admin-http}. */
    String name();

    /** Binds the listener; completes with the addresses bound, or fails when it cannot bind. */
    CompletionStage<List<InetSocketAddress>> start();

    /**
     * Stops accepting new connections, within {@code deadline}. What the binding's connections carry
     * (sessions, in-flight messages) belongs to whoever the binding hands them to, not to it.
     */
    CompletionStage<Done> stop(Duration deadline);

    /** The addresses bound now: empty before {@link #start} completes and after {@link #stop}. */
    List<InetSocketAddress> boundAddresses();
}
