package dev.herald.bench.tap;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The tap-delay table from a run's JSON lines: for each label ({@code inline-5ms}, ...), the median
 * over rounds of fan-in throughput, the latency scenario's p99, and the tap's delivered and dropped
 * counts (summed over both scenarios of a run, medians over rounds).
 */
public final class TapReport {

    private static final Pattern FIELD = Pattern.compile("\"(\\w+)\":(\"[^\"]*\"|[-0-9.]+|null)");

    private TapReport() {}

    public static void main(String[] args) throws IOException {
        System.out.print(table(Files.readAllLines(Path.of(args[0]))));
    }

    static String table(List<String> lines) {
        Map<String, Map<String, List<Double>>> byLabel = new LinkedHashMap<>();
        for (String line : lines) {
            Map<String, String> f = new LinkedHashMap<>();
            Matcher m = FIELD.matcher(line);
            while (m.find()) {
                f.put(m.group(1), m.group(2).replace("\"", ""));
            }
            String label = f.get("broker");
            String scenario = f.get("scenario");
            if (label == null || scenario == null) {
                continue;
            }
            Map<String, List<Double>> figures = byLabel.computeIfAbsent(label, k -> new LinkedHashMap<>());
            add(figures, scenario + ".delivered_per_s", f.get("delivered_per_s"));
            add(figures, scenario + ".p99_us", f.get("p99_us"));
            add(figures, "tap_delivered", f.get("tap_delivered"));
            add(figures, "tap_dropped", f.get("tap_dropped"));
        }
        StringBuilder out = new StringBuilder(
                "| dispatch, tap delay | fanin msg/s | latency0 p99 µs | tap delivered | tap dropped |\n"
                        + "|---|---:|---:|---:|---:|\n");
        for (var e : byLabel.entrySet()) {
            Map<String, List<Double>> f = e.getValue();
            out.append("| ")
                    .append(e.getKey())
                    .append(" | ")
                    .append(median(f.get("fanin.delivered_per_s")))
                    .append(" | ")
                    .append(median(f.get("latency0.p99_us")))
                    .append(" | ")
                    .append(median(f.get("tap_delivered")))
                    .append(" | ")
                    .append(median(f.get("tap_dropped")))
                    .append(" |\n");
        }
        return out.toString();
    }

    private static void add(Map<String, List<Double>> figures, String name, String value) {
        if (value != null && !value.equals("null")) {
            figures.computeIfAbsent(name, k -> new ArrayList<>()).add(Double.parseDouble(value));
        }
    }

    private static String median(List<Double> values) {
        if (values == null || values.isEmpty()) {
            return "-";
        }
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        double m = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        return String.format(java.util.Locale.ROOT, "%,.0f", m);
    }
}
