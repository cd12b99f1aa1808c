package dev.herald.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.server.ConfigCheck.Problem;
import dev.herald.server.internal.ConfTemplate;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigCheckTest {

    @TempDir
    Path dir;

    private Path file(String... lines) throws Exception {
        Path file = dir.resolve("herald.conf");
        Files.writeString(file, String.join("\n", lines) + "\n");
        return file;
    }

    @Test
    void aGoodFileHasNoProblems() throws Exception {
        Path file = file(
                "herald.mqtt {",
                "  port = 1999",
                "  max-inflight = 2000          # more than the default outbound-queue-size, with a larger one",
                "  outbound-queue-size = 5000",
                "  websocket { enabled = true, path = \"/ws\" }",
                "  filters.payload-rules = [ { topics = \"a/#\", max-bytes = 1k, format = utf8 } ]",
                "}",
                "herald.admin.request-timeout = 2s",
                "pekko.loglevel = DEBUG         # not Herald's: not checked");

        assertThat(ConfigCheck.check(file)).isEmpty();
    }

    @Test
    void theGeneratedTemplateHasNoProblems() throws Exception {
        Path file = file(ConfTemplate.render("test", getClass().getClassLoader()));

        assertThat(ConfigCheck.check(file)).isEmpty();
    }

    @Test
    void persistenceSettingsAreCheckedAndTheWriterDispatcherTakesPekkoDispatcherKeys() throws Exception {
        Path file = file(
                "herald.mqtt.persistence {",
                "  enabled = true",
                "  durability = foo",
                "  batch-interval = 0s",
                "  writer-dispatcher { throughput = 10, thread-pool-executor.fixed-pool-size = 1 }",
                "  writer-dispatcher.throughputt = 10",
                "}");

        List<Problem> problems = ConfigCheck.check(file);

        assertThat(problems).extracting(Problem::line).containsExactly(3, 4, 6);
        assertThat(problems.get(0).key()).isEqualTo("herald.mqtt.persistence.durability");
        assertThat(problems.get(0).message()).contains("must be sync or batched, not 'foo'");
        assertThat(problems.get(1).key()).isEqualTo("herald.mqtt.persistence.batch-interval");
        assertThat(problems.get(2).key()).isEqualTo("herald.mqtt.persistence.writer-dispatcher.throughputt");
        assertThat(problems.get(2).message()).contains("unknown key");
    }

    @Test
    void aWrongTypeAndAnUnknownKeyAreReportedWithTheirLines() throws Exception {
        Path file = file("herald.mqtt {", "  port = \"abc\"", "  max-inflightt = 5", "}");

        List<Problem> problems = ConfigCheck.check(file);

        assertThat(problems).hasSize(2);
        assertThat(problems.get(0).key()).isEqualTo("herald.mqtt.port");
        assertThat(problems.get(0).line()).isEqualTo(2);
        assertThat(problems.get(0).message()).contains("STRING").contains("NUMBER");
        assertThat(problems.get(1).key()).isEqualTo("herald.mqtt.max-inflightt");
        assertThat(problems.get(1).line()).isEqualTo(3);
        assertThat(problems.get(1).message())
                .contains("unknown key")
                .contains("did you mean herald.mqtt.max-inflight?");
    }

    @Test
    void everyBadValueIsReportedNotOnlyTheFirst() throws Exception {
        Path file = file(
                "herald.mqtt.maximum-qos = 3",
                "herald.mqtt.shared-subscriptions.strategy = fastest",
                "herald.mqtt.websocket.path = mqtt",
                "herald.mqtt.outbound-queue-size = 10",
                "herald.mqtt.auth.password-file = \"" + dir.resolve("no-such-file") + "\"",
                "herald.admin.port = 70000",
                "herald.admin.idle-timeout = soon",
                "herald.tap.inbox-depth = 5",
                "herald.mqtt.tls.client-auth = sometimes");

        List<Problem> problems = ConfigCheck.check(file);

        assertThat(problems)
                .extracting(Problem::line, Problem::key)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(1, "herald.mqtt.maximum-qos"),
                        org.assertj.core.groups.Tuple.tuple(2, "herald.mqtt.shared-subscriptions.strategy"),
                        org.assertj.core.groups.Tuple.tuple(3, "herald.mqtt.websocket.path"),
                        org.assertj.core.groups.Tuple.tuple(4, "herald.mqtt.outbound-queue-size"),
                        org.assertj.core.groups.Tuple.tuple(5, "herald.mqtt.auth.password-file"),
                        org.assertj.core.groups.Tuple.tuple(6, "herald.admin.port"),
                        org.assertj.core.groups.Tuple.tuple(7, "herald.admin.idle-timeout"),
                        org.assertj.core.groups.Tuple.tuple(8, "herald.tap.inbox-depth"),
                        org.assertj.core.groups.Tuple.tuple(9, "herald.mqtt.tls.client-auth"));
        assertThat(problems.get(3).message()).contains("must exceed herald.mqtt.max-inflight");
        assertThat(problems.get(4).message()).contains("no-such-file");
    }

    @Test
    void clusterKeysAreAcceptedAndBadOnesReported() throws Exception {
        Path good = file(
                "herald.cluster {",
                "  enabled = on",
                "  hostname = \"10.0.0.5\"",
                "  port = 2551",
                "  seed-nodes = [\"10.0.0.5:2551\", \"10.0.0.6:2551\", \"pekko://herald@10.0.0.7:2551\"]",
                "}");
        assertThat(ConfigCheck.check(good)).isEmpty();

        Path bad = file(
                "herald.cluster {",
                "  enabled = on",
                "  port = 70000",
                "  seed-nodes = [\"10.0.0.5\", \"10.0.0.6:99999\"]",
                "  seeds = [\"10.0.0.5:2551\"]",
                "}");

        List<Problem> problems = ConfigCheck.check(bad);

        assertThat(problems)
                .extracting(Problem::line, Problem::key)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(3, "herald.cluster.port"),
                        org.assertj.core.groups.Tuple.tuple(4, "herald.cluster.seed-nodes"),
                        org.assertj.core.groups.Tuple.tuple(5, "herald.cluster.seeds"));
        assertThat(problems.stream().map(p -> p.render(bad)))
                .anySatisfy(l -> assertThat(l).contains(":3: herald.cluster.port must be 0..65535, not 70000"))
                .anySatisfy(
                        l -> assertThat(l).contains(":4: herald.cluster.seed-nodes: '10.0.0.5' is neither host:port"))
                .anySatisfy(l -> assertThat(l).contains(":5: herald.cluster.seeds: unknown key"));
    }

    @Test
    void aSeedsPortOutOfRangeIsReported() throws Exception {
        Path file = file("herald.cluster.enabled = on", "herald.cluster.seed-nodes = [\"10.0.0.6:99999\"]");

        List<Problem> problems = ConfigCheck.check(file);

        assertThat(problems).extracting(Problem::line).containsExactly(2);
        assertThat(problems.get(0).render(file))
                .contains(":2: herald.cluster.seed-nodes: '10.0.0.6:99999': the port must be from 1 to 65535");
    }

    @Test
    void persistenceOnInAClusterNodesFileIsAProblem() throws Exception {
        Path file = file("herald.cluster.enabled = on", "herald.mqtt.persistence.enabled = true");

        List<Problem> problems = ConfigCheck.check(file);

        assertThat(problems)
                .extracting(Problem::line, Problem::key)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(2, "herald.mqtt.persistence.enabled"));
        assertThat(problems.get(0).message()).contains("a cluster node keeps its state in memory for now");
    }

    @Test
    void payloadRulesAreCheckedKeyByKey() throws Exception {
        Path file = file(
                "herald.mqtt.filters.payload-rules = [",
                "  { topics = \"a/#\", format = xml }",
                "  { topics = \"b/#\", max-size = 10 }",
                "]");

        List<Problem> problems = ConfigCheck.check(file);

        assertThat(problems).extracting(Problem::line).containsExactly(2, 3);
        assertThat(problems.get(0).key()).isEqualTo("herald.mqtt.filters.payload-rules");
        assertThat(problems.get(0).message()).contains("format must be any, utf8 or json, not 'xml'");
        assertThat(problems.get(1).key()).isEqualTo("herald.mqtt.filters.payload-rules [1].max-size");
    }

    @Test
    void problemsInAnIncludedFileAreReportedWithThatFileAndLine() throws Exception {
        Path included = dir.resolve("limits.conf");
        Files.writeString(included, "herald.mqtt {\n  max-inflight = many\n  max-packet-sise = 10\n}\n");
        Path file = file("include \"limits.conf\"", "herald.mqtt.port = abc");

        List<Problem> problems = ConfigCheck.check(file);

        assertThat(problems)
                .extracting(Problem::source, Problem::line, Problem::key)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(file.toString(), 2, "herald.mqtt.port"),
                        org.assertj.core.groups.Tuple.tuple(included.toString(), 2, "herald.mqtt.max-inflight"),
                        org.assertj.core.groups.Tuple.tuple(included.toString(), 3, "herald.mqtt.max-packet-sise"));
        assertThat(problems.get(2).render(file)).startsWith(included + ":3: herald.mqtt.max-packet-sise: unknown key");
    }

    @Test
    void aSyntaxErrorIsReportedWithItsLine() throws Exception {
        Path file = file("herald.mqtt {", "  port = 1883", "  bind = ", "}", "}");

        List<Problem> problems = ConfigCheck.check(file);

        assertThat(problems).hasSize(1);
        assertThat(problems.get(0).line()).isPositive();
    }

    @Test
    void theCommandPrintsFileLineAndKeyAndExitsWith1OnProblems() throws Exception {
        Path bad = file("herald.mqtt {", "  port = \"abc\"", "}");
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int exit = ConfigCheck.run(new String[] {bad.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8));

        assertThat(exit).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains(bad + ":2: herald.mqtt.port: port has type STRING rather than NUMBER")
                .contains(bad + ": 1 problem");
    }

    @Test
    void theCommandExitsWith0OnAGoodFileAnd2WithoutOne() throws Exception {
        Path good = file("herald.mqtt.port = 1884");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);

        assertThat(ConfigCheck.run(new String[] {good.toString()}, print)).isZero();
        assertThat(ConfigCheck.run(new String[] {}, print)).isEqualTo(2);
        assertThat(ConfigCheck.run(new String[] {dir.resolve("missing.conf").toString()}, print))
                .isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains(good + ": OK")
                .contains(ConfigCheck.USAGE)
                .contains("missing.conf: not found or not readable");
    }
}
