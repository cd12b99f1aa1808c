package dev.herald.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the JSON lines of a side-by-side run into a Markdown table: per scenario and figure, the
 * median over the rounds for each broker, and the ratio of the first broker to the second. Figures
 * named on the command line after the two brokers (e.g. {@code broker_cpu_s}) follow the usual ones.
 */
public final class Report {

    private static final Pattern FIELD = Pattern.compile("\"([a-z0-9_]+)\":(\"[^\"]*\"|null|[-0-9.]+)");
    private static final List<String> FIGURES = List.of(
            "delivered_per_s",
            "lost",
            "evenness",
            "delivered_per_broker_cpu_s",
            "generator_cpu_us_per_msg",
            "p50_us",
            "p90_us",
            "p99_us",
            "p999_us",
            "max_us",
            "connects_per_s",
            "connect_p50_ms",
            "connect_p99_ms",
            "rss_before_mb",
            "rss_with_mb",
            "rss_after_mb",
            "kb_per_connection",
            "alive_after_hold");

    private Report() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 3) {
            System.err.println("Usage: Report RESULTS.jsonl FIRST_BROKER SECOND_BROKER [EXTRA_FIGURE ...]");
            System.exit(2);
        }
        List<String> extra = List.of(args).subList(3, args.length);
        System.out.print(table(Files.readAllLines(Path.of(args[0])), args[1], args[2], extra));
    }

    static String table(List<String> lines, String first, String second) {
        return table(lines, first, second, List.of());
    }

    /** As {@link #table(List, String, String)}, with {@code extra} figures after the usual ones. */
    static String table(List<String> lines, String first, String second, List<String> extra) {
        List<String> shown = new ArrayList<>(FIGURES);
        extra.stream().filter(e -> !shown.contains(e)).forEach(shown::add);
        // scenario -> figure -> broker -> values
        Map<String, Map<String, Map<String, List<Double>>>> all = new LinkedHashMap<>();
        for (String line : lines) {
            Map<String, String> f = new LinkedHashMap<>();
            Matcher m = FIELD.matcher(line);
            while (m.find()) {
                f.put(m.group(1), m.group(2).replace("\"", ""));
            }
            String scenario = f.get("scenario");
            String broker = f.get("broker");
            if (scenario == null || broker == null) {
                continue;
            }
            for (String figure : shown) {
                String v = f.get(figure);
                if (v != null && !v.equals("null")) {
                    all.computeIfAbsent(scenario, k -> new LinkedHashMap<>())
                            .computeIfAbsent(figure, k -> new TreeMap<>())
                            .computeIfAbsent(broker, k -> new ArrayList<>())
                            .add(Double.parseDouble(v));
                }
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append("| scenario | figure | ")
                .append(first)
                .append(" | ")
                .append(second)
                .append(" | ")
                .append(first)
                .append('/')
                .append(second)
                .append(" | rounds |\n");
        sb.append("|---|---|---:|---:|---:|---:|\n");
        all.forEach((scenario, figures) -> figures.forEach((figure, byBroker) -> {
            List<Double> a = byBroker.getOrDefault(first, List.of());
            List<Double> b = byBroker.getOrDefault(second, List.of());
            double ma = median(a);
            double mb = median(b);
            sb.append("| ")
                    .append(scenario)
                    .append(" | ")
                    .append(figure)
                    .append(" | ")
                    .append(format(ma))
                    .append(" | ")
                    .append(format(mb))
                    .append(" | ")
                    .append(
                            mb == 0 || Double.isNaN(ma) || Double.isNaN(mb)
                                    ? "-"
                                    : String.format(Locale.ROOT, "%.2f", ma / mb))
                    .append(" | ")
                    .append(Math.min(a.size(), b.size()))
                    .append(" |\n");
        }));
        return sb.toString();
    }

    static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static String format(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        return Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }
}
