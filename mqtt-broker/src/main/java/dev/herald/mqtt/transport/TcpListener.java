package dev.herald.mqtt.transport;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Tcp;
import org.apache.pekko.util.ByteString;

/**
 * A Pekko Streams TCP listener that hands each accepted connection (its address and byte flow) to a
 * callback: what a TCP-based protocol binding binds, reports and unbinds.
 */
public final class TcpListener {

    private volatile Tcp.ServerBinding binding;

    /** Binds; completes with the address bound. */
    public CompletionStage<List<InetSocketAddress>> bind(
            ActorSystem<?> system,
            String host,
            int port,
            BiConsumer<InetSocketAddress, Flow<ByteString, ByteString, NotUsed>> onConnection) {
        return Tcp.get(system)
                .bind(host, port)
                .to(Sink.foreach(c -> onConnection.accept(c.remoteAddress(), c.flow())))
                .run(system)
                .thenApply(bound -> {
                    binding = bound;
                    return addresses();
                });
    }

    /** Stops accepting; connections already accepted are not touched. */
    public CompletionStage<Done> unbind() {
        Tcp.ServerBinding bound = binding;
        if (bound == null) {
            return CompletableFuture.completedFuture(Done.getInstance());
        }
        return bound.unbind().thenApply(unbound -> {
            binding = null;
            return Done.getInstance();
        });
    }

    /** The address bound now, or none. */
    public List<InetSocketAddress> addresses() {
        Tcp.ServerBinding bound = binding;
        return bound == null ? List.of() : List.of(bound.localAddress());
    }
}
