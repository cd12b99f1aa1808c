package dev.herald.mqtt.auth.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PasswordFileTest {

    /** RFC 7677 section 3's user "user" with password "pencil", in the RFC 5803 form. */
    private static final String PENCIL_LINE = "user:SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ=="
            + "$WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=:wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU=";

    private static final String KEY = "WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=";

    @TempDir
    Path dir;

    @Test
    @DisplayName("a file with the RFC 7677 verifier, comments and blank lines verifies 'pencil' only")
    void loadAndVerify() throws Exception {
        Path file = write("# users", "", PENCIL_LINE, "   # indented comment");

        PasswordFile passwords = PasswordFile.load(file);

        assertThat(passwords.users()).containsExactly("user");
        assertThat(passwords.verify("user", bytes("pencil"))).isTrue();
        assertThat(passwords.verify("user", bytes("pencil!"))).isFalse();
        assertThat(passwords.verify("user", new byte[0])).isFalse();
        assertThat(passwords.verify("user", null)).isFalse();
        assertThat(passwords.verify("nobody", bytes("pencil"))).isFalse();
        assertThat(passwords.credentials("user").orElseThrow().salt())
                .isEqualTo(Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ=="));
        assertThat(passwords.credentials("user").orElseThrow().iterations()).isEqualTo(4096);
        assertThat(passwords.credentials("nobody")).isEmpty();
    }

    @Test
    @DisplayName("entry writes the RFC 5803 form with a fresh salt that PasswordFile reads back")
    void entryRoundTrip() throws Exception {
        String entry = PasswordFile.entry("alice", "wonderland".toCharArray(), 4096, new SecureRandom());
        String other = PasswordFile.entry("alice", "wonderland".toCharArray(), 4096, new SecureRandom());

        assertThat(entry)
                .matches("alice:SCRAM-SHA-256\\$4096:[A-Za-z0-9+/]{22}==\\$[A-Za-z0-9+/]{43}=:[A-Za-z0-9+/]{43}=");
        assertThat(entry).isNotEqualTo(other);
        PasswordFile passwords = PasswordFile.load(write(entry));
        assertThat(passwords.verify("alice", bytes("wonderland"))).isTrue();
        assertThat(passwords.verify("alice", bytes("Wonderland"))).isFalse();
    }

    @Test
    @DisplayName("a non-ASCII password is hashed as its UTF-8 bytes")
    void utf8Password() throws Exception {
        String entry = PasswordFile.entry("jos\u00e9", "m\u00f6we\uD83D\uDE00".toCharArray(), 4096, new SecureRandom());

        assertThat(PasswordFile.load(write(entry)).verify("jos\u00e9", bytes("m\u00f6we\uD83D\uDE00")))
                .isTrue();
    }

    @Test
    @DisplayName("addOrReplaceUser creates a missing file, owner-only on POSIX")
    void createsFile() throws Exception {
        Path file = dir.resolve("passwords");

        PasswordFile.addOrReplaceUser(file, "alice", "one".toCharArray(), 4096);

        assertThat(PasswordFile.load(file).verify("alice", bytes("one"))).isTrue();
        assertThat(Files.readAllLines(file)).hasSize(1);
        assertThat(dir)
                .isDirectoryNotContaining(path -> path.getFileName().toString().endsWith(".tmp"));
        assumeThat(dir.getFileSystem().supportedFileAttributeViews()).contains("posix");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
    }

    @Test
    @DisplayName("addOrReplaceUser replaces the user's line in place and keeps every other line")
    void replacesUser() throws Exception {
        Path file = write("# header", PENCIL_LINE, "", "# alice below", "alice:placeholder", "# footer");
        PasswordFile.addOrReplaceUser(file, "alice", "one".toCharArray(), 4096);

        PasswordFile.addOrReplaceUser(file, "alice", "two".toCharArray(), 4096);
        PasswordFile.addOrReplaceUser(file, "bob", "three".toCharArray(), 4096);

        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(7);
        assertThat(lines.subList(0, 4)).containsExactly("# header", PENCIL_LINE, "", "# alice below");
        assertThat(lines.get(4)).startsWith("alice:SCRAM-SHA-256$4096:");
        assertThat(lines.get(5)).isEqualTo("# footer");
        assertThat(lines.get(6)).startsWith("bob:SCRAM-SHA-256$4096:");
        PasswordFile passwords = PasswordFile.load(file);
        assertThat(passwords.verify("alice", bytes("one"))).isFalse();
        assertThat(passwords.verify("alice", bytes("two"))).isTrue();
        assertThat(passwords.verify("bob", bytes("three"))).isTrue();
        assertThat(passwords.verify("user", bytes("pencil"))).isTrue();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "no colon here                                     | expected username:SCRAM-SHA-256$",
                ":SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$K:K  | empty username",
                "u:SCRAM-SHA-1$4096:W22ZaJ0SNY7soEsUEjb6gQ==$K:K   | does not start with SCRAM-SHA-256$",
                "u:SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==     | <iterations>:<salt>$<StoredKey>:<ServerKey>",
                "u:SCRAM-SHA-256$4096$K:K                          | <iterations>:<salt>",
                "u:SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$K   | <StoredKey>:<ServerKey>",
                "u:SCRAM-SHA-256$many:W22ZaJ0SNY7soEsUEjb6gQ==$K:K | iteration count is not a positive integer",
                "u:SCRAM-SHA-256$0:W22ZaJ0SNY7soEsUEjb6gQ==$K:K    | iteration count is not a positive integer",
                "u:SCRAM-SHA-256$4096:*salt*$K:K                   | salt is not base64",
                "u:SCRAM-SHA-256$4096:$K:K                         | salt must be non-empty",
                "u:SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$AAAA:K | StoredKey must be 32 bytes",
                "u:SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$K:*   | ServerKey is not base64",
                "user:SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$K:K | appears twice"
            })
    @DisplayName("a bad line names the file, the line and the problem, and never quotes the hash")
    void badLine(String line, String problem) throws Exception {
        Path file = write("# first", PENCIL_LINE, line.replace("K", KEY));

        assertThatThrownBy(() -> PasswordFile.load(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(file + ":3: ")
                .hasMessageContaining(problem)
                .message()
                .doesNotContain(KEY, "W22ZaJ0SNY7soEsUEjb6gQ==");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a:b", "#alice", " alice", "ali\nce"})
    @DisplayName("a username that is empty, holds ':' or would not read back is refused")
    void badUsername(String user) {
        assertThatThrownBy(() -> PasswordFile.entry(user, "pw".toCharArray(), 4096, new SecureRandom()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("username ");
        assertThatThrownBy(() -> PasswordFile.addOrReplaceUser(dir.resolve("p"), user, "pw".toCharArray(), 4096))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(dir.resolve("p")).doesNotExist();
    }

    @Test
    @DisplayName("an empty password and fewer than 4096 iterations are refused")
    void badPasswordOrIterations() {
        assertThatThrownBy(() -> PasswordFile.entry("alice", new char[0], 4096, new SecureRandom()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PasswordFile.entry("alice", "pw".toCharArray(), 4095, new SecureRandom()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("4096");
    }

    private Path write(String... lines) throws Exception {
        Path file = Files.createTempFile(dir, "passwords", ".txt");
        Files.write(file, List.of(lines), StandardCharsets.UTF_8);
        return file;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
