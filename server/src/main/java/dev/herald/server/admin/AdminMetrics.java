package dev.herald.server.admin;

import dev.herald.mqtt.broker.BrokerMetrics;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;

/**
 * The Prometheus registry behind {@code GET /metrics}: the broker's counters ({@link
 * BrokerMeterBinder}), the standard JVM and process meters (memory, GC, threads, classes, CPU,
 * uptime, open files, under their usual {@code jvm_} / {@code process_} / {@code system_} names),
 * and any extra {@link MeterBinder}s (a tap plane's). Meters of extra binders not named {@code
 * herald.*} get that prefix, so everything Herald adds reads {@code herald_...}.
 */
public final class AdminMetrics implements AutoCloseable {

    /** The Prometheus text exposition format, version 0.0.4. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private static final String PREFIX = "herald.";
    private static final List<String> STANDARD_PREFIXES = List.of(PREFIX, "jvm.", "process.", "system.");

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final BrokerMeterBinder broker;
    private final JvmGcMetrics gc = new JvmGcMetrics();

    public AdminMetrics(BrokerMetrics metrics, List<MeterBinder> extraBinders) {
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                return STANDARD_PREFIXES.stream().anyMatch(id.getName()::startsWith)
                        ? id
                        : id.withName(PREFIX + id.getName());
            }
        });
        broker = new BrokerMeterBinder(metrics);
        List.of(
                        broker,
                        new JvmMemoryMetrics(),
                        gc,
                        new JvmThreadMetrics(),
                        new ClassLoaderMetrics(),
                        new ProcessorMetrics(),
                        new UptimeMetrics(),
                        new FileDescriptorMetrics())
                .forEach(binder -> binder.bindTo(registry));
        extraBinders.forEach(binder -> binder.bindTo(registry));
    }

    /** Every meter now, in the Prometheus text format. */
    public String scrape() {
        broker.refresh();
        return registry.scrape();
    }

    /** The registry, for meters bound after the start. */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
