package dev.herald.mqtt.auth.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.mqtt.auth.ClientInfo;
import dev.herald.mqtt.auth.Permissions;
import dev.herald.mqtt.message.MqttVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AclFileTest {

    private static final List<String> ACL = List.of(
            "# anonymous clients",
            "topic read public/#",
            "topic write anonymous/inbox",
            "",
            "user alice",
            "topic readwrite alice/#",
            "topic deny alice/secret",
            "topic sensors/+/temperature",
            "topic read $SYS/broker/clients/+",
            "",
            "user bob",
            "  topic read #",
            "topic deny private/#",
            "",
            "pattern write clients/%c/status",
            "pattern read users/%u/#",
            "pattern readwrite devices/%u/%c/#",
            "",
            "user alice",
            "topic read extra/#");

    private final AclFile acl = AclFile.parse("acl", ACL);

    @ParameterizedTest(name = "user {0}, client {1}: {2} {3} -> {4}")
    @CsvSource(
            nullValues = "-",
            value = {
                // anonymous section and patterns without %u
                "-,     anon,  sub, public/#,                      true",
                "-,     anon,  sub, public/news,                   true",
                "-,     anon,  pub, public/news,                   false",
                "-,     anon,  pub, anonymous/inbox,               true",
                "-,     anon,  sub, anonymous/inbox,               false",
                "-,     anon,  pub, clients/anon/status,           true",
                "-,     anon,  sub, users/anon/#,                  false",
                "-,     anon,  sub, alice/data,                    false",
                // alice's sections, with deny
                "alice, c1,    pub, alice/data,                    true",
                "alice, c1,    sub, alice/data,                    true",
                "alice, c1,    sub, alice/+,                       false",
                "alice, c1,    sub, alice/#,                       false",
                "alice, c1,    pub, alice/secret,                  false",
                "alice, c1,    sub, alice/secret,                  false",
                "alice, c1,    pub, sensors/kitchen/temperature,   true",
                "alice, c1,    sub, sensors/+/temperature,         true",
                "alice, c1,    sub, sensors/#,                     false",
                "alice, c1,    sub, extra/a/b,                     true",
                "alice, c1,    pub, extra/a/b,                     false",
                "alice, c1,    pub, public/news,                   false",
                "alice, c1,    sub, $SYS/broker/clients/connected, true",
                "alice, c1,    sub, $SYS/#,                        false",
                // patterns with %u and %c
                "alice, c1,    sub, users/alice/#,                 true",
                "alice, c1,    sub, users/alice/inbox,             true",
                "alice, c1,    pub, users/alice/inbox,             false",
                "alice, c1,    sub, users/bob/#,                   false",
                "alice, c1,    pub, clients/c1/status,             true",
                "alice, c1,    pub, clients/c2/status,             false",
                "alice, c1,    pub, devices/alice/c1/temp,         true",
                "alice, c1,    sub, devices/alice/c1/#,            true",
                "alice, c1,    pub, devices/alice/c2/temp,         false",
                // bob reads everything but private/# and $SYS
                "bob,   c3,    sub, a/b,                           true",
                "bob,   c3,    sub, a/+,                           true",
                "bob,   c3,    sub, +/b,                           false",
                "bob,   c3,    sub, #,                             false",
                "bob,   c3,    sub, private/x,                     false",
                "bob,   c3,    sub, $SYS/broker/uptime,            false",
                "bob,   c3,    pub, a/b,                           false",
                // a user without a section gets the patterns only
                "carol, c4,    sub, users/carol/x,                 true",
                "carol, c4,    pub, clients/c4/status,             true",
                "carol, c4,    sub, public/news,                   false",
                // values that cannot stand in a level skip the pattern
                "eve/x, c5,    sub, users/eve/x/y,                 false",
                "eve,   c/5,   pub, clients/c/5/status,            false",
                "'',    c6,    sub, users//x,                      false",
                "%c,    c7,    sub, users/%c/x,                    true",
                "%c,    c7,    sub, users/c7/x,                    false"
            })
    @DisplayName("the rules of Mosquitto's ACL format")
    void rules(String username, String clientId, String action, String topic, boolean allowed) {
        Permissions permissions = acl.permissionsFor(new ClientInfo(clientId, username, null, MqttVersion.V5));

        boolean actual = action.equals("pub") ? permissions.mayPublish(topic) : permissions.maySubscribe(topic);

        assertThat(actual).isEqualTo(allowed);
    }

    @Test
    @DisplayName("load reads a file; access defaults to readwrite; a deny wins over a grant")
    void load(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("acl");
        Files.write(file, List.of("topic a/b", "topic deny a/b", "topic c/#"));

        Permissions permissions = AclFile.load(file).permissionsFor(new ClientInfo("c", null, null, MqttVersion.V5));

        assertThat(permissions.mayPublish("c/d")).isTrue();
        assertThat(permissions.maySubscribe("c/d")).isTrue();
        assertThat(permissions.mayPublish("a/b")).isFalse();
        assertThat(permissions.maySubscribe("a/b")).isFalse();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "topic              | missing topic filter",
                "topic read         | missing topic filter after read",
                "pattern deny       | missing topic filter after deny",
                "topic a/#/b        | invalid topic filter 'a/#/b'",
                "pattern write a+/b | invalid topic filter 'a+/b'",
                "user               | user needs a name",
                "group admins       | unknown keyword 'group'"
            })
    @DisplayName("a bad line names the file, the line and the problem")
    void badLine(String line, String problem, @TempDir Path dir) throws Exception {
        Path file = dir.resolve("acl");
        Files.write(file, List.of("# first", "user alice", line));

        assertThatThrownBy(() -> AclFile.load(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(file + ":3: " + problem);
    }
}
