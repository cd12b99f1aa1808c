package dev.herald.tap.internal;

import dev.herald.mqtt.message.Publish;
import dev.herald.mqtt.message.property.MqttProperty;
import dev.herald.runtime.BoundedInbox;
import dev.herald.runtime.RateLimitedWarning;
import dev.herald.tap.DispatchMode;
import dev.herald.tap.RetryPolicy;
import dev.herald.tap.RouteParams;
import dev.herald.tap.Tap;
import dev.herald.tap.TapMessage;
import dev.herald.tap.TapOptions;
import dev.herald.tap.TapSettings;
import dev.herald.tap.TapStats;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.Props;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One registered tap as the publish path sees it: its route, and either its TapActor's bounded inbox
 * (actor dispatch) or its handler itself (inline dispatch). {@link #offer} never blocks.
 */
public final class TapRuntime implements Tap {

    private static final Logger LOG = LoggerFactory.getLogger(TapRuntime.class);

    private final int id;
    private final RouteTemplate route;
    private final TapOptions options;
    private final Handler handler;
    private final TapSettings settings;
    private final DispatchMode dispatch;
    private final Consumer<DeadLetterStore.Add> deadLetters;
    private final Consumer<TapRuntime> closed;
    private final TapCounters counters = new TapCounters();
    private final RateLimitedWarning drops;
    private final RateLimitedWarning givenUp;
    private volatile BoundedInbox<TapActor.Command> inbox;

    public TapRuntime(
            int id,
            String route,
            TapOptions options,
            Handler handler,
            TapSettings settings,
            Consumer<DeadLetterStore.Add> deadLetters,
            Consumer<TapRuntime> closed) {
        this.id = id;
        this.route = RouteTemplate.parse(route);
        this.options = options;
        this.handler = handler;
        this.settings = settings;
        this.dispatch = options.dispatch(settings);
        this.deadLetters = deadLetters;
        this.closed = closed;
        if (dispatch == DispatchMode.INLINE && handler instanceof Handler.Actor) {
            throw new IllegalArgumentException("tap '" + route + "': inline dispatch runs functions, not behaviors");
        }
        if (dispatch == DispatchMode.INLINE && options.isShared()) {
            throw new IllegalArgumentException("tap '" + route + "': inline dispatch has no worker pool");
        }
        this.drops = new RateLimitedWarning(LOG, "Tap inbox full, newest message dropped", settings.dropLogInterval());
        this.givenUp =
                new RateLimitedWarning(LOG, "Tap gave up on messages (dead letters)", settings.dropLogInterval());
    }

    /** Spawns the TapActor in {@code system} as {@code name} (not for inline taps). */
    public void start(ActorSystem<?> system, DispatcherSelector workers, String name) {
        if (dispatch == DispatchMode.INLINE) {
            return;
        }
        inbox = BoundedInbox.spawn(
                options.inboxDepth(settings),
                TapActor.Deliver.class,
                TapActor.create(this, workers),
                behavior -> system.systemActorOf(behavior, name, Props.empty()));
    }

    /** Called on the publishing connection's path: matches the route and hands the message on. */
    public void offer(String clientId, Publish publish) {
        RouteParams params = route.match(publish.topic());
        if (params == null) {
            return;
        }
        TapMessage message = new TapMessage(
                publish.topic(),
                publish.payload(),
                publish.qos(),
                publish.retain(),
                clientId,
                publish.properties().userProperties(),
                publish.properties().string(MqttProperty.CONTENT_TYPE),
                params);
        offer(message);
    }

    /**
     * Offers a message to the inbox (an inline tap runs it at once); false (counted and logged) when
     * the inbox is full, or the tap is not started.
     */
    public boolean offer(TapMessage message) {
        if (dispatch == DispatchMode.INLINE) {
            runInline(message);
            return true;
        }
        BoundedInbox<TapActor.Command> to = inbox;
        if (to == null) {
            return false;
        }
        if (to.offer(new TapActor.Deliver(message))) {
            return true;
        }
        drops.happened(route, new DroppedInAll(to));
        return false;
    }

    private void runInline(TapMessage message) {
        try {
            if (handler instanceof Handler.Sync sync) {
                sync.handler().handle(message, message.params());
                counters.delivered.increment();
            } else if (handler instanceof Handler.Async async) {
                CompletionStage<?> stage = async.handler().handle(message, message.params());
                if (stage == null) {
                    counters.delivered.increment();
                } else {
                    stage.whenComplete((value, error) -> {
                        if (error == null) {
                            counters.delivered.increment();
                        } else {
                            inlineFailed(message, error);
                        }
                    });
                }
            }
        } catch (Exception e) {
            inlineFailed(message, e);
        }
    }

    private void inlineFailed(TapMessage message, Throwable error) {
        counters.failures.increment();
        deadLetter(message, TapWorker.describe(error), 1);
    }

    /** Every try failed: the message goes to the dead letters. */
    void deadLetter(TapMessage message, String reason, int attempts) {
        // Stored before counted: whoever sees the count and then lists the dead letters finds it.
        deadLetters.accept(new DeadLetterStore.Add(id, route.toString(), message, reason, attempts));
        counters.deadLettered.increment();
        givenUp.happened(route, "last: " + reason + " after " + attempts + " tries");
    }

    @Override
    public int id() {
        return id;
    }

    @Override
    public String route() {
        return route.toString();
    }

    @Override
    public TapStats stats() {
        BoundedInbox<TapActor.Command> in = inbox;
        return new TapStats(
                id,
                route.toString(),
                dispatch,
                options.isShared(),
                counters.workers.get(),
                in == null ? 0 : in.depth(),
                dispatch == DispatchMode.INLINE ? 0 : options.inboxDepth(settings),
                counters.delivered.sum(),
                in == null ? 0 : in.dropped(),
                counters.failures.sum(),
                counters.retries.sum(),
                counters.deadLettered.sum(),
                counters.workerRestarts.sum());
    }

    @Override
    public void resize(int workers) {
        if (!options.isShared() || dispatch == DispatchMode.INLINE) {
            throw new IllegalStateException(
                    "tap '" + route + "' is not shared; register it with TapOptions.shared(n) to resize it");
        }
        if (workers < 1) {
            throw new IllegalArgumentException("a shared tap has at least one worker, not " + workers);
        }
        BoundedInbox<TapActor.Command> in = inbox;
        if (in == null) {
            throw new IllegalStateException("tap '" + route + "' runs once the Taps are attached to a broker");
        }
        in.ref().tell(new TapActor.Resize(workers));
    }

    @Override
    public void close() {
        closed.accept(this);
        BoundedInbox<TapActor.Command> in = inbox;
        if (in != null) {
            in.ref().tell(TapActor.Stop.INSTANCE);
        }
    }

    BoundedInbox<TapActor.Command> inbox() {
        return inbox;
    }

    TapCounters counters() {
        return counters;
    }

    Handler handler() {
        return handler;
    }

    RetryPolicy retry() {
        return options.retry(settings);
    }

    Duration handlerTimeout() {
        return settings.handlerTimeout();
    }

    int initialWorkers() {
        return options.workers();
    }

    @Override
    public String toString() {
        return "tap " + id + " '" + route + "'";
    }

    /** "N dropped in all", read only when the rate-limited warning is logged. */
    private record DroppedInAll(BoundedInbox<?> inbox) {
        @Override
        public String toString() {
            return inbox.dropped() + " dropped in all";
        }
    }
}
