package dev.herald.bench.tap;

import com.typesafe.config.ConfigFactory;
import dev.herald.mqtt.broker.EmbeddedBroker;
import dev.herald.tap.DispatchMode;
import dev.herald.tap.TapOptions;
import dev.herald.tap.TapStats;
import dev.herald.tap.Taps;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A broker on 127.0.0.1 with one tap on every load-generator topic whose handler takes a fixed
 * time (a blocking sleep, like a slow database write), dispatched inline or through its TapActor.
 * On SIGTERM it prints the tap's counters as one JSON line and stops.
 *
 * <pre>TapBenchServer --port N --dispatch inline|actor --delay-ms D [--inbox 256] [--label NAME]</pre>
 */
public final class TapBenchServer {

    private TapBenchServer() {}

    public static void main(String[] args) throws Exception {
        int port = 0;
        int delayMs = 0;
        int inbox = 256;
        DispatchMode dispatch = DispatchMode.ACTOR;
        String label = "tap";
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--delay-ms" -> delayMs = Integer.parseInt(args[i + 1]);
                case "--inbox" -> inbox = Integer.parseInt(args[i + 1]);
                case "--dispatch" -> dispatch = DispatchMode.valueOf(args[i + 1].toUpperCase(java.util.Locale.ROOT));
                case "--label" -> label = args[i + 1];
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Taps taps = Taps.builder().dispatch(dispatch).inboxDepth(inbox).build();
        EmbeddedBroker broker = EmbeddedBroker.builder()
                .config(ConfigFactory.parseString("herald.mqtt { bind = \"127.0.0.1\", port = " + port + " }")
                        .withFallback(ConfigFactory.load()))
                .publishListener(taps::attach)
                .start();
        long sleep = delayMs;
        taps.onMessage("load/#", TapOptions.ordered(), (message, params) -> {
            if (sleep > 0) {
                TimeUnit.MILLISECONDS.sleep(sleep);
            }
        });
        String name = label;
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            TapStats s = taps.stats().get(0);
                            System.out.printf(
                                    "{\"broker\":\"%s\",\"scenario\":\"tap\",\"tap_delivered\":%d,\"tap_dropped\":%d,"
                                            + "\"tap_inbox_capacity\":%d}%n",
                                    name, s.delivered(), s.dropped(), s.inboxCapacity());
                            System.out.flush();
                            broker.close();
                            stopped.countDown();
                        },
                        "tap-bench-shutdown"));
        System.err.println("tap bench broker on port " + broker.port() + ", " + dispatch + ", " + delayMs + " ms");
        stopped.await();
    }
}
