package dev.herald.bench.store;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import dev.herald.mqtt.broker.EmbeddedBroker;
import dev.herald.mqtt.store.internal.StateStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Start-up with a big store. {@code fill DIR} writes retained messages and persistent sessions into a
 * new data directory (see {@link StoreFiller}); {@code start DIR}, in a fresh JVM, starts an embedded
 * broker on it and reports how long the start took, the heap used after a GC, the directory's size
 * and how long the first clients take to resume their sessions (each takes its queued message, so
 * another start on the same directory needs another {@code --offset}). Prints one JSON line.
 *
 * <pre>
 * RecoveryBench fill DIR [--retained 1000000] [--sessions 100000] [--queued-every 3]
 * RecoveryBench start DIR [--sessions 100000] [--queued-every 3] [--resumes 20] [--offset 0]
 * RecoveryBench compact DIR     (a stopped broker's directory: its size before and after a compaction)
 * </pre>
 */
public final class RecoveryBench {

    private RecoveryBench() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 2 || !List.of("fill", "start", "compact").contains(args[0])) {
            System.err.println("Usage: RecoveryBench fill|start|compact DIR [--retained N] [--sessions N]"
                    + " [--queued-every K] [--resumes N]");
            System.exit(2);
            return;
        }
        Path dir = Path.of(args[1]).toAbsolutePath();
        Map<String, Integer> o = options(Arrays.copyOfRange(args, 2, args.length));
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("mode", args[0]);
        if (args[0].equals("fill")) {
            if (Files.exists(dir) && !isEmpty(dir)) {
                throw new IllegalArgumentException(dir + " is not empty: fill writes into a new directory");
            }
            long t0 = System.nanoTime();
            StoreFiller.fill(dir, o.get("retained"), o.get("sessions"), o.get("queued-every"));
            line.put("retained", o.get("retained"));
            line.put("sessions", o.get("sessions"));
            line.put("fill_s", (System.nanoTime() - t0) / 1e9);
            line.put("data_dir_mb", sizeMb(dir));
        } else if (args[0].equals("compact")) {
            compact(dir, line);
        } else {
            start(dir, o, line);
        }
        System.out.println(json(line));
        System.exit(0);
    }

    private static void start(Path dir, Map<String, Integer> o, Map<String, Object> line) throws IOException {
        line.put("data_dir_mb", sizeMb(dir));
        Config config = ConfigFactory.parseString("herald.mqtt { bind = \"127.0.0.1\", port = 0, sys.interval = 0 }")
                .withValue("herald.mqtt.persistence.enabled", ConfigValueFactory.fromAnyRef(true))
                .withValue("herald.mqtt.persistence.directory", ConfigValueFactory.fromAnyRef(dir.toString()))
                .withValue("herald.mqtt.persistence.durability", ConfigValueFactory.fromAnyRef("sync"))
                .withFallback(ConfigFactory.load());
        long t0 = System.nanoTime();
        try (EmbeddedBroker broker = EmbeddedBroker.start(config)) {
            line.put("start_ms", (System.nanoTime() - t0) / 1e6);
            line.put("sessions", broker.metrics().sessions());
            line.put("retained", broker.metrics().retainedMessages());
            System.gc();
            System.gc();
            Runtime rt = Runtime.getRuntime();
            line.put(
                    "heap_used_mb",
                    ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1048576.0);
            line.put("max_heap_mb", rt.maxMemory() / 1048576.0);
            int queuedEvery = o.get("queued-every");
            int sessions = o.get("sessions");
            int base = o.get("offset") * (o.get("resumes") + 1); // each run on a directory resumes others
            int withQueued = (sessions + queuedEvery - 1) / queuedEvery;
            if (base >= withQueued) {
                throw new IllegalArgumentException("--offset " + o.get("offset") + " leaves no session with a"
                        + " queued message that an earlier run did not take");
            }
            ResumeClient.Resume first =
                    ResumeClient.resume(broker.port(), StoreFiller.clientId(queuedEvery * base % sessions), true);
            line.put("first_session_present", String.valueOf(first.sessionPresent()));
            line.put("first_resume_connack_ms", first.connAckMillis());
            line.put("first_resume_message_ms", first.messageMillis());
            int resumes = Math.min(o.get("resumes"), withQueued - base - 1);
            double[] connAcks = new double[resumes];
            double[] messages = new double[resumes];
            int present = 0;
            for (int k = 0; k < resumes; k++) {
                int i = queuedEvery * (base + 1 + k) % sessions; // sessions with a queued message
                ResumeClient.Resume r = ResumeClient.resume(
                        broker.port(), StoreFiller.clientId(i), StoreFiller.hasQueued(i, queuedEvery));
                connAcks[k] = r.connAckMillis();
                messages[k] = r.messageMillis();
                present += r.sessionPresent() ? 1 : 0;
            }
            line.put("resumes", resumes);
            line.put("resumes_session_present", present);
            line.put("resume_median_connack_ms", median(connAcks));
            line.put("resume_median_message_ms", median(messages));
        }
    }

    /** Opens the store of a stopped broker, compacts it and reports its size before and after. */
    private static void compact(Path dir, Map<String, Object> line) {
        line.put("data_dir_mb_before", sizeMb(dir));
        long t0 = System.nanoTime();
        try (StateStore store = StateStore.open(dir)) {
            line.put("estimated_live_mb_before", store.estimatedBytes() / 1048576.0);
            store.compact();
            line.put("compact_ms", (System.nanoTime() - t0) / 1e6);
            line.put("estimated_live_mb_after", store.estimatedBytes() / 1048576.0);
        }
        line.put("data_dir_mb_after", sizeMb(dir));
    }

    private static Map<String, Integer> options(String[] args) {
        Map<String, Integer> o = new LinkedHashMap<>(
                Map.of("retained", 1_000_000, "sessions", 100_000, "queued-every", 3, "resumes", 20, "offset", 0));
        for (int i = 0; i + 1 < args.length; i += 2) {
            String name = args[i].replaceFirst("^--", "");
            if (!o.containsKey(name)) {
                throw new IllegalArgumentException("unknown option " + args[i]);
            }
            o.put(name, Integer.parseInt(args[i + 1]));
        }
        return o;
    }

    static double sizeMb(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                            .mapToLong(f -> {
                                try {
                                    return Files.size(f);
                                } catch (IOException e) {
                                    return 0; // a file RocksDB removed while we walked
                                }
                            })
                            .sum()
                    / 1048576.0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted.length == 0 ? Double.NaN : sorted[sorted.length / 2];
    }

    static String json(Map<String, Object> fields) {
        StringBuilder sb = new StringBuilder("{");
        fields.forEach((k, v) -> {
            sb.append(sb.length() > 1 ? "," : "").append('"').append(k).append("\":");
            if (v instanceof Number n) {
                double d = n.doubleValue();
                sb.append(Double.isFinite(d) ? String.format(Locale.ROOT, "%.1f", d) : "null");
            } else {
                sb.append('"').append(v).append('"');
            }
        });
        return sb.append('}').toString();
    }
}
