package dev.herald.mqtt.broker;

import dev.herald.mqtt.auth.AuthOutcome;
import dev.herald.mqtt.auth.Authenticator;
import dev.herald.mqtt.auth.Authorizer;
import dev.herald.mqtt.auth.file.AclFile;
import dev.herald.mqtt.auth.file.FileAuthenticator;
import dev.herald.mqtt.auth.file.PasswordFile;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/** Who may connect and what each client may do: the broker's authenticator and authorizer. */
public record AccessControl(Authenticator authenticator, Authorizer authorizer) {

    public AccessControl {
        Objects.requireNonNull(authenticator, "authenticator");
        Objects.requireNonNull(authorizer, "authorizer");
    }

    /**
     * The access control the {@code herald.mqtt.auth} settings describe: the password file and the ACL
     * file when they are set. A file that cannot be read or parsed is an IllegalArgumentException
     * naming it, so a broker never starts with less protection than configured.
     */
    public static AccessControl fromSettings(BrokerSettings settings) {
        Authenticator authenticator;
        if (!settings.passwordFile().isEmpty()) {
            authenticator = new FileAuthenticator(
                    load("password-file", settings.passwordFile(), PasswordFile::load), settings.allowAnonymous());
        } else if (settings.allowAnonymous()) {
            authenticator = Authenticator.allowAnonymous();
        } else {
            authenticator = (client, password) -> CompletableFuture.completedFuture(AuthOutcome.refused(
                    AuthOutcome.Reason.NOT_AUTHORIZED, "anonymous access is off and there is no password file"));
        }
        Authorizer authorizer = settings.aclFile().isEmpty()
                ? Authorizer.allowAll()
                : load("acl-file", settings.aclFile(), AclFile::load);
        return new AccessControl(authenticator, authorizer);
    }

    private static <T> T load(String key, String file, Function<Path, T> loader) {
        try {
            return loader.apply(Path.of(file));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("herald.mqtt.auth." + key + ": " + e.getMessage(), e);
        }
    }
}
