package dev.herald.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import dev.herald.cluster.ClusterSettings;
import dev.herald.mqtt.store.PersistenceSettings;
import dev.herald.server.admin.AdminSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandLineTest {

    @Test
    void optionsOverrideTheConfigFileWhichOverridesTheDefaults(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("herald.conf");
        Files.writeString(file, "herald.mqtt { port = 1999, bind = \"0.0.0.0\", max-inflight = 7 }");

        Config config = HeraldServer.config(CommandLine.parse("--config", file.toString(), "--port", "0"));

        assertThat(config.getInt("herald.mqtt.port")).isZero();
        assertThat(config.getString("herald.mqtt.bind")).isEqualTo("0.0.0.0");
        assertThat(config.getInt("herald.mqtt.max-inflight")).isEqualTo(7);
        assertThat(config.getInt("herald.mqtt.max-queued-messages")).isEqualTo(1000);
    }

    @Test
    void dispatchersRunOneThreadPerTwoCoresAndReadSocketsUnlessTheConfigFileSaysOtherwise(@TempDir Path dir)
            throws Exception {
        String pool = "pekko.actor.default-dispatcher.fork-join-executor.";
        String internalPool = "pekko.actor.internal-dispatcher.fork-join-executor.";
        Path file = dir.resolve("herald.conf");
        Files.writeString(file, pool + "parallelism-min = 8");

        Config server = HeraldServer.config(CommandLine.parse());
        Config overridden = HeraldServer.config(CommandLine.parse("--config", file.toString()));

        for (String path : List.of(pool, internalPool)) {
            assertThat(server.getInt(path + "parallelism-min")).isEqualTo(1);
            assertThat(server.getDouble(path + "parallelism-factor")).isEqualTo(0.5);
        }
        assertThat(server.getString("pekko.io.tcp.worker-dispatcher")).isEqualTo("pekko.actor.default-dispatcher");
        assertThat(server.getInt("pekko.actor.default-dispatcher.throughput")).isEqualTo(32);
        assertThat(overridden.getInt(pool + "parallelism-min")).isEqualTo(8);
        assertThat(overridden.getDouble(pool + "parallelism-factor")).isEqualTo(0.5);
    }

    @Test
    void theDefaultListensOnLocalhostPort1883() {
        Config config = HeraldServer.config(CommandLine.parse());

        assertThat(config.getString("herald.mqtt.bind")).isEqualTo("127.0.0.1");
        assertThat(config.getInt("herald.mqtt.port")).isEqualTo(1883);
    }

    @Test
    void adminHttpIsOnByDefaultOnLocalhostPort8081() {
        AdminSettings admin = AdminSettings.from(HeraldServer.config(CommandLine.parse()));

        assertThat(admin.enabled()).isTrue();
        assertThat(admin.bind()).isEqualTo("127.0.0.1");
        assertThat(admin.port()).isEqualTo(8081);
    }

    @Test
    void adminPortOptionSetsThePortAndTurnsAdminHttpOn(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("herald.conf");
        Files.writeString(file, "herald.admin { enabled = false, port = 9000 }");

        AdminSettings fromFile =
                AdminSettings.from(HeraldServer.config(CommandLine.parse("--config", file.toString())));
        AdminSettings withOption = AdminSettings.from(
                HeraldServer.config(CommandLine.parse("--config", file.toString(), "--admin-port", "0")));

        assertThat(fromFile.enabled()).isFalse();
        assertThat(fromFile.port()).isEqualTo(9000);
        assertThat(withOption.enabled()).isTrue();
        assertThat(withOption.port()).isZero();
        assertThat(CommandLine.USAGE).contains("--admin-port N");
    }

    @Test
    void theHeraldCommandKeepsItsStateInDataOfTheInstallationOrOfTheWorkingDirectory(@TempDir Path home) {
        PersistenceSettings inHome = PersistenceSettings.from(
                HeraldServer.withDefaults(HeraldServer.settings(CommandLine.parse()), Optional.of(home)));
        PersistenceSettings here = PersistenceSettings.from(
                HeraldServer.withDefaults(HeraldServer.settings(CommandLine.parse()), Optional.empty()));

        assertThat(inHome.enabled()).isTrue();
        assertThat(inHome.directory()).isEqualTo(home.resolve("data"));
        assertThat(inHome.durability()).isEqualTo(PersistenceSettings.Durability.SYNC);
        assertThat(here.enabled()).isTrue();
        assertThat(here.directory()).isEqualTo(Path.of("data"));
    }

    @Test
    void aDirectoryInTheConfigFileWinsOverTheInstallationsAndDataOverBoth(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("herald.conf");
        Files.writeString(file, "herald.mqtt.persistence { directory = \"/srv/herald\", durability = batched }");
        Optional<Path> home = Optional.of(dir.resolve("home"));

        PersistenceSettings fromFile = PersistenceSettings.from(
                HeraldServer.withDefaults(HeraldServer.settings(CommandLine.parse("--config", file.toString())), home));
        PersistenceSettings fromOption = PersistenceSettings.from(HeraldServer.withDefaults(
                HeraldServer.settings(CommandLine.parse("--config", file.toString(), "--data", "state")), home));

        assertThat(fromFile.directory()).isEqualTo(Path.of("/srv/herald"));
        assertThat(fromFile.durability()).isEqualTo(PersistenceSettings.Durability.BATCHED);
        assertThat(fromOption.directory()).isEqualTo(Path.of("state").toAbsolutePath());
        assertThat(fromOption.enabled()).isTrue();
    }

    @Test
    void inMemoryTurnsPersistenceOffWhateverTheConfigFileSays(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("herald.conf");
        Files.writeString(file, "herald.mqtt.persistence.enabled = true");

        Config config = HeraldServer.config(CommandLine.parse("--config", file.toString(), "--in-memory"));

        assertThat(PersistenceSettings.from(config).enabled()).isFalse();
        assertThat(CommandLine.USAGE).contains("--data DIR", "--in-memory", "herald export", "herald import");
    }

    @Test
    void dataAndInMemoryExcludeEachOther() {
        assertThatThrownBy(() -> CommandLine.parse("--data", "d", "--in-memory"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--data")
                .hasMessageContaining("--in-memory");
        assertThatThrownBy(() -> CommandLine.parse("--in-memory", "--data", "d"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CommandLine.parse("--data")).hasMessageContaining("--data needs a value");
    }

    @Test
    void badOptionsAreNamed() {
        assertThatThrownBy(() -> CommandLine.parse("--port", "70000")).hasMessageContaining("--port takes a number");
        assertThatThrownBy(() -> CommandLine.parse("--port")).hasMessageContaining("--port needs a value");
        assertThatThrownBy(() -> CommandLine.parse("--admin-port", "-1"))
                .hasMessageContaining("--admin-port takes a number");
        assertThatThrownBy(() -> CommandLine.parse("--admin-port")).hasMessageContaining("--admin-port needs a value");
        assertThatThrownBy(() -> CommandLine.parse("--nope")).hasMessageContaining("unknown option: --nope");
        assertThatThrownBy(() -> CommandLine.parse("--config", "/no/such/file.conf"))
                .hasMessageContaining("config file not found");
    }

    @Test
    void clusterOptionsMakeANodeWithItsPortHostAndSeeds() {
        Config config = HeraldServer.config(CommandLine.parse(
                "--port",
                "1884",
                "--admin-port",
                "8082",
                "--cluster-port",
                "2552",
                "--seed",
                "127.0.0.1:2551",
                "--seed",
                "127.0.0.1:2552, 127.0.0.1:2553"));

        ClusterSettings cluster = ClusterSettings.from(config);
        assertThat(cluster.enabled()).isTrue();
        assertThat(cluster.hostname()).isEqualTo("127.0.0.1");
        assertThat(cluster.port()).isEqualTo(2552);
        assertThat(cluster.seedNodes()).containsExactly("127.0.0.1:2551", "127.0.0.1:2552", "127.0.0.1:2553");
        assertThat(config.getString("pekko.actor.provider")).isEqualTo("cluster");
        assertThat(config.getInt("pekko.remote.artery.canonical.port")).isEqualTo(2552);
        assertThat(config.getStringList("pekko.cluster.seed-nodes"))
                .containsExactly(
                        "pekko://herald@127.0.0.1:2551",
                        "pekko://herald@127.0.0.1:2552",
                        "pekko://herald@127.0.0.1:2553");
        assertThat(config.getString("pekko.cluster.split-brain-resolver.active-strategy"))
                .isEqualTo("keep-majority");
        assertThat(config.getInt("herald.mqtt.port")).isEqualTo(1884);
        assertThat(AdminSettings.from(config).port()).isEqualTo(8082);
        assertThat(CommandLine.USAGE).contains("--cluster-port N", "--cluster-host HOST", "--seed HOST:PORT");
    }

    @Test
    void aClusterHostAloneTurnsClusteringOnAndWithoutOptionsTheServerIsNotClustered() {
        Config node = HeraldServer.config(CommandLine.parse("--cluster-host", "10.0.0.5"));
        Config single = HeraldServer.config(CommandLine.parse());

        assertThat(ClusterSettings.from(node).enabled()).isTrue();
        assertThat(node.getString("pekko.remote.artery.canonical.hostname")).isEqualTo("10.0.0.5");
        assertThat(ClusterSettings.from(single).enabled()).isFalse();
        assertThat(single.getString("pekko.actor.provider")).isEqualTo("local");
    }

    @Test
    void aClusterNodeTurnsTheServersDefaultPersistenceOff(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("herald.conf");
        Files.writeString(file, "herald.cluster { enabled = on, port = 2551, seed-nodes = [\"127.0.0.1:2551\"] }");

        Config fromFile = HeraldServer.config(CommandLine.parse("--config", file.toString()));
        Config fromOptions = HeraldServer.config(CommandLine.parse("--seed", "127.0.0.1:2551"));
        Config inMemory = HeraldServer.config(CommandLine.parse("--seed", "127.0.0.1:2551", "--in-memory"));

        assertThat(ClusterSettings.from(fromFile).enabled()).isTrue();
        assertThat(PersistenceSettings.from(fromFile).enabled()).isFalse();
        assertThat(PersistenceSettings.from(fromOptions).enabled()).isFalse();
        assertThat(PersistenceSettings.from(inMemory).enabled()).isFalse();
    }

    @Test
    void persistenceAskedForOnAClusterNodeIsRefused(@TempDir Path dir) throws Exception {
        Path persistent = dir.resolve("persistent.conf");
        Files.writeString(persistent, "herald.mqtt.persistence.enabled = on");
        Path clustered = dir.resolve("clustered.conf");
        Files.writeString(clustered, "herald.cluster.enabled = on\nherald.mqtt.persistence.enabled = on");

        assertThatThrownBy(() -> HeraldServer.config(CommandLine.parse("--seed", "127.0.0.1:2551", "--data", "d")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a cluster node keeps its state in memory for now")
                .hasMessageContaining("--data");
        assertThatThrownBy(() -> HeraldServer.config(
                        CommandLine.parse("--config", persistent.toString(), "--cluster-port", "2551")))
                .hasMessageContaining("a cluster node keeps its state in memory for now")
                .hasMessageContaining("herald.mqtt.persistence.enabled = on in " + persistent);
        assertThatThrownBy(() -> HeraldServer.config(CommandLine.parse("--config", clustered.toString())))
                .hasMessageContaining("herald.mqtt.persistence.enabled = on in " + clustered);
        // --in-memory wins over the file, as it does without a cluster
        assertThat(PersistenceSettings.from(
                                HeraldServer.config(CommandLine.parse("--config", clustered.toString(), "--in-memory")))
                        .enabled())
                .isFalse();
    }

    @Test
    void badClusterOptionsAreNamed() {
        assertThatThrownBy(() -> CommandLine.parse("--cluster-port", "65536"))
                .hasMessageContaining("--cluster-port takes a number");
        assertThatThrownBy(() -> CommandLine.parse("--seed", "127.0.0.1"))
                .hasMessageContaining("--seed takes host:port");
        assertThatThrownBy(() -> CommandLine.parse("--seed", "127.0.0.1:2551,")).hasMessageContaining("not ''");
        assertThatThrownBy(() -> CommandLine.parse("--seed", "127.0.0.1:70000"))
                .hasMessageContaining("'127.0.0.1:70000': the port must be from 1 to 65535");
        assertThatThrownBy(() -> CommandLine.parse("--seed", "h:0")).hasMessageContaining("from 1 to 65535");
        assertThatThrownBy(() -> CommandLine.parse("--seed")).hasMessageContaining("--seed needs a value");
        assertThatThrownBy(() -> CommandLine.parse("--cluster-host"))
                .hasMessageContaining("--cluster-host needs a value");
        assertThat(CommandLine.parse("--seed", "a:1", "--seed", "b:2,c:3").seeds())
                .isEqualTo(List.of("a:1", "b:2", "c:3"));
    }

    @Test
    void usageNamesTheSubcommands() {
        assertThat(CommandLine.USAGE)
                .contains("herald passwd FILE USER")
                .contains("herald check-config FILE")
                .contains("herald version");
    }
}
