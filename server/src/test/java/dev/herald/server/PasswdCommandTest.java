package dev.herald.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.mqtt.auth.file.PasswordFile;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code herald passwd FILE USER}: with no terminal, the password is the first line of standard input. */
class PasswdCommandTest {

    private static ByteArrayInputStream stdin(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void addsAUserThenChangesItsPassword(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("passwords");

        assertThat(PasswdCommand.run(new String[] {file.toString(), "alice"}, null, stdin("first\n")))
                .isZero();
        assertThat(PasswordFile.load(file).verify("alice", "first".getBytes(StandardCharsets.UTF_8)))
                .isTrue();

        assertThat(PasswdCommand.run(
                        new String[] {file.toString(), "alice", "--iterations", "5000"}, null, stdin("second\n")))
                .isZero();
        PasswordFile changed = PasswordFile.load(file);
        assertThat(changed.verify("alice", "second".getBytes(StandardCharsets.UTF_8)))
                .isTrue();
        assertThat(changed.verify("alice", "first".getBytes(StandardCharsets.UTF_8)))
                .isFalse();
        assertThat(changed.credentials("alice").orElseThrow().iterations()).isEqualTo(5000);
        assertThat(Files.readString(file)).doesNotContain("second").doesNotContain("first");
    }

    @Test
    void badUsageAndBadInputChangeNothing(@TempDir Path dir) {
        Path file = dir.resolve("passwords");
        assertThat(PasswdCommand.run(new String[] {file.toString()}, null, stdin("x\n")))
                .isEqualTo(2);
        assertThat(PasswdCommand.run(new String[] {file.toString(), "a", "--rounds", "9"}, null, stdin("x\n")))
                .isEqualTo(2);
        assertThat(PasswdCommand.run(new String[] {file.toString(), "a", "--iterations", "many"}, null, stdin("x\n")))
                .isEqualTo(2);
        assertThat(PasswdCommand.run(new String[] {file.toString(), "a"}, null, stdin("")))
                .isEqualTo(1);
        assertThat(PasswdCommand.run(new String[] {file.toString(), "a:b"}, null, stdin("x\n")))
                .isEqualTo(1);
        assertThat(PasswdCommand.run(new String[] {file.toString(), "a", "--iterations", "10"}, null, stdin("x\n")))
                .isEqualTo(1);
        assertThat(file).doesNotExist();
    }
}
