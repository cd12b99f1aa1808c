package dev.herald.tap;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Micrometer meters for every tap of a {@link Taps}, tagged with its route and id: inbox depth and
 * capacity, workers, and counters of delivered, dropped, failed, retried and dead-lettered messages
 * and of worker restarts. Taps registered later get their meters as they are added; a closed tap's
 * meters go. Each meter reads the tap's counters when it is read, so nothing is counted twice.
 *
 * <pre>{@code
 * Taps taps = Taps.create();
 * EmbeddedBroker.builder()
 *         .publishListener(taps::attach)
 *         .binding(context -> new AdminHttpBinding(context, adminSettings, List.of(new TapMeters(taps))))
 *         .start();
 * }</pre>
 */
public final class TapMeters implements MeterBinder {

    private final Taps taps;
    private final Map<Integer, List<Meter>> meters = new HashMap<>();
    private MeterRegistry registry;

    public TapMeters(Taps taps) {
        this.taps = taps;
    }

    @Override
    public synchronized void bindTo(MeterRegistry into) {
        if (registry != null) {
            throw new IllegalStateException("tap meters are bound to one registry");
        }
        registry = into;
        taps.watch(this::added, this::removed);
    }

    private synchronized void added(Tap tap) {
        if (meters.containsKey(tap.id())) {
            return;
        }
        Tags tags = Tags.of("route", tap.route(), "tap", Integer.toString(tap.id()));
        List<Meter> own = new ArrayList<>();
        own.add(gauge("tap.inbox.depth", "messages waiting in the tap's inbox", tap, tags, s -> s.inboxDepth()));
        own.add(gauge(
                "tap.inbox.capacity", "the most messages the tap's inbox holds", tap, tags, s -> s.inboxCapacity()));
        own.add(gauge("tap.workers", "the tap's workers", tap, tags, s -> s.workers()));
        own.add(counter("tap.delivered", "messages the tap's handler finished", tap, tags, s -> s.delivered()));
        own.add(counter(
                "tap.dropped", "messages dropped because the tap's inbox was full", tap, tags, s -> s.dropped()));
        own.add(counter("tap.failures", "handler tries that failed", tap, tags, s -> s.failures()));
        own.add(counter("tap.retries", "handler tries after a failure", tap, tags, s -> s.retries()));
        own.add(counter("tap.dead.lettered", "messages given up on after every try", tap, tags, s -> s.deadLettered()));
        own.add(counter(
                "tap.worker.restarts", "workers restarted after a failure", tap, tags, s -> s.workerRestarts()));
        meters.put(tap.id(), own);
    }

    private synchronized void removed(Tap tap) {
        List<Meter> own = meters.remove(tap.id());
        if (own != null) {
            own.forEach(registry::remove);
        }
    }

    private Meter gauge(String name, String help, Tap tap, Tags tags, ToDoubleFunction<TapStats> value) {
        return Gauge.builder(name, tap, t -> value.applyAsDouble(t.stats()))
                .description(help)
                .tags(tags)
                .register(registry);
    }

    private Meter counter(String name, String help, Tap tap, Tags tags, ToDoubleFunction<TapStats> value) {
        return FunctionCounter.builder(name, tap, t -> value.applyAsDouble(t.stats()))
                .description(help)
                .tags(tags)
                .register(registry);
    }
}
