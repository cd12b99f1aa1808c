package dev.herald.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import dev.herald.mqtt.store.PersistenceSettings;
import dev.herald.server.admin.AdminSettings;
import java.nio.file.Files;
import java.nio.file.Path;
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
    void usageNamesTheSubcommands() {
        assertThat(CommandLine.USAGE)
                .contains("herald passwd FILE USER")
                .contains("herald check-config FILE")
                .contains("herald version");
    }
}
