package dev.herald.mqtt.auth.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.mqtt.auth.AuthExchange;
import dev.herald.mqtt.auth.AuthOutcome;
import dev.herald.mqtt.auth.ClientInfo;
import dev.herald.mqtt.message.MqttVersion;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FileAuthenticatorTest {

    private static final ClientInfo ANONYMOUS = new ClientInfo("anon", null, null, MqttVersion.V5);
    private static final ClientInfo ALICE = new ClientInfo("c1", "alice", null, MqttVersion.V5);
    private static final ClientInfo NOBODY = new ClientInfo("c2", "nobody", null, MqttVersion.V3_1_1);
    private static final ByteString SECRET = ByteString.fromString("secret");

    private PasswordFile passwords;
    private PasswordFile changedPasswords;
    private ManualExecutor hashing;

    @BeforeAll
    void writePasswords(@TempDir Path dir) {
        Path file = dir.resolve("passwords");
        PasswordFile.addOrReplaceUser(file, "alice", "secret".toCharArray(), PasswordFile.DEFAULT_ITERATIONS);
        passwords = PasswordFile.load(file);
        PasswordFile.addOrReplaceUser(file, "alice", "changed".toCharArray(), PasswordFile.DEFAULT_ITERATIONS);
        changedPasswords = PasswordFile.load(file);
    }

    @BeforeEach
    void newExecutor() {
        hashing = new ManualExecutor();
    }

    @Test
    @DisplayName("a client without a username is accepted only when anonymous access is allowed")
    void anonymous() {
        assertThat(done(new FileAuthenticator(passwords, true, hashing).authenticate(ANONYMOUS, null)))
                .isEqualTo(new AuthOutcome.Accepted(null));
        assertThat(done(new FileAuthenticator(null, true, hashing).authenticate(ANONYMOUS, SECRET)))
                .isEqualTo(new AuthOutcome.Accepted(null));
        assertRefused(
                done(new FileAuthenticator(passwords, false, hashing).authenticate(ANONYMOUS, null)),
                AuthOutcome.Reason.NOT_AUTHORIZED);
    }

    @Test
    @DisplayName("the right password is accepted after hashing on the executor, not the caller's thread")
    void rightPassword() {
        CompletableFuture<AuthOutcome> outcome = new FileAuthenticator(passwords, false, hashing)
                .authenticate(ALICE, SECRET)
                .toCompletableFuture();

        assertThat(outcome).isNotDone();
        hashing.runAll();
        assertThat(outcome).isCompletedWithValue(new AuthOutcome.Accepted("alice"));
    }

    @Test
    @DisplayName("a wrong password and an unknown user are both refused as bad credentials")
    void wrongPasswordOrUser() {
        FileAuthenticator authenticator = new FileAuthenticator(passwords, true, hashing);
        CompletableFuture<AuthOutcome> wrong = authenticator
                .authenticate(ALICE, ByteString.fromString("Secret"))
                .toCompletableFuture();
        CompletableFuture<AuthOutcome> unknown =
                authenticator.authenticate(NOBODY, SECRET).toCompletableFuture();

        assertThat(hashing.runAll()).isEqualTo(2);
        assertRefused(wrong.join(), AuthOutcome.Reason.BAD_CREDENTIALS);
        assertRefused(unknown.join(), AuthOutcome.Reason.BAD_CREDENTIALS);
    }

    @Test
    @DisplayName("a username without a password, or without a password file, is refused at once")
    void missingPasswordOrFile() {
        assertRefused(
                done(new FileAuthenticator(passwords, true, hashing).authenticate(ALICE, null)),
                AuthOutcome.Reason.BAD_CREDENTIALS);
        assertRefused(
                done(new FileAuthenticator(null, true, hashing).authenticate(ALICE, SECRET)),
                AuthOutcome.Reason.BAD_CREDENTIALS);
        assertThat(hashing.runAll()).isZero();
    }

    @Test
    @DisplayName("a verified password is remembered; a wrong one is not; a new file starts a fresh cache")
    void cache() {
        FileAuthenticator authenticator = new FileAuthenticator(passwords, false, hashing);
        authenticator.authenticate(ALICE, SECRET);
        hashing.runAll();

        assertThat(done(authenticator.authenticate(ALICE, SECRET))).isEqualTo(new AuthOutcome.Accepted("alice"));
        CompletableFuture<AuthOutcome> wrong = authenticator
                .authenticate(ALICE, ByteString.fromString("other"))
                .toCompletableFuture();
        assertThat(wrong).isNotDone();
        hashing.runAll();
        assertRefused(wrong.join(), AuthOutcome.Reason.BAD_CREDENTIALS);

        FileAuthenticator reloaded = authenticator.withPasswordFile(changedPasswords);
        CompletableFuture<AuthOutcome> old =
                reloaded.authenticate(ALICE, SECRET).toCompletableFuture();
        assertThat(old).isNotDone();
        hashing.runAll();
        assertRefused(old.join(), AuthOutcome.Reason.BAD_CREDENTIALS);
    }

    @Test
    @DisplayName("the default pool verifies passwords (that it is not the caller's thread is shown above)")
    void defaultPool() {
        CompletableFuture<AuthOutcome> outcome = new FileAuthenticator(passwords, false)
                .authenticate(ALICE, SECRET)
                .toCompletableFuture();

        assertThat(outcome).succeedsWithin(Duration.ofSeconds(10)).asString().startsWith("Accepted[username=alice");
    }

    @Test
    @DisplayName("SCRAM-SHA-256 is offered with a password file, and runs against it")
    void scram() {
        FileAuthenticator authenticator = new FileAuthenticator(passwords, false, hashing);
        assertThat(authenticator.methods()).containsExactly("SCRAM-SHA-256");
        assertThat(new FileAuthenticator(null, true, hashing).methods()).isEmpty();

        AuthExchange exchange = authenticator.begin("SCRAM-SHA-256", ALICE);
        ScramClient client = new ScramClient("alice", "secret", "client-nonce");
        AuthOutcome challenge = done(exchange.step(client.first()));
        ByteString serverFirst = ((AuthOutcome.Challenge) challenge).serverData();

        assertThat(done(exchange.step(client.last(serverFirst))))
                .isEqualTo(new AuthOutcome.Accepted("alice", client.expectedServerFinal()));
        assertThat(hashing.runAll()).isZero();
    }

    @Test
    @DisplayName("begin refuses a method it does not offer")
    void unknownMethod() {
        assertThatThrownBy(() -> new FileAuthenticator(passwords, false, hashing).begin("PLAIN", ALICE))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FileAuthenticator(null, false, hashing).begin("SCRAM-SHA-256", ALICE))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static AuthOutcome done(CompletionStage<AuthOutcome> stage) {
        CompletableFuture<AuthOutcome> future = stage.toCompletableFuture();
        assertThat(future).isDone();
        return future.join();
    }

    private static void assertRefused(AuthOutcome outcome, AuthOutcome.Reason reason) {
        assertThat(outcome).isInstanceOfSatisfying(AuthOutcome.Refused.class, refused -> assertThat(refused.reason())
                .isEqualTo(reason));
    }

    /** Runs tasks only when the test says so, on the test's thread. */
    private static final class ManualExecutor implements Executor {
        private final Queue<Runnable> tasks = new ArrayDeque<>();

        @Override
        public void execute(Runnable task) {
            tasks.add(task);
        }

        int runAll() {
            int count = 0;
            for (Runnable task = tasks.poll(); task != null; task = tasks.poll()) {
                task.run();
                count++;
            }
            return count;
        }
    }
}
