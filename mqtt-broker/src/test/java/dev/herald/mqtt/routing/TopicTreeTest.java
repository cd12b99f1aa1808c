package dev.herald.mqtt.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The persistent subscription index: matching per MQTT 5.0 section 4.7, updates, pruning and persistence. */
class TopicTreeTest {

    private record Hit(String filter, String clientId, String subscription) {}

    private record Key(String filter, String clientId) {}

    private static List<Hit> match(TopicTree<String> tree, String topic) {
        List<Hit> hits = new ArrayList<>();
        tree.match(topic, (filter, clientId, subscription) -> hits.add(new Hit(filter, clientId, subscription)));
        return hits;
    }

    @ParameterizedTest(name = "{0} matches {1}: {2}")
    @MethodSource("dev.herald.mqtt.routing.MatchCases#cases")
    @DisplayName("MQTT 5.0 sections 4.7.1.2, 4.7.1.3 and 4.7.2 examples, and empty levels")
    void specExamples(String filter, String topic, boolean matches) {
        TopicTree<String> tree = TopicTree.<String>empty().subscribe(filter, "c1", "s1");

        List<Hit> expected = matches ? List.of(new Hit(filter, "c1", "s1")) : List.of();
        assertThat(match(tree, topic)).isEqualTo(expected);
        assertThat(BruteForce.matches(filter, topic))
                .as("the randomized test's oracle")
                .isEqualTo(matches);
    }

    @Test
    @DisplayName("section 4.7.2: of the four filters only the '$SYS' ones match '$SYS/monitor/Clients'")
    void dollarTopics() {
        TopicTree<String> tree = TopicTree.<String>empty()
                .subscribe("#", "c1", "s")
                .subscribe("+/monitor/Clients", "c1", "s")
                .subscribe("$SYS/#", "c1", "s")
                .subscribe("$SYS/monitor/+", "c1", "s");

        assertThat(match(tree, "$SYS/monitor/Clients"))
                .containsExactlyInAnyOrder(new Hit("$SYS/#", "c1", "s"), new Hit("$SYS/monitor/+", "c1", "s"));
        assertThat(match(tree, "sys/monitor/Clients"))
                .containsExactlyInAnyOrder(new Hit("#", "c1", "s"), new Hit("+/monitor/Clients", "c1", "s"));
    }

    @Test
    @DisplayName("an empty tree has no entries and matches nothing")
    void empty() {
        TopicTree<String> tree = TopicTree.empty();

        assertThat(tree.size()).isZero();
        assertThat(tree.isEmpty()).isTrue();
        assertThat(match(tree, "a/b")).isEmpty();
        assertThat(tree.get("a/b", "c1")).isNull();
    }

    @Test
    @DisplayName("several clients on one filter are each visited with their own subscription")
    void severalClientsOnOneFilter() {
        TopicTree<String> tree = TopicTree.<String>empty()
                .subscribe("sport/+", "c1", "s1")
                .subscribe("sport/+", "c2", "s2")
                .subscribe("sport/+", "c3", "s3");

        assertThat(tree.size()).isEqualTo(3);
        assertThat(match(tree, "sport/tennis"))
                .containsExactlyInAnyOrder(
                        new Hit("sport/+", "c1", "s1"), new Hit("sport/+", "c2", "s2"), new Hit("sport/+", "c3", "s3"));
    }

    @Test
    @DisplayName("a client with overlapping filters is visited once per matching filter")
    void overlappingFiltersOfOneClient() {
        TopicTree<String> tree = TopicTree.<String>empty()
                .subscribe("sport/tennis/player1", "c1", "exact")
                .subscribe("sport/+/player1", "c1", "plus")
                .subscribe("sport/#", "c1", "hash")
                .subscribe("#", "c1", "all")
                .subscribe("sport/tennis/player2", "c1", "other");

        assertThat(match(tree, "sport/tennis/player1"))
                .containsExactlyInAnyOrder(
                        new Hit("sport/tennis/player1", "c1", "exact"),
                        new Hit("sport/+/player1", "c1", "plus"),
                        new Hit("sport/#", "c1", "hash"),
                        new Hit("#", "c1", "all"));
    }

    @Test
    @DisplayName("subscribing again to the same filter replaces the client's entry")
    void resubscribeReplaces() {
        TopicTree<String> first = TopicTree.<String>empty().subscribe("a/+", "c1", "qos0");
        TopicTree<String> second = first.subscribe("a/+", "c1", "qos1");

        assertThat(second.size()).isEqualTo(1);
        assertThat(second.get("a/+", "c1")).isEqualTo("qos1");
        assertThat(match(second, "a/b")).containsExactly(new Hit("a/+", "c1", "qos1"));
        assertThat(first.get("a/+", "c1")).isEqualTo("qos0");
    }

    @Test
    @DisplayName("unsubscribing an absent entry returns the same tree")
    void unsubscribeAbsent() {
        TopicTree<String> tree = TopicTree.<String>empty().subscribe("a/b", "c1", "s");

        assertThat(tree.unsubscribe("a/b", "c2")).isSameAs(tree);
        assertThat(tree.unsubscribe("a", "c1")).isSameAs(tree);
        assertThat(tree.unsubscribe("a/b/c", "c1")).isSameAs(tree);
        assertThat(tree.unsubscribe("a/+", "c1")).isSameAs(tree);
        assertThat(tree.unsubscribe("#", "c1")).isSameAs(tree);
        assertThat(TopicTree.<String>empty().unsubscribe("a", "c1")).isSameAs(TopicTree.empty());
    }

    @Test
    @DisplayName("unsubscribe prunes the nodes left without entries or children")
    void unsubscribePrunes() {
        TopicTree<String> base = TopicTree.<String>empty().subscribe("a/b", "c1", "s");
        TopicTree<String> grown = base.subscribe("a/b/c/d", "c1", "s")
                .subscribe("a/+/x/#", "c2", "s")
                .subscribe("a/b", "c2", "s");

        TopicTree<String> pruned =
                grown.unsubscribe("a/b/c/d", "c1").unsubscribe("a/+/x/#", "c2").unsubscribe("a/b", "c2");

        assertThat(grown.nodeCount()).isEqualTo(8);
        assertThat(pruned.nodeCount()).isEqualTo(base.nodeCount()).isEqualTo(3);
        assertThat(pruned.size()).isEqualTo(1);
        assertThat(pruned.unsubscribe("a/b", "c1").nodeCount()).isEqualTo(1);
        assertThat(pruned.unsubscribe("a/b", "c1").isEmpty()).isTrue();
    }

    @Test
    @DisplayName("an old version answers as before after the versions made from it change")
    void persistence() {
        TopicTree<String> v1 =
                TopicTree.<String>empty().subscribe("a/+", "c1", "s1").subscribe("a/b", "c2", "s2");
        TopicTree<String> v2 = v1.subscribe("a/#", "c3", "s3").unsubscribe("a/b", "c2");
        TopicTree<String> v3 = v2.subscribe("a/+", "c1", "changed").unsubscribe("a/+", "c1");

        assertThat(v1.size()).isEqualTo(2);
        assertThat(match(v1, "a/b")).containsExactlyInAnyOrder(new Hit("a/+", "c1", "s1"), new Hit("a/b", "c2", "s2"));
        assertThat(v2.size()).isEqualTo(2);
        assertThat(match(v2, "a/b")).containsExactlyInAnyOrder(new Hit("a/+", "c1", "s1"), new Hit("a/#", "c3", "s3"));
        assertThat(v3.size()).isEqualTo(1);
        assertThat(match(v3, "a/b")).containsExactly(new Hit("a/#", "c3", "s3"));
    }

    @Test
    @DisplayName("get finds exactly the filter a client subscribed to, wildcards included")
    void get() {
        TopicTree<String> tree = TopicTree.<String>empty()
                .subscribe("a/+", "c1", "plus")
                .subscribe("a/#", "c1", "hash")
                .subscribe("/", "c1", "slash");

        assertThat(tree.get("a/+", "c1")).isEqualTo("plus");
        assertThat(tree.get("a/#", "c1")).isEqualTo("hash");
        assertThat(tree.get("/", "c1")).isEqualTo("slash");
        assertThat(tree.get("a/b", "c1")).isNull();
        assertThat(tree.get("a", "c1")).isNull();
        assertThat(tree.get("a/+", "c2")).isNull();
    }

    @Test
    @DisplayName("invalid filters are rejected with the reason")
    void invalidFilters() {
        TopicTree<String> tree = TopicTree.empty();

        assertThatThrownBy(() -> tree.subscribe("", "c1", "s")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tree.subscribe("a/#/b", "c1", "s")).hasMessageContaining("'#'");
        assertThatThrownBy(() -> tree.subscribe("a+/b", "c1", "s")).hasMessageContaining("'+'");
    }

    @Test
    @DisplayName("a filter of 10,000 literal levels neither overflows the stack nor mis-matches")
    void deepFilter() {
        String deep = "a/".repeat(9_999) + "a";
        TopicTree<String> tree =
                TopicTree.<String>empty().subscribe(deep, "c1", "s").subscribe("a/#", "c2", "s");

        assertThat(match(tree, deep)).containsExactlyInAnyOrder(new Hit(deep, "c1", "s"), new Hit("a/#", "c2", "s"));
        assertThat(tree.unsubscribe(deep, "c1").nodeCount()).isEqualTo(3);
    }

    @Test
    @DisplayName("a filter of 10,000 '+' levels neither overflows the stack nor mis-matches")
    void deepPlusFilter() {
        String deep = "+/".repeat(9_999) + "+";
        TopicTree<String> tree = TopicTree.<String>empty().subscribe(deep, "c1", "s");

        assertThat(match(tree, "a/".repeat(9_999) + "a")).containsExactly(new Hit(deep, "c1", "s"));
        assertThat(match(tree, "a/".repeat(9_998) + "a")).isEmpty();
    }

    @Test
    @DisplayName("randomized, 40 levels deep: branches past the recursion limit are matched as the others")
    void randomizedDeepWildcards() {
        Random random = new Random(20_240_603L);
        TopicTree<String> tree = TopicTree.empty();
        List<String> filters = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            StringBuilder filter = new StringBuilder();
            for (int level = 0; level < 40; level++) {
                filter.append(level == 0 ? "" : "/").append(random.nextInt(5) == 0 ? "b" : "+");
            }
            if (random.nextBoolean()) {
                filter.append("/#");
            }
            filters.add(filter.toString());
            tree = tree.subscribe(filter.toString(), "c1", "s");
        }
        int hits = 0;
        for (int i = 0; i < 200; i++) {
            StringBuilder topic = new StringBuilder();
            for (int level = 0; level < 40 + random.nextInt(2); level++) {
                topic.append(level == 0 ? "" : "/").append(random.nextInt(10) == 0 ? "a" : "b");
            }
            List<Hit> expected = new ArrayList<>();
            for (String filter : filters) {
                if (BruteForce.matches(filter, topic.toString()) && !expected.contains(new Hit(filter, "c1", "s"))) {
                    expected.add(new Hit(filter, "c1", "s"));
                }
            }
            assertThat(match(tree, topic.toString())).containsExactlyInAnyOrderElementsOf(expected);
            hits += expected.size();
        }
        assertThat(hits).isGreaterThan(1_000);
    }

    @Test
    @DisplayName("randomized: match agrees with a brute-force matcher, and old versions keep their answers")
    void randomizedAgainstBruteForce() {
        Random random = new Random(20_240_601L);
        TopicTree<String> tree = TopicTree.empty();
        Map<Key, String> model = new HashMap<>();
        List<Key> subscribed = new ArrayList<>();
        TopicTree<String> snapshot = null;
        Map<Key, String> snapshotModel = null;
        for (int i = 0; i < 4_000; i++) {
            boolean unsubscribe = random.nextInt(4) == 0;
            Key key = unsubscribe && !subscribed.isEmpty() && random.nextBoolean()
                    ? subscribed.get(random.nextInt(subscribed.size()))
                    : new Key(RandomTopics.filter(random), "c" + random.nextInt(20));
            if (unsubscribe) {
                tree = tree.unsubscribe(key.filter(), key.clientId());
                model.remove(key);
            } else {
                tree = tree.subscribe(key.filter(), key.clientId(), "s" + i);
                model.put(key, "s" + i);
                subscribed.add(key);
            }
            if (i == 2_000) {
                snapshot = tree;
                snapshotModel = Map.copyOf(model);
            }
        }

        TopicTree<String> last = tree;
        assertThat(model).isNotEmpty();
        assertMatchesModel(last, model, random);
        assertMatchesModel(snapshot, snapshotModel, random);
        model.forEach((key, subscription) ->
                assertThat(last.get(key.filter(), key.clientId())).isEqualTo(subscription));
    }

    @Test
    @DisplayName("the matches a version keeps of a topic are not seen by the next version, nor by the one before")
    void keptMatchesBelongToTheirVersion() {
        TopicTree<String> one = TopicTree.<String>empty().subscribe("a/+", "c1", "s1");
        assertThat(match(one, "a/b")).containsExactly(new Hit("a/+", "c1", "s1"));
        assertThat(match(one, "a/b")).containsExactly(new Hit("a/+", "c1", "s1"));

        TopicTree<String> two = one.subscribe("a/b", "c2", "s2");
        assertThat(match(two, "a/b")).containsExactlyInAnyOrder(new Hit("a/+", "c1", "s1"), new Hit("a/b", "c2", "s2"));
        TopicTree<String> three = two.unsubscribe("a/+", "c1");
        assertThat(match(three, "a/b")).containsExactly(new Hit("a/b", "c2", "s2"));
        assertThat(match(one, "a/b")).containsExactly(new Hit("a/+", "c1", "s1"));
    }

    @Test
    @DisplayName("more topics than a version keeps, longer ones and ones with more matches than it keeps all match")
    void beyondWhatIsKept() {
        TopicTree<String> tree = TopicTree.<String>empty().subscribe("t/+", "wild", "w");
        for (int i = 0; i <= TopicTree.KEPT_MATCHES; i++) {
            tree = tree.subscribe("many", "c" + i, "s" + i);
        }
        for (int round = 0; round < 2; round++) {
            assertThat(match(tree, "many")).hasSize(TopicTree.KEPT_MATCHES + 1);
            for (int i = 0; i < TopicTree.KEPT_TOPICS + 10; i++) {
                assertThat(match(tree, "t/" + i)).as("t/" + i).containsExactly(new Hit("t/+", "wild", "w"));
            }
            String longTopic = "t/" + "x".repeat(TopicTree.KEPT_TOPIC_LENGTH);
            assertThat(match(tree, longTopic)).containsExactly(new Hit("t/+", "wild", "w"));
        }
    }

    private static void assertMatchesModel(TopicTree<String> tree, Map<Key, String> model, Random random) {
        assertThat(tree.size()).isEqualTo(model.size());
        int hits = 0;
        for (int i = 0; i < 1_000; i++) {
            String topic = RandomTopics.topic(random);
            List<Hit> expected = new ArrayList<>();
            model.forEach((key, subscription) -> {
                if (BruteForce.matches(key.filter(), topic)) {
                    expected.add(new Hit(key.filter(), key.clientId(), subscription));
                }
            });
            assertThat(match(tree, topic)).as(topic).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(match(tree, topic)).as("again: " + topic).containsExactlyInAnyOrderElementsOf(expected);
            hits += expected.size();
        }
        assertThat(hits).as("matches seen; the generator should make many").isGreaterThan(1_000);
    }
}
