package dev.herald.tap;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.herald.mqtt.broker.BrokerContext;
import dev.herald.mqtt.broker.PublishListener;
import dev.herald.mqtt.message.Publish;
import dev.herald.mqtt.message.Topics;
import dev.herald.tap.internal.DeadLetterPublisher;
import dev.herald.tap.internal.DeadLetterStore;
import dev.herald.tap.internal.Handler;
import dev.herald.tap.internal.TapRuntime;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/**
 * Application handlers on the messages a broker routes. Each tap has a route, an MQTT topic filter
 * whose levels may be named parameters, and runs behind an actor with a bounded inbox: the broker only
 * offers it each matching message and never waits; a full inbox drops the newest message and counts
 * it. A tap handles one message at a time in publish order, or {@link TapOptions#shared(int) with a
 * pool of workers}; a handler that fails is retried with backoff, then its message becomes a {@link
 * DeadLetter} that can be listed and replayed.
 *
 * <pre>{@code
 * Taps taps = Taps.create();
 * EmbeddedBroker broker = EmbeddedBroker.builder().publishListener(taps::attach).start();
 *
 * taps.onMessage("sensors/{device_id}/data", (msg, params) ->
 *         readings.add(params.get("device_id"), msg.payloadUtf8()));
 * taps.onMessageAsync("orders/{id}", TapOptions.shared(8), (msg, params) -> orders.store(params.get("id"), msg));
 * taps.onMessage("audit/#", auditBehavior); // a Behavior<TapRequest> of the application
 *
 * taps.stats();                 // delivered, dropped, failures, retries, dead-lettered per tap
 * taps.deadLetters().thenAccept(letters -> letters.forEach(taps::replay));
 * }</pre>
 *
 * Taps may be registered before or after {@link #attach}; they start once attached. Thread-safe.
 */
public final class Taps {

    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final TapSettings settings;
    private final String name = "taps-" + INSTANCES.incrementAndGet();
    private final AtomicInteger nextId = new AtomicInteger();
    private final Object lock = new Object();
    private volatile TapRuntime[] taps = new TapRuntime[0];
    // Who is told of taps added and removed (TapMeters); guarded by lock.
    private final List<Consumer<Tap>> onAdded = new java.util.ArrayList<>();
    private final List<Consumer<Tap>> onRemoved = new java.util.ArrayList<>();
    private ActorSystem<?> system; // guarded by lock
    private DispatcherSelector workers; // guarded by lock
    private volatile ActorRef<DeadLetterStore.Command> deadLetters;

    private Taps(TapSettings settings) {
        this.settings = settings;
    }

    /** Taps with the {@code herald.taps} settings of the application's configuration. */
    public static Taps create() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Hands the taps the messages of a broker: pass {@code taps::attach} to {@code
     * EmbeddedBroker.Builder.publishListener}. Spawns the tap actors in the broker's ActorSystem.
     *
     * @throws IllegalStateException when these taps are already attached
     */
    public PublishListener attach(BrokerContext broker) {
        synchronized (lock) {
            if (system != null) {
                throw new IllegalStateException("these taps are already attached to a broker");
            }
            system = broker.system();
            workers = system.settings().config().hasPath(settings.dispatcher())
                    ? DispatcherSelector.fromConfig(settings.dispatcher())
                    : DispatcherSelector.blocking();
            Consumer<DeadLetter> published = settings.deadLetterTopic().isEmpty()
                    ? letter -> {}
                    : new DeadLetterPublisher(broker, settings.deadLetterTopic(), settings.deadLetterClientId());
            deadLetters = system.systemActorOf(
                    DeadLetterStore.create(settings.deadLetterCapacity(), settings.dropLogInterval(), published),
                    name + "-dead-letters",
                    Props.empty());
            for (TapRuntime tap : taps) {
                start(tap);
            }
        }
        String own = settings.deadLetterTopic().isEmpty() ? null : settings.deadLetterClientId();
        return (clientId, message) -> published(own, clientId, message);
    }

    private void published(String own, String clientId, Publish message) {
        if (clientId.equals(own)) {
            return; // dead letters published to their topic are not tapped again
        }
        for (TapRuntime tap : taps) {
            tap.offer(clientId, message);
        }
    }

    /** Registers a synchronous handler that handles one message at a time, in publish order. */
    public Tap onMessage(String route, TapHandler handler) {
        return onMessage(route, TapOptions.ordered(), handler);
    }

    /** Registers a synchronous handler with options (shared pool, inbox depth, retries, dispatch). */
    public Tap onMessage(String route, TapOptions options, TapHandler handler) {
        return register(route, options, new Handler.Sync(handler));
    }

    /** Registers a handler that answers with a stage; the message is done when the stage is. */
    public Tap onMessageAsync(String route, AsyncTapHandler handler) {
        return onMessageAsync(route, TapOptions.ordered(), handler);
    }

    public Tap onMessageAsync(String route, TapOptions options, AsyncTapHandler handler) {
        return register(route, options, new Handler.Async(handler));
    }

    /**
     * Registers the application's own behavior: each worker of the tap spawns one and sends it a
     * {@link TapRequest} per message, waiting for its {@link TapReply}.
     */
    public Tap onMessage(String route, Behavior<TapRequest> behavior) {
        return onMessage(route, TapOptions.ordered(), behavior);
    }

    public Tap onMessage(String route, TapOptions options, Behavior<TapRequest> behavior) {
        return register(route, options, new Handler.Actor(behavior));
    }

    private Tap register(String route, TapOptions options, Handler handler) {
        Objects.requireNonNull(options, "options");
        Consumer<DeadLetterStore.Add> toDeadLetters = add -> {
            ActorRef<DeadLetterStore.Command> store = deadLetters;
            if (store != null) {
                store.tell(add);
            }
        };
        TapRuntime tap = new TapRuntime(
                nextId.incrementAndGet(), route, options, handler, settings, toDeadLetters, this::remove);
        synchronized (lock) {
            if (system != null) {
                start(tap);
            }
            TapRuntime[] now = Arrays.copyOf(taps, taps.length + 1);
            now[now.length - 1] = tap;
            taps = now;
            onAdded.forEach(watcher -> watcher.accept(tap));
        }
        return tap;
    }

    private void start(TapRuntime tap) {
        tap.start(system, workers, name + "-tap-" + tap.id());
    }

    private void remove(TapRuntime tap) {
        synchronized (lock) {
            taps = Arrays.stream(taps).filter(t -> t != tap).toArray(TapRuntime[]::new);
            onRemoved.forEach(watcher -> watcher.accept(tap));
        }
    }

    /** Tells {@code added} of every tap now and each one registered later, and {@code removed} of each closed. */
    void watch(Consumer<Tap> added, Consumer<Tap> removed) {
        synchronized (lock) {
            onAdded.add(added);
            onRemoved.add(removed);
            for (TapRuntime tap : taps) {
                added.accept(tap);
            }
        }
    }

    /** The taps registered now. */
    public List<Tap> taps() {
        return List.of(taps);
    }

    /** Every tap's counters now, in registration order. */
    public List<TapStats> stats() {
        return Arrays.stream(taps).map(TapRuntime::stats).toList();
    }

    /** The dead letters kept now, oldest first (empty before {@link #attach}). */
    public CompletionStage<List<DeadLetter>> deadLetters() {
        ActorRef<DeadLetterStore.Command> store = deadLetters;
        if (store == null) {
            return CompletableFuture.completedFuture(List.of());
        }
        return AskPattern.ask(store, DeadLetterStore.ListAll::new, settings.askTimeout(), system().scheduler());
    }

    /**
     * Offers a dead letter to its tap again, with a fresh set of tries, and removes it from the dead
     * letters. Completes with false when the letter is no longer kept, its tap is closed or the tap's
     * inbox is full (then the letter is kept, under a new id).
     */
    public CompletionStage<Boolean> replay(DeadLetter letter) {
        ActorRef<DeadLetterStore.Command> store = deadLetters;
        if (store == null) {
            return CompletableFuture.completedFuture(false);
        }
        CompletionStage<Optional<DeadLetter>> taken = AskPattern.ask(
                store,
                replyTo -> new DeadLetterStore.Take(letter.id(), replyTo),
                settings.askTimeout(),
                system().scheduler());
        return taken.thenApply(found -> found.map(this::offerAgain).orElse(false));
    }

    /** Replays every dead letter kept now; completes with how many were offered to their taps. */
    public CompletionStage<Integer> replayAll() {
        ActorRef<DeadLetterStore.Command> store = deadLetters;
        if (store == null) {
            return CompletableFuture.completedFuture(0);
        }
        CompletionStage<List<DeadLetter>> taken =
                AskPattern.ask(store, DeadLetterStore.TakeAll::new, settings.askTimeout(), system().scheduler());
        return taken.thenApply(
                letters -> (int) letters.stream().filter(this::offerAgain).count());
    }

    private boolean offerAgain(DeadLetter letter) {
        for (TapRuntime tap : taps) {
            if (tap.id() == letter.tapId() && tap.offer(letter.message())) {
                return true;
            }
        }
        deadLetters.tell(new DeadLetterStore.Add(
                letter.tapId(), letter.route(), letter.message(), letter.reason(), letter.attempts()));
        return false;
    }

    private ActorSystem<?> system() {
        synchronized (lock) {
            return system;
        }
    }

    /** The settings these taps run with. */
    public TapSettings settings() {
        return settings;
    }

    /**
     * Builds {@link Taps}: the {@code herald.taps} section of the configuration, with single values
     * overridden.
     *
     * <pre>{@code
     * Taps taps = Taps.builder().inboxDepth(1024).retry(RetryPolicy.of(5, Duration.ofMillis(50))).build();
     * }</pre>
     */
    public static final class Builder {
        private Config config;
        private Integer inboxDepth;
        private DispatchMode dispatch;
        private RetryPolicy retry;
        private Duration handlerTimeout;
        private Integer deadLetterCapacity;
        private String deadLetterTopic;

        private Builder() {}

        /** The configuration to read {@code herald.taps} from (default: {@code ConfigFactory.load()}). */
        public Builder config(Config value) {
            this.config = value;
            return this;
        }

        /** The default inbox depth of a tap ({@code herald.taps.inbox-depth}). */
        public Builder inboxDepth(int value) {
            this.inboxDepth = value;
            return this;
        }

        /** Where handlers run by default ({@code herald.taps.dispatch}). */
        public Builder dispatch(DispatchMode value) {
            this.dispatch = value;
            return this;
        }

        /** How failed messages are tried again by default ({@code herald.taps.retry}). */
        public Builder retry(RetryPolicy value) {
            this.retry = value;
            return this;
        }

        /** How long an asynchronous handler may take ({@code herald.taps.handler-timeout}). */
        public Builder handlerTimeout(Duration value) {
            this.handlerTimeout = value;
            return this;
        }

        /** How many dead letters are kept ({@code herald.taps.dead-letters.capacity}). */
        public Builder deadLetterCapacity(int value) {
            this.deadLetterCapacity = value;
            return this;
        }

        /**
         * Also publish each dead letter to this topic (QoS 0), with user properties {@code
         * herald-tap-route}, {@code -topic}, {@code -publisher}, {@code -reason} and {@code -attempts};
         * empty for none ({@code herald.taps.dead-letters.topic}).
         */
        public Builder deadLetterTopic(String value) {
            this.deadLetterTopic = Objects.requireNonNull(value, "value");
            return this;
        }

        public Taps build() {
            Config base = config != null ? config.withFallback(ConfigFactory.defaultReference()) : ConfigFactory.load();
            TapSettings s = TapSettings.from(base);
            String topic = deadLetterTopic != null ? deadLetterTopic : s.deadLetterTopic();
            String problem = topic.isEmpty() ? null : Topics.topicNameProblem(topic);
            if (problem != null) {
                throw new IllegalArgumentException("dead-letter topic '" + topic + "': " + problem);
            }
            return new Taps(new TapSettings(
                    inboxDepth != null ? inboxDepth : s.inboxDepth(),
                    dispatch != null ? dispatch : s.dispatch(),
                    retry != null ? retry : s.retry(),
                    handlerTimeout != null ? handlerTimeout : s.handlerTimeout(),
                    s.askTimeout(),
                    deadLetterCapacity != null ? deadLetterCapacity : s.deadLetterCapacity(),
                    topic,
                    s.deadLetterClientId(),
                    s.dropLogInterval(),
                    s.dispatcher()));
        }
    }
}
