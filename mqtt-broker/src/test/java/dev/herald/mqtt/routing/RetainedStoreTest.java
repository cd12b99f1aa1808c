package dev.herald.mqtt.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The retained-message store: put, replace, remove with pruning, and matching a filter per MQTT 5.0 section 4.7. */
class RetainedStoreTest {

    private static Map<String, String> match(RetainedStore<String> store, String filter) {
        Map<String, String> hits = new HashMap<>();
        store.match(filter, (topic, message) -> assertThat(hits.put(topic, message))
                .as("visited twice: " + topic)
                .isNull());
        return hits;
    }

    @ParameterizedTest(name = "{0} matches {1}: {2}")
    @MethodSource("dev.herald.mqtt.routing.MatchCases#cases")
    @DisplayName("MQTT 5.0 sections 4.7.1.2, 4.7.1.3 and 4.7.2 examples, and empty levels")
    void specExamples(String filter, String topic, boolean matches) {
        RetainedStore<String> store = new RetainedStore<>();
        store.put(topic, "m");

        assertThat(match(store, filter)).isEqualTo(matches ? Map.of(topic, "m") : Map.of());
    }

    @Test
    @DisplayName("section 4.7.2: '#' and '+/monitor/Clients' skip '$SYS' topics, '$SYS/#' and '$SYS/monitor/+' don't")
    void dollarTopics() {
        RetainedStore<String> store = new RetainedStore<>();
        store.put("$SYS/monitor/Clients", "sys");
        store.put("app/monitor/Clients", "app");

        assertThat(match(store, "#")).containsOnlyKeys("app/monitor/Clients");
        assertThat(match(store, "+/monitor/Clients")).containsOnlyKeys("app/monitor/Clients");
        assertThat(match(store, "$SYS/#")).containsOnlyKeys("$SYS/monitor/Clients");
        assertThat(match(store, "$SYS/monitor/+")).containsOnlyKeys("$SYS/monitor/Clients");
    }

    @Test
    @DisplayName("a filter visits every retained topic it matches and no other")
    void matchesSeveral() {
        RetainedStore<String> store = new RetainedStore<>();
        store.put("sport", "0");
        store.put("sport/tennis/player1", "1");
        store.put("sport/tennis/player2", "2");
        store.put("sport/tennis/player1/ranking", "3");
        store.put("sport/golf/player1", "4");
        store.put("/sport", "5");

        assertThat(match(store, "sport/#"))
                .containsOnlyKeys(
                        "sport",
                        "sport/tennis/player1",
                        "sport/tennis/player2",
                        "sport/tennis/player1/ranking",
                        "sport/golf/player1");
        assertThat(match(store, "sport/+/player1")).containsOnlyKeys("sport/tennis/player1", "sport/golf/player1");
        assertThat(match(store, "sport/tennis/+")).containsOnlyKeys("sport/tennis/player1", "sport/tennis/player2");
        assertThat(match(store, "+")).containsOnlyKeys("sport");
        assertThat(match(store, "+/+")).containsOnlyKeys("/sport");
        assertThat(match(store, "#")).hasSize(6);
        assertThat(match(store, "sport/tennis/player1")).isEqualTo(Map.of("sport/tennis/player1", "1"));
        assertThat(match(store, "golf/#")).isEmpty();
    }

    @Test
    @DisplayName("put replaces the topic's message; get and size follow")
    void putReplaces() {
        RetainedStore<String> store = new RetainedStore<>();
        store.put("a/b", "first");
        store.put("a/b", "second");

        assertThat(store.size()).isEqualTo(1);
        assertThat(store.get("a/b")).isEqualTo("second");
        assertThat(store.get("a")).isNull();
        assertThat(store.get("a/b/c")).isNull();
        assertThat(match(store, "a/+")).isEqualTo(Map.of("a/b", "second"));
    }

    @Test
    @DisplayName("a null message is rejected: removal is explicit")
    void nullMessage() {
        RetainedStore<String> store = new RetainedStore<>();

        assertThatThrownBy(() -> store.put("a", null)).isInstanceOf(IllegalArgumentException.class);
        assertThat(store.size()).isZero();
    }

    @Test
    @DisplayName("remove prunes the nodes left without a message or child, and ignores absent topics")
    void removePrunes() {
        RetainedStore<String> store = new RetainedStore<>();
        store.put("a", "a");
        store.put("a/b/c/d", "d");
        store.put("a//x", "x");
        assertThat(store.nodeCount()).isEqualTo(7);

        store.remove("a/b/c");
        store.remove("a/b/c/d/e");
        store.remove("q");
        assertThat(store.size()).isEqualTo(3);
        assertThat(store.nodeCount()).isEqualTo(7);

        store.remove("a/b/c/d");
        assertThat(store.nodeCount()).isEqualTo(4);
        store.remove("a");
        assertThat(store.nodeCount()).isEqualTo(4);
        assertThat(store.get("a//x")).isEqualTo("x");
        store.remove("a//x");
        assertThat(store.nodeCount()).isEqualTo(1);
        assertThat(store.size()).isZero();
        assertThat(match(store, "#")).isEmpty();
    }

    @Test
    @DisplayName("a topic of 10,000 levels neither overflows the stack nor mis-matches")
    void deepTopic() {
        RetainedStore<String> store = new RetainedStore<>();
        String deep = "a/".repeat(9_999) + "a";
        store.put(deep, "deep");

        assertThat(match(store, "#")).containsOnlyKeys(deep);
        assertThat(match(store, "a/+/#")).containsOnlyKeys(deep);
        store.remove(deep);
        assertThat(store.nodeCount()).isEqualTo(1);
    }

    @Test
    @DisplayName("randomized: match agrees with a brute-force matcher over the retained topics")
    void randomizedAgainstBruteForce() {
        Random random = new Random(20_240_602L);
        RetainedStore<String> store = new RetainedStore<>();
        Map<String, String> model = new HashMap<>();
        for (int i = 0; i < 3_000; i++) {
            String topic = RandomTopics.topic(random);
            if (random.nextInt(3) == 0) {
                store.remove(topic);
                model.remove(topic);
            } else {
                store.put(topic, "m" + i);
                model.put(topic, "m" + i);
            }
        }

        assertThat(store.size()).isEqualTo(model.size()).isPositive();
        model.forEach((topic, message) -> assertThat(store.get(topic)).isEqualTo(message));
        for (int i = 0; i < 2_000; i++) {
            String filter = RandomTopics.filter(random);
            Map<String, String> expected = new HashMap<>();
            model.forEach((topic, message) -> {
                if (BruteForce.matches(filter, topic)) {
                    expected.put(topic, message);
                }
            });
            assertThat(match(store, filter)).as(filter).isEqualTo(expected);
        }
        model.keySet().forEach(store::remove);
        assertThat(store.nodeCount()).isEqualTo(1);
    }
}
