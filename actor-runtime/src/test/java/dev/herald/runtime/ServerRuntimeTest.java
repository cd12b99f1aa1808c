package dev.herald.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Bindings start together, the runtime is ready only while all are bound, and a failed one stops the rest. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServerRuntimeTest {

    /** A binding that holds a real listening socket on 127.0.0.1. */
    private static final class SocketBinding implements ProtocolBinding {
        private final String name;
        private final int port;
        private volatile ServerSocket socket;

        SocketBinding(String name, int port) {
            this.name = name;
            this.port = port;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public CompletionStage<List<InetSocketAddress>> start() {
            return CompletableFuture.supplyAsync(() -> {
                try {
                    socket = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
                    return boundAddresses();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }

        @Override
        public CompletionStage<Done> stop(Duration deadline) {
            try {
                if (socket != null) {
                    socket.close();
                }
            } catch (IOException e) {
                return CompletableFuture.failedFuture(e);
            }
            return CompletableFuture.completedFuture(Done.getInstance());
        }

        @Override
        public List<InetSocketAddress> boundAddresses() {
            ServerSocket s = socket;
            return s == null || s.isClosed() ? List.of() : List.of((InetSocketAddress) s.getLocalSocketAddress());
        }
    }

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void readyOnlyWhileEveryBindingIsBound() throws Exception {
        SocketBinding a = new SocketBinding("a", 0);
        SocketBinding b = new SocketBinding("b", 0);
        ServerRuntime runtime = new ServerRuntime().add(a).add(b);
        assertThat(runtime.ready()).isFalse();

        await(runtime.start());
        assertThat(runtime.ready()).isTrue();
        assertThat(runtime.boundAddresses()).containsOnlyKeys("a", "b");
        assertThat(runtime.boundAddresses().get("a")).singleElement().satisfies(addr -> assertThat(addr.getPort())
                .isPositive());
        assertThat(runtime.binding("b")).containsSame(b);

        await(runtime.stop(Duration.ofSeconds(1)));
        assertThat(runtime.ready()).isFalse();
        assertThat(a.boundAddresses()).isEmpty();
        assertThat(b.boundAddresses()).isEmpty();
    }

    @Test
    void aBindingThatCannotBindFailsTheStartWithItsNameAndStopsTheOthers() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            SocketBinding ok = new SocketBinding("ok", 0);
            ServerRuntime runtime = new ServerRuntime().add(ok).add(new SocketBinding("clash", taken.getLocalPort()));

            assertThatThrownBy(() -> await(runtime.start()))
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isInstanceOf(ServerRuntime.BindingFailedException.class)
                    .hasMessageStartingWith("clash: ");
            assertThat(runtime.ready()).isFalse();
            assertThat(ok.boundAddresses()).as("the bound one was stopped").isEmpty();
        }
    }

    @Test
    void namesAreUniqueAndBindingsAreAddedBeforeStart() throws Exception {
        ServerRuntime runtime = new ServerRuntime().add(new SocketBinding("x", 0));
        assertThatThrownBy(() -> runtime.add(new SocketBinding("x", 0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'x'");
        await(runtime.start());
        try {
            assertThatThrownBy(() -> runtime.add(new SocketBinding("y", 0))).isInstanceOf(IllegalStateException.class);
        } finally {
            await(runtime.stop(Duration.ofSeconds(1)));
        }
    }
}
