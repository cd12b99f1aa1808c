package dev.herald.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What was measured and counted in one fail-over. */
record FailOverOutcome(
        String name,
        Timings timings,
        List<CountingPublisher> publishers,
        List<CountingSubscriber> subscribers,
        Set<String> acked,
        boolean exited,
        boolean goneFromViews,
        boolean downedBySbr) {

    private static final Logger log = LoggerFactory.getLogger(ClusterKillIT.class);

    /** How long the broker took to answer again after its node went, in ms since the signal. */
    record Timings(long moved, long earlySubAck, long lateSubAck) {}

    Map<String, String> figures() {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("cluster-view-moved-ms", String.valueOf(timings.moved()));
        f.put("subscribe-sent-at-stop-answered-ms", String.valueOf(timings.earlySubAck()));
        f.put("subscribe-sent-after-move-answered-ms", String.valueOf(timings.lateSubAck()));
        f.put("stopped-process-exited", String.valueOf(exited));
        f.put("gone-from-survivors-views", String.valueOf(goneFromViews));
        f.put("survivors-logged-sbr-downing", String.valueOf(downedBySbr));
        for (CountingPublisher p : publishers) {
            f.put(p.name(), p.figures());
        }
        for (CountingSubscriber s : subscribers) {
            f.put(s.name(), s.figures(acked));
        }
        return f;
    }

    String summary() {
        return name + ": " + figures();
    }

    void report() throws IOException {
        StringBuilder text = new StringBuilder();
        figures().forEach((k, v) -> text.append(k).append(" = ").append(v).append('\n'));
        log.info("Cluster fail-over ({}):\n{}", name, text);
        Files.writeString(Path.of("target", "cluster-kill-" + name + ".txt"), text);
    }

    void assertEveryPublishAnswered() {
        for (CountingPublisher p : publishers) {
            assertThat(p.unanswered())
                    .as("publishes never answered, %s", summary())
                    .isZero();
        }
    }

    void assertNothingLostOnSurvivors() {
        for (CountingSubscriber s : subscribers) {
            if (s.survives()) {
                assertThat(s.lost(acked))
                        .as("acknowledged but not delivered to %s: %s", s.name(), summary())
                        .isEmpty();
            }
        }
    }
}
