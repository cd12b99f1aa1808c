package dev.herald.mqtt.broker.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import dev.herald.mqtt.auth.AuthOutcome;
import dev.herald.mqtt.auth.ClientInfo;
import dev.herald.mqtt.auth.Permissions;
import dev.herald.mqtt.auth.file.PasswordFile;
import dev.herald.mqtt.broker.AccessControl;
import dev.herald.mqtt.broker.BrokerSettings;
import dev.herald.mqtt.message.MqttVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The password and ACL files are asked as last loaded; a change that cannot be loaded changes nothing. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthFilesTest {

    private static final ClientInfo ALICE = new ClientInfo("c1", "alice", null, MqttVersion.V5);
    private static final ClientInfo BOB = new ClientInfo("c2", "bob", null, MqttVersion.V5);

    private static BrokerSettings settings(Path dir, String reloadInterval) {
        return BrokerSettings.from(ConfigFactory.parseString("herald.mqtt.auth { password-file = \""
                        + dir.resolve("passwords") + "\", acl-file = \"" + dir.resolve("acl")
                        + "\", reload-interval = " + reloadInterval + " }")
                .withFallback(ConfigFactory.load()));
    }

    private static AuthOutcome authenticate(AccessControl access, ClientInfo client, String password) throws Exception {
        return access.authenticator()
                .authenticate(client, ByteString.fromString(password))
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }

    /** Two checks: a change is loaded once it was the same at two in a row. */
    private static void reload(AuthFiles files) {
        files.reloadIfChanged();
        files.reloadIfChanged();
    }

    /** Files of one user, alice (password secret), who may use a/#. */
    private static AuthFiles aliceWithTopicsA(Path dir) throws IOException {
        PasswordFile.addOrReplaceUser(dir.resolve("passwords"), "alice", "secret".toCharArray(), 4096);
        Files.writeString(dir.resolve("acl"), "user alice\ntopic readwrite a/#\n");
        return new AuthFiles(settings(dir, "10s"));
    }

    @Test
    void changedFilesReachTheNextAuthenticationAndPermissions(@TempDir Path dir) throws Exception {
        AuthFiles files = aliceWithTopicsA(dir);
        AccessControl access = files.accessControl();
        Permissions before = access.authorizer().permissionsFor(ALICE);
        assertThat(before.mayPublish("a/1")).isTrue();
        assertThat(authenticate(access, BOB, "hunter2")).isInstanceOf(AuthOutcome.Refused.class);

        PasswordFile.addOrReplaceUser(dir.resolve("passwords"), "bob", "hunter2".toCharArray(), 4096);
        PasswordFile.addOrReplaceUser(dir.resolve("passwords"), "alice", "changed".toCharArray(), 4096);
        Files.writeString(dir.resolve("acl"), "user alice\ntopic readwrite b/#\n");
        reload(files);

        assertThat(authenticate(access, BOB, "hunter2")).isEqualTo(AuthOutcome.accepted("bob"));
        assertThat(authenticate(access, ALICE, "secret")).isInstanceOf(AuthOutcome.Refused.class);
        assertThat(authenticate(access, ALICE, "changed")).isEqualTo(AuthOutcome.accepted("alice"));
        Permissions after = access.authorizer().permissionsFor(ALICE);
        assertThat(after.mayPublish("b/1")).isTrue();
        assertThat(after.mayPublish("a/1")).isFalse();
        assertThat(before.mayPublish("a/1"))
                .as("permissions given before the change follow it")
                .isFalse();
        assertThat(before.maySubscribe("b/#")).isTrue();
    }

    @Test
    void aBrokenOrMissingFileKeepsWhatWasLoaded(@TempDir Path dir) throws Exception {
        AuthFiles files = aliceWithTopicsA(dir);
        AccessControl access = files.accessControl();

        Files.writeString(dir.resolve("acl"), "user alice\ntopics readwrite b/#\n");
        reload(files);
        assertThat(access.authorizer().permissionsFor(ALICE).mayPublish("a/1")).isTrue();
        assertThat(access.authorizer().permissionsFor(ALICE).mayPublish("b/1")).isFalse();

        Files.writeString(dir.resolve("acl"), "user alice\ntopic readwrite c/#\n");
        reload(files);
        assertThat(access.authorizer().permissionsFor(ALICE).mayPublish("c/1")).isTrue();

        Files.delete(dir.resolve("passwords"));
        reload(files);
        assertThat(authenticate(access, ALICE, "secret")).isEqualTo(AuthOutcome.accepted("alice"));
        assertThat(access.authorizer().permissionsFor(ALICE).mayPublish("c/1")).isTrue();
    }

    @Test
    void aNegativeReloadIntervalIsRefused(@TempDir Path dir) {
        assertThatThrownBy(() -> settings(dir, "-1s"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("herald.mqtt.auth.reload-interval");
    }
}
