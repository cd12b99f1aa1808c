package dev.herald.mqtt.auth.file;

import dev.herald.mqtt.auth.AuthExchange;
import dev.herald.mqtt.auth.AuthOutcome;
import dev.herald.mqtt.auth.Authenticator;
import dev.herald.mqtt.auth.ClientInfo;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.util.ByteString;

/**
 * Authenticates CONNECT passwords against a {@link PasswordFile} and offers SCRAM-SHA-256 enhanced
 * authentication from the same file; a client without a username is let in only when anonymous
 * access is allowed. PBKDF2 runs on the hashing executor, never on the caller's thread; the passwords
 * it verified are remembered (bounded) for clients that reconnect. Bound to one file: a changed file
 * is a {@link #withPasswordFile new authenticator} with an empty cache.
 */
public final class FileAuthenticator implements Authenticator {

    /** How many verified passwords are remembered. */
    public static final int VERIFIED_CACHE_SIZE = 1024;

    private static final int HASHING_THREADS = 2;
    private static final int HASHING_QUEUE = 1024;

    private final PasswordFile passwords;
    private final boolean allowAnonymous;
    private final Executor hashing;
    private final VerifiedPasswords verified = new VerifiedPasswords(VERIFIED_CACHE_SIZE);

    /**
     * @param passwords the users, or null when there is no password file (every username is refused)
     * @param allowAnonymous whether a client without a username is accepted
     * @param hashing where password hashing runs
     */
    public FileAuthenticator(PasswordFile passwords, boolean allowAnonymous, Executor hashing) {
        this.passwords = passwords;
        this.allowAnonymous = allowAnonymous;
        this.hashing = Objects.requireNonNull(hashing, "hashing");
    }

    /** Hashes on a small pool of daemon threads shared by all authenticators built this way. */
    public FileAuthenticator(PasswordFile passwords, boolean allowAnonymous) {
        this(passwords, allowAnonymous, DefaultHashing.POOL);
    }

    /** The same settings and executor over another password file, with an empty cache. */
    public FileAuthenticator withPasswordFile(PasswordFile newPasswords) {
        return new FileAuthenticator(newPasswords, allowAnonymous, hashing);
    }

    @Override
    public CompletionStage<AuthOutcome> authenticate(ClientInfo client, ByteString password) {
        String user = client.username();
        if (user == null) {
            return CompletableFuture.completedFuture(
                    allowAnonymous
                            ? AuthOutcome.accepted(null)
                            : AuthOutcome.refused(AuthOutcome.Reason.NOT_AUTHORIZED, "anonymous clients not allowed"));
        }
        if (passwords == null) {
            return refused("no password file, user " + user);
        }
        if (password == null) {
            return refused("no password, user " + user);
        }
        byte[] bytes = password.toArray();
        byte[] digest = verified.digest(bytes);
        if (verified.contains(user, digest)) {
            Arrays.fill(bytes, (byte) 0);
            return CompletableFuture.completedFuture(AuthOutcome.accepted(user));
        }
        try {
            return CompletableFuture.supplyAsync(() -> verify(user, bytes, digest), hashing);
        } catch (RejectedExecutionException e) {
            Arrays.fill(bytes, (byte) 0);
            return CompletableFuture.failedFuture(e);
        }
    }

    private AuthOutcome verify(String user, byte[] password, byte[] digest) {
        boolean valid = passwords.verify(user, password);
        Arrays.fill(password, (byte) 0);
        if (!valid) {
            return AuthOutcome.refused(AuthOutcome.Reason.BAD_CREDENTIALS, "wrong password or unknown user " + user);
        }
        verified.add(user, digest);
        return AuthOutcome.accepted(user);
    }

    @Override
    public Set<String> methods() {
        return passwords == null ? Set.of() : Set.of(ScramSha256Exchange.METHOD);
    }

    @Override
    public AuthExchange begin(String method, ClientInfo client) {
        if (!methods().contains(method)) {
            throw new IllegalArgumentException("unsupported authentication method " + method);
        }
        return new ScramSha256Exchange(passwords);
    }

    private static CompletionStage<AuthOutcome> refused(String detail) {
        return CompletableFuture.completedFuture(AuthOutcome.refused(AuthOutcome.Reason.BAD_CREDENTIALS, detail));
    }

    /** The default hashing pool, created on first use; a full queue fails the stage. */
    private static final class DefaultHashing {
        static final Executor POOL = pool();

        private static Executor pool() {
            AtomicInteger count = new AtomicInteger();
            ThreadFactory threads = task -> {
                Thread thread = new Thread(task, "herald-password-hashing-" + count.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            };
            return new ThreadPoolExecutor(
                    HASHING_THREADS,
                    HASHING_THREADS,
                    0,
                    TimeUnit.MILLISECONDS,
                    new ArrayBlockingQueue<>(HASHING_QUEUE),
                    threads);
        }
    }
}
