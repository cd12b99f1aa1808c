package dev.herald.bench.load;

import dev.herald.mqtt.message.MqttVersion;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The generator's command line: where the broker is, which scenario, and the bounds of the run.
 * {@code subscriberPort} is where subscribers connect (another node of a cluster), {@code port} where
 * publishers and everything else do; {@code brokerPids} are the processes whose CPU is the broker's.
 */
record Options(
        String host,
        int port,
        int subscriberPort,
        String scenario,
        MqttVersion version,
        List<Long> brokerPids,
        Duration warmup,
        Duration duration,
        int payload,
        int window,
        int maxInFlight,
        int rate,
        int connections,
        int connectsInFlight,
        String label,
        String scrapeUrl,
        int scrapeEveryMillis,
        boolean tls,
        String caFile,
        long sessionExpiry) {

    static final String USAGE =
            "Usage: LoadGenerator --port N --scenario fanin|fanout|shared|pairs|qos1|qos2|latency0|latency1|conns|churn"
                    + " [--host 127.0.0.1] [--v3] [--pid BROKER_PID (repeat it or separate with commas: CPU summed)]"
                    + " [--subscriber-port N (subscribers there, publishers on --port; throughput and latency)]"
                    + " [--seconds 10] [--warmup 2] [--payload 64]"
                    + " [--window 500] [--in-flight 64] [--rate 5000] [--connections 10000] [--connects-in-flight 100]"
                    + " [--label NAME] [--scrape http://127.0.0.1:8081/metrics] [--scrape-every 100]"
                    + " [--tls (trusts any certificate)] [--ca CA.pem (TLS, trusting only this CA)]"
                    + " [--session-expiry SECONDS (subscribers keep persistent sessions; churn: each session's)]";

    static Options parse(String... args) {
        String host = "127.0.0.1";
        int port = -1;
        int subscriberPort = -1;
        String scenario = null;
        MqttVersion version = MqttVersion.V5;
        List<Long> pids = new ArrayList<>();
        int warmup = 2;
        int seconds = 10;
        int payload = 64;
        int window = 500;
        int inFlight = 64;
        int rate = 5000;
        int connections = 10_000;
        int connectsInFlight = 100;
        String label = "broker";
        String scrapeUrl = null;
        int scrapeEvery = 100;
        boolean tls = false;
        String caFile = null;
        long sessionExpiry = 0;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--v3")) {
                version = MqttVersion.V3_1_1;
                continue;
            }
            if (a.equals("--tls")) {
                tls = true;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(a + " needs a value\n" + USAGE);
            }
            String v = args[++i];
            switch (a) {
                case "--host" -> host = v;
                case "--port" -> port = Integer.parseInt(v);
                case "--scenario" -> scenario = v;
                case "--subscriber-port" -> subscriberPort = Integer.parseInt(v);
                case "--pid" -> {
                    for (String one : v.split(",")) {
                        if (!one.isBlank()) {
                            pids.add(Long.parseLong(one.trim()));
                        }
                    }
                }
                case "--warmup" -> warmup = Integer.parseInt(v);
                case "--seconds" -> seconds = Integer.parseInt(v);
                case "--payload" -> payload = Integer.parseInt(v);
                case "--window" -> window = Integer.parseInt(v);
                case "--in-flight" -> inFlight = Integer.parseInt(v);
                case "--rate" -> rate = Integer.parseInt(v);
                case "--connections" -> connections = Integer.parseInt(v);
                case "--connects-in-flight" -> connectsInFlight = Integer.parseInt(v);
                case "--label" -> label = v;
                case "--scrape" -> scrapeUrl = v;
                case "--scrape-every" -> scrapeEvery = Integer.parseInt(v);
                case "--session-expiry" -> sessionExpiry = Long.parseLong(v);
                case "--ca" -> {
                    caFile = v;
                    tls = true;
                }
                default -> throw new IllegalArgumentException("unknown option " + a + "\n" + USAGE);
            }
        }
        if (port <= 0 || scenario == null) {
            throw new IllegalArgumentException("--port and --scenario are required\n" + USAGE);
        }
        if (subscriberPort == 0 || subscriberPort < -1) {
            throw new IllegalArgumentException("--subscriber-port must be a port number");
        }
        if (scrapeEvery < 10) {
            throw new IllegalArgumentException("--scrape-every must be at least 10 ms");
        }
        if (seconds < 1 || seconds > 300 || warmup < 0 || warmup > 60) {
            throw new IllegalArgumentException("--seconds must be 1..300 and --warmup 0..60");
        }
        if (sessionExpiry < 0 || sessionExpiry > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("--session-expiry must be 0..4294967295 seconds");
        }
        return new Options(
                host,
                port,
                subscriberPort == -1 ? port : subscriberPort,
                scenario,
                version,
                List.copyOf(pids),
                Duration.ofSeconds(warmup),
                Duration.ofSeconds(seconds),
                payload,
                window,
                inFlight,
                rate,
                connections,
                connectsInFlight,
                label,
                scrapeUrl,
                scrapeEvery,
                tls,
                caFile,
                sessionExpiry);
    }

    /** The first broker process, -1 when none was given: for figures of one process. */
    long brokerPid() {
        return brokerPids.isEmpty() ? -1 : brokerPids.get(0);
    }

    /** Whether subscribers connect to another port than publishers (another node of a cluster). */
    boolean splitPorts() {
        return subscriberPort != port;
    }
}
