package dev.herald.runtime;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;

/**
 * Runs a server's {@link ProtocolBinding}s: starts them together, is {@link #ready} only while every
 * one is bound, and stops them together. Bindings are added before {@link #start}; one whose start
 * fails stops the others and fails the start with its name.
 */
public final class ServerRuntime {

    private final Map<String, ProtocolBinding> bindings = new LinkedHashMap<>();
    private volatile boolean started;
    private volatile boolean ready;

    /** Adds a binding to start with the others; names are unique. */
    public synchronized ServerRuntime add(ProtocolBinding binding) {
        if (started) {
            throw new IllegalStateException("bindings are added before the runtime starts");
        }
        if (bindings.putIfAbsent(binding.name(), binding) != null) {
            throw new IllegalArgumentException("two bindings named '" + binding.name() + "'");
        }
        return this;
    }

    /** Starts every binding; completes when all are bound. */
    public synchronized CompletionStage<ServerRuntime> start() {
        if (started) {
            throw new IllegalStateException("the runtime has started already");
        }
        started = true;
        List<CompletableFuture<List<InetSocketAddress>>> starts = new ArrayList<>();
        for (ProtocolBinding binding : bindings.values()) {
            starts.add(startOne(binding));
        }
        return CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new))
                .handle((ok, failure) -> {
                    if (failure == null) {
                        ready = true;
                        return CompletableFuture.completedFuture(this);
                    }
                    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                            ? failure.getCause()
                            : failure;
                    return stop(Duration.ofSeconds(5))
                            .<ServerRuntime>thenCompose(done -> CompletableFuture.failedFuture(cause));
                })
                .thenCompose(stage -> stage);
    }

    private static CompletableFuture<List<InetSocketAddress>> startOne(ProtocolBinding binding) {
        CompletableFuture<List<InetSocketAddress>> started;
        try {
            started = binding.start().toCompletableFuture();
        } catch (RuntimeException e) {
            started = CompletableFuture.failedFuture(e);
        }
        return started.exceptionallyCompose(e -> {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            return CompletableFuture.failedFuture(new BindingFailedException(binding.name(), cause));
        });
    }

    /** True once every binding is bound, until the runtime stops. */
    public boolean ready() {
        return ready;
    }

    public synchronized List<ProtocolBinding> bindings() {
        return List.copyOf(bindings.values());
    }

    public synchronized Optional<ProtocolBinding> binding(String name) {
        return Optional.ofNullable(bindings.get(name));
    }

    /** Every binding's name with the addresses it has bound now. */
    public synchronized Map<String, List<InetSocketAddress>> boundAddresses() {
        Map<String, List<InetSocketAddress>> bound = new LinkedHashMap<>();
        bindings.values().forEach(b -> bound.put(b.name(), b.boundAddresses()));
        return Collections.unmodifiableMap(bound);
    }

    /** Stops every binding; completes when all have stopped or failed to (a failure is not fatal here). */
    public CompletionStage<Done> stop(Duration deadline) {
        ready = false;
        List<CompletableFuture<Done>> stops = new ArrayList<>();
        for (ProtocolBinding binding : bindings()) {
            CompletableFuture<Done> stopped;
            try {
                stopped = binding.stop(deadline).toCompletableFuture();
            } catch (RuntimeException e) {
                stopped = CompletableFuture.failedFuture(e);
            }
            stops.add(stopped.exceptionally(e -> Done.getInstance()));
        }
        return CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new)).thenApply(v -> Done.getInstance());
    }

    /** A binding could not start: its name and why. */
    public static final class BindingFailedException extends RuntimeException {
        private final String binding;

        BindingFailedException(String binding, Throwable cause) {
            super(binding + ": " + cause.getMessage(), cause);
            this.binding = binding;
        }

        public String binding() {
            return binding;
        }
    }
}
