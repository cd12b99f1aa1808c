package dev.herald.server.admin;

import java.util.HashMap;
import java.util.Map;

/** Reads Prometheus text: each sample as {@code name{labels}} (as printed) to its value. */
final class Metrics {

    private Metrics() {}

    static Map<String, Double> parse(String text) {
        Map<String, Double> samples = new HashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
        return samples;
    }

    static double delta(Map<String, Double> before, Map<String, Double> now, String sample) {
        Double after = now.get(sample);
        if (after == null) {
            throw new AssertionError("no sample " + sample + " in " + now.keySet());
        }
        return after - before.getOrDefault(sample, 0.0);
    }
}
