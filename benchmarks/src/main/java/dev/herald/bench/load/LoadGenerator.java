package dev.herald.bench.load;

import dev.herald.mqtt.message.QoS;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs one scenario against a broker on 127.0.0.1 and prints one JSON line with its figures (see
 * benchmarks/README.md). Every scenario is bounded in time and count.
 */
public final class LoadGenerator {

    private LoadGenerator() {}

    public static void main(String[] args) throws Exception {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        Map<String, Object> result;
        try (Fleet fleet = new Fleet(o.host(), o.port(), o.subscriberPort(), o.version(), threads, Fleet.tls(o));
                Scraper scraper = Scraper.start(o.scrapeUrl(), o.scrapeEveryMillis())) {
            result = switch (o.scenario()) {
                case "latency0" -> LatencyScenario.run(fleet, QoS.AT_MOST_ONCE, o);
                case "latency1" -> LatencyScenario.run(fleet, QoS.AT_LEAST_ONCE, o);
                case "conns" -> ConnectionsScenario.run(fleet, o);
                case "churn" -> ChurnScenario.run(fleet, o);
                default -> Throughput.run(fleet, Throughput.shape(o.scenario()), o);
            };
            result = new LinkedHashMap<>(result);
            result.putAll(scraper.figures());
        }
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("broker", o.label());
        line.put("scenario", o.scenario());
        line.put("mqtt", o.version().name());
        line.put("payload", o.payload());
        line.put("seconds", o.duration().toSeconds());
        line.put("transport", Fleet.transport());
        line.put("tls", String.valueOf(o.tls()));
        line.put("session_expiry", String.valueOf(o.sessionExpiry()));
        line.putAll(result);
        System.out.println(json(line));
    }

    static String json(Map<String, Object> fields) {
        StringBuilder sb = new StringBuilder("{");
        for (Map.Entry<String, Object> e : fields.entrySet()) {
            if (sb.length() > 1) {
                sb.append(',');
            }
            sb.append('"').append(e.getKey()).append("\":");
            value(sb, e.getValue());
        }
        return sb.append('}').toString();
    }

    /** A number with a fixed decimal point (null when not finite), a list as an array, else a string. */
    private static void value(StringBuilder sb, Object v) {
        if (v instanceof Number n) {
            double d = n.doubleValue();
            sb.append(Double.isFinite(d) ? String.format(Locale.ROOT, "%.3f", d) : "null");
        } else if (v instanceof List<?> list) {
            sb.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                value(sb, list.get(i));
            }
            sb.append(']');
        } else {
            sb.append('"').append(v).append('"');
        }
    }
}
