package dev.herald.server.admin;

import dev.herald.runtime.ProtocolBinding;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;

/** A binding that binds a server socket on 127.0.0.1 only once the test {@link #open}s its gate. */
final class GatedBinding implements ProtocolBinding {

    private final CompletableFuture<Void> gate = new CompletableFuture<>();
    private volatile ServerSocket socket;

    @Override
    public String name() {
        return "gated";
    }

    void open() {
        gate.complete(null);
    }

    @Override
    public CompletionStage<List<InetSocketAddress>> start() {
        return gate.thenApply(open -> {
            try {
                socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                return boundAddresses();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    @Override
    public CompletionStage<Done> stop(Duration deadline) {
        ServerSocket bound = socket;
        socket = null;
        if (bound != null) {
            try {
                bound.close();
            } catch (IOException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        return CompletableFuture.completedFuture(Done.getInstance());
    }

    @Override
    public List<InetSocketAddress> boundAddresses() {
        ServerSocket bound = socket;
        return bound == null ? List.of() : List.of((InetSocketAddress) bound.getLocalSocketAddress());
    }
}
