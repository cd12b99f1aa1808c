package dev.herald.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;
import dev.herald.server.internal.ConfTemplate;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution archive as a user gets it: unpacked, {@code bin/herald} runs the broker (a real
 * MQTT client publishes and receives through it) with its state in data/ of the installation (each
 * test run unpacks to a directory of its own) and stops cleanly on SIGTERM, and its subcommands work. Runs in {@code integration-test}, after {@code package} built the archive.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DistributionIT {

    private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private final String version = System.getProperty("herald.version", "unknown");
    private final Path archive =
            Path.of(System.getProperty("herald.distribution", "target/herald-" + version + ".tar.gz"));
    private Path home;

    @BeforeAll
    void unpack(@TempDir Path dir) throws Exception {
        assumeThat(FileSystems.getDefault().supportedFileAttributeViews())
                .as("bin/herald is a POSIX shell script")
                .contains("posix");
        assertThat(archive).exists();
        Result tar =
                run(dir, List.of("tar", "xzf", archive.toAbsolutePath().toString(), "-C", dir.toString()), Map.of());
        assertThat(tar.exit()).as(tar.output()).isZero();
        home = dir.resolve("herald-" + version);
    }

    @Test
    void theArchiveHoldsLaunchersConfigurationJarsLicenseAndReadme() throws Exception {
        assertThat(Files.getPosixFilePermissions(home.resolve("bin/herald")))
                .contains(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OTHERS_EXECUTE);
        assertThat(Files.readString(home.resolve("bin/herald.bat"))).contains("\r\n");
        assertThat(Files.readString(home.resolve("bin/herald")))
                .startsWith("#!/bin/sh\n")
                .doesNotContain("\r");
        assertThat(home.resolve("conf/logback.xml")).exists();
        assertThat(Files.readString(home.resolve("LICENSE"))).contains("Apache License, Version 2.0");
        assertThat(Files.readString(home.resolve("README")))
                .contains("Herald " + version)
                .contains("bin/herald");
        List<String> jars;
        try (Stream<Path> lib = Files.list(home.resolve("lib"))) {
            jars = lib.map(p -> p.getFileName().toString()).toList();
        }
        assertThat(jars)
                .contains("herald-server-" + version + ".jar", "mqtt-broker-" + version + ".jar")
                .anyMatch(j -> j.startsWith("pekko-actor-typed_2.13-"))
                .anyMatch(j -> j.startsWith("logback-classic-"))
                .allMatch(j -> j.endsWith(".jar"))
                .doesNotContain("herald-server.jar");

        Path zip = archive.resolveSibling(archive.getFileName().toString().replace(".tar.gz", ".zip"));
        Set<String> zipped = new TreeSet<>();
        try (ZipFile z = new ZipFile(zip.toFile())) {
            z.stream().filter(e -> !e.isDirectory()).map(ZipEntry::getName).forEach(zipped::add);
        }
        Set<String> unpacked = new TreeSet<>();
        try (Stream<Path> all = Files.walk(home)) {
            all.filter(Files::isRegularFile)
                    .map(p -> "herald-" + version + "/"
                            + home.relativize(p).toString().replace('\\', '/'))
                    .forEach(unpacked::add);
        }
        assertThat(zipped).isEqualTo(unpacked);
    }

    @Test
    void theShippedConfigurationListsEverySettingWithItsDefault() throws Exception {
        String conf = Files.readString(home.resolve("conf/herald.conf"));
        Config listed = ConfTemplate.uncommented(conf);
        Config reference = ConfigFactory.defaultReference();

        for (String section : List.of("herald.mqtt", "herald.admin")) {
            assertThat(leaves(listed.getConfig(section))).as(section).isEqualTo(leaves(reference.getConfig(section)));
        }
        assertThat(leaves(ConfigFactory.parseString(conf)))
                .as("every setting commented out")
                .isEmpty();
    }

    @Test
    void theRepositorysRunCommandGivesJavaTheDistributionsOptionsAndJavaOptsAfterThem(@TempDir Path dir)
            throws Exception {
        Path repository = Path.of("").toAbsolutePath().getParent();
        Path log = dir.resolve("herald.log");
        ProcessBuilder start = new ProcessBuilder(
                        repository.resolve("herald").toString(), "--port", "0", "--admin-port", "0", "--in-memory")
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        start.environment()
                .put(
                        "HERALD_JAR",
                        Path.of("target/herald-server.jar").toAbsolutePath().toString());
        start.environment().put("HERALD_HEAP", "128m");
        start.environment().put("JAVA_OPTS", "-Xmx96m");
        start.environment().put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":" + System.getenv("PATH"));
        Process server = start.start();
        try {
            int port = await().atMost(DEADLINE)
                    .until(() -> port(log), Optional::isPresent)
                    .get();
            List<String> arguments = server.info().arguments().map(List::of).orElse(List.of());
            assertThat(arguments)
                    .containsSubsequence(
                            "-XX:+UseG1GC", "-Xms32m", "-Xmx128m", "-XX:+ExitOnOutOfMemoryError", "-Xmx96m");
            assertThat(port).isPositive();
        } finally {
            server.destroyForcibly();
        }
    }

    @Test
    void binHeraldRunsTheBrokerWhichServesClientsAndStopsCleanlyOnSigterm(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("herald.log");
        ProcessBuilder start = new ProcessBuilder(
                        home.resolve("bin/herald").toString(), "--port", "0", "--admin-port", "0")
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        start.environment().put("JAVA_HOME", System.getProperty("java.home"));
        start.environment().put("HERALD_HEAP", "128m");
        Process server = start.start();
        try {
            int port = await().atMost(DEADLINE)
                    .until(() -> port(log), Optional::isPresent)
                    .get();
            assertThat(server.info().arguments().map(List::of).orElse(List.of()))
                    .contains("-Xms32m", "-Xmx128m", "-XX:+UseG1GC", "-XX:+ExitOnOutOfMemoryError", "--config")
                    .contains(home.resolve("conf/herald.conf").toString());

            Mqtt5BlockingClient subscriber = client("dist-subscriber", port);
            Mqtt5BlockingClient publisher = client("dist-publisher", port);
            try (Mqtt5BlockingClient.Mqtt5Publishes publishes = subscriber.publishes(MqttGlobalPublishFilter.ALL)) {
                subscriber
                        .subscribeWith()
                        .topicFilter("dist/it")
                        .qos(MqttQos.AT_LEAST_ONCE)
                        .send();
                publisher
                        .publishWith()
                        .topic("dist/it")
                        .qos(MqttQos.AT_LEAST_ONCE)
                        .payload("hello".getBytes(StandardCharsets.UTF_8))
                        .send();
                Optional<Mqtt5Publish> received = publishes.receive(DEADLINE.toSeconds(), TimeUnit.SECONDS);
                assertThat(received).isPresent();
                assertThat(new String(received.get().getPayloadAsBytes(), StandardCharsets.UTF_8))
                        .isEqualTo("hello");
            }

            server.destroy(); // SIGTERM: bin/herald exec'd the JVM, so the JVM gets it

            await().atMost(Duration.ofSeconds(15)).until(() -> !server.isAlive());
            assertThat(server.exitValue())
                    .as("128 + SIGTERM: stopped by the signal, hooks run")
                    .isEqualTo(143);
            assertThat(Files.readString(log))
                    .contains("Herald " + version + " on Java "
                            + Runtime.version().feature())
                    .contains("Shutting down: disconnecting clients")
                    .contains("Data in " + home.toRealPath().resolve("data") + " (durability sync")
                    .doesNotContain("ERROR")
                    .doesNotContain("Exception");
        } finally {
            server.destroyForcibly();
        }
        assertThat(home.resolve("data/CURRENT"))
                .as("the state in data/ of the installation")
                .exists();
        Path backup = dir.resolve("backup.jsonl");
        Result export = herald(dir, Map.of(), "export", backup.toString());
        assertThat(export.exit()).as(export.output()).isZero();
        assertThat(export.output()).contains("from " + home.toRealPath().resolve("data"));
        assertThat(Files.readAllLines(backup)).first().asString().contains("\"format\":\"herald-export\"");
    }

    @Test
    void versionPrintsTheVersionWithTheJavaFoundWithoutJavaHome(@TempDir Path dir) throws Exception {
        Result result = herald(dir, Map.of("JAVA_HOME", ""), "version");

        assertThat(result.exit()).as(result.output()).isZero();
        assertThat(result.output().strip()).isEqualTo("herald " + version);
    }

    @Test
    void checkConfigPassesGoodFilesAndReportsEveryProblemWithItsLine(@TempDir Path dir) throws Exception {
        Path good = dir.resolve("good.conf");
        Files.writeString(
                good, "herald.mqtt {\n  port = 1884\n  max-inflight = 128\n}\nherald.admin.enabled = false\n");
        Path bad = dir.resolve("bad.conf");
        Files.writeString(bad, "herald.mqtt {\n  port = \"eighteen\"\n  max-inflightt = 5\n}\n");

        Result shipped = herald(dir, Map.of(), "check-config");
        Result fine = herald(dir, Map.of(), "check-config", good.toString());
        Result problems = herald(dir, Map.of(), "check-config", bad.toString());

        assertThat(shipped.exit()).as(shipped.output()).isZero();
        assertThat(shipped.output()).contains(home.resolve("conf/herald.conf") + ": OK");
        assertThat(fine.exit()).as(fine.output()).isZero();
        assertThat(problems.exit()).as(problems.output()).isEqualTo(1);
        assertThat(problems.output())
                .contains(bad + ":2: herald.mqtt.port: port has type STRING rather than NUMBER")
                .contains(bad + ":3: herald.mqtt.max-inflightt: unknown key")
                .contains(bad + ": 2 problems");
    }

    private record Result(int exit, String output) {}

    private Result herald(Path dir, Map<String, String> env, String... args) throws Exception {
        List<String> command =
                new ArrayList<>(List.of(home.resolve("bin/herald").toString()));
        command.addAll(List.of(args));
        Map<String, String> environment = new TreeMap<>(env);
        environment.putIfAbsent("JAVA_HOME", System.getProperty("java.home"));
        return run(dir, command, environment);
    }

    /** Runs a command to its end (within the deadline); "" in env removes that variable. */
    private static Result run(Path dir, List<String> command, Map<String, String> env) throws Exception {
        Path out = Files.createTempFile(dir, "out", ".txt");
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(out.toFile());
        env.forEach((k, v) -> {
            if (v.isEmpty()) {
                pb.environment().remove(k);
            } else {
                pb.environment().put(k, v);
            }
        });
        Process p = pb.start();
        try {
            assertThat(p.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS))
                    .as("%s ended", command)
                    .isTrue();
            return new Result(p.exitValue(), Files.readString(out));
        } finally {
            p.destroyForcibly();
        }
    }

    private static Optional<Integer> port(Path log) throws IOException {
        Matcher m = LISTENING.matcher(Files.readString(log));
        return m.find() ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
    }

    private static Mqtt5BlockingClient client(String id, int port) {
        Mqtt5BlockingClient client = Mqtt5Client.builder()
                .identifier(id)
                .serverHost("127.0.0.1")
                .serverPort(port)
                .buildBlocking();
        client.connect();
        return client;
    }

    private static Map<String, Object> leaves(Config config) {
        Map<String, Object> out = new TreeMap<>();
        for (Map.Entry<String, ConfigValue> e : config.entrySet()) {
            out.put(e.getKey(), e.getValue().unwrapped());
        }
        return out;
    }
}
