package dev.herald.mqtt.broker.internal;

import dev.herald.mqtt.auth.AuthExchange;
import dev.herald.mqtt.auth.AuthOutcome;
import dev.herald.mqtt.auth.Authenticator;
import dev.herald.mqtt.auth.Authorizer;
import dev.herald.mqtt.auth.ClientInfo;
import dev.herald.mqtt.auth.Permissions;
import dev.herald.mqtt.broker.AccessControl;
import dev.herald.mqtt.broker.BrokerSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access control of the {@code herald.mqtt.auth} password and ACL files, loaded again when the
 * files change. Every CONNECT, re-authentication, PUBLISH and SUBSCRIBE asks the files loaded last,
 * open connections included, and {@link #onReload} listeners hear of each load (the broker then takes
 * back the subscriptions the new ACL no longer allows). A change that cannot be loaded (a syntax
 * error, a missing file) is logged and the files loaded before it stay in force, so a broker never
 * runs with less protection than a file gave.
 */
public final class AuthFiles {

    private static final Logger log = LoggerFactory.getLogger(AuthFiles.class);

    private final BrokerSettings settings;
    // Only the reload task uses it after construction.
    private final WatchedFiles files;
    private volatile AccessControl loaded;
    private final List<Runnable> onReload = new CopyOnWriteArrayList<>();

    /** Loads the files; one that cannot be read or parsed is an IllegalArgumentException naming it. */
    public AuthFiles(BrokerSettings settings) {
        this.settings = settings;
        this.files = new WatchedFiles(Stream.of(settings.passwordFile(), settings.aclFile())
                .filter(file -> !file.isEmpty())
                .map(Path::of)
                .toList());
        this.loaded = AccessControl.fromSettings(settings);
    }

    /** What the broker asks: the files loaded last, or the settings' fixed answer when there are no files. */
    public AccessControl accessControl() {
        if (files.files().isEmpty()) {
            return loaded;
        }
        Authorizer authorizer = settings.aclFile().isEmpty() ? loaded.authorizer() : FollowingPermissions::new;
        return new AccessControl(new LatestAuthenticator(), authorizer);
    }

    /** Runs {@code listener} after each reload, on the reload task's thread. */
    public void onReload(Runnable listener) {
        onReload.add(listener);
    }

    /** With files and a positive {@code reload-interval}, checks them on the system's blocking dispatcher. */
    public void watch(ActorSystem<?> system) {
        Duration interval = settings.authReloadInterval();
        if (files.files().isEmpty() || interval.isZero()) {
            return;
        }
        system.scheduler()
                .scheduleWithFixedDelay(
                        interval,
                        interval,
                        this::reloadIfChanged,
                        system.dispatchers().lookup(DispatcherSelector.blocking()));
    }

    void reloadIfChanged() {
        try {
            if (!files.changed()) {
                return;
            }
            loaded = AccessControl.fromSettings(settings);
            log.info("Access control reloaded from {}", files);
        } catch (RuntimeException e) {
            // Caught whatever it is: an exception would end the scheduled checks.
            log.warn(
                    "Access control files {} changed but cannot be loaded, keeping the previous ones: {}",
                    files,
                    e.getMessage());
            return;
        }
        for (Runnable listener : onReload) {
            try {
                listener.run();
            } catch (RuntimeException e) {
                log.warn("A listener of the access control reload failed", e);
            }
        }
    }

    /** A connection's permissions, asked again of the files loaded last when they have changed. */
    private final class FollowingPermissions implements Permissions {

        /** Permissions and the authorizer they were asked of (not the password file: nothing kept for it). */
        private record Given(Authorizer authorizer, Permissions permissions) {}

        private final ClientInfo client;
        // Used by the connection's actor only; Given is immutable.
        private Given given;

        FollowingPermissions(ClientInfo client) {
            this.client = client;
            current();
        }

        @Override
        public boolean mayPublish(String topic) {
            return current().mayPublish(topic);
        }

        @Override
        public boolean maySubscribe(String filter) {
            return current().maySubscribe(filter);
        }

        private Permissions current() {
            Authorizer authorizer = loaded.authorizer();
            Given last = given;
            if (last == null || last.authorizer() != authorizer) {
                last = new Given(authorizer, authorizer.permissionsFor(client));
                given = last;
            }
            return last.permissions();
        }
    }

    /** Passes each request to the authenticator of the files loaded last. */
    private final class LatestAuthenticator implements Authenticator {

        @Override
        public CompletionStage<AuthOutcome> authenticate(ClientInfo client, ByteString password) {
            return loaded.authenticator().authenticate(client, password);
        }

        @Override
        public Set<String> methods() {
            return loaded.authenticator().methods();
        }

        @Override
        public AuthExchange begin(String method, ClientInfo client) {
            return loaded.authenticator().begin(method, client);
        }
    }
}
