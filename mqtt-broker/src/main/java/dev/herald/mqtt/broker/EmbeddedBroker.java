package dev.herald.mqtt.broker;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.herald.mqtt.auth.ActorAuthenticator;
import dev.herald.mqtt.auth.AuthRequest;
import dev.herald.mqtt.auth.Authenticator;
import dev.herald.mqtt.auth.Authorizer;
import dev.herald.mqtt.broker.internal.AuthFiles;
import dev.herald.mqtt.broker.internal.BrokerCore;
import dev.herald.mqtt.broker.tls.MqttTlsBinding;
import dev.herald.mqtt.broker.tls.TlsSettings;
import dev.herald.mqtt.broker.websocket.MqttWebSocketBinding;
import dev.herald.mqtt.broker.websocket.WebSocketSettings;
import dev.herald.mqtt.filter.PacketFilter;
import dev.herald.mqtt.filter.PayloadRule;
import dev.herald.mqtt.filter.PayloadValidator;
import dev.herald.mqtt.store.PersistenceSettings;
import dev.herald.mqtt.store.internal.BrokerStore;
import dev.herald.runtime.ProtocolBinding;
import dev.herald.runtime.ServerRuntime;
import dev.herald.runtime.SingleOwner;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * A running broker in this JVM, with an ActorSystem of its own. {@code EmbeddedBroker.start()} binds
 * 127.0.0.1 on a free port; {@link #close()} disconnects every client and stops the ActorSystem.
 *
 * <pre>{@code
 * try (EmbeddedBroker broker = EmbeddedBroker.start()) {
 *     connectTo("127.0.0.1", broker.port());
 * }
 * }</pre>
 */
public final class EmbeddedBroker implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_DEADLINE = Duration.ofSeconds(5);
    /** How long restoring the store may take (a million retained messages take seconds, not minutes). */
    private static final Duration RECOVERY_TIMEOUT = Duration.ofMinutes(10);

    private final ActorSystem<Void> system;
    private final BrokerCore core;
    private final ServerRuntime runtime;

    private EmbeddedBroker(ActorSystem<Void> system, BrokerCore core, ServerRuntime runtime) {
        this.system = system;
        this.core = core;
        this.runtime = runtime;
    }

    /** A broker with the default settings on 127.0.0.1 and a free port. */
    public static EmbeddedBroker start() {
        return builder().start();
    }

    /** A broker configured by {@code config} (its {@code herald.mqtt} and {@code pekko} sections). */
    public static EmbeddedBroker start(Config config) {
        return builder().config(config).start();
    }

    /** A broker with settings and, optionally, the application's own authentication and authorization. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Configures an embedded broker. Without an authenticator or authorizer, those of the
     * {@code herald.mqtt.auth} settings are used (password file, ACL file, anonymous access).
     */
    public static final class Builder {
        private Config config = ConfigFactory.parseString("herald.mqtt { bind = \"127.0.0.1\", port = 0 }")
                .withFallback(ConfigFactory.load());
        private Function<ActorSystem<?>, Authenticator> authenticator;
        private Authorizer authorizer;
        private final List<Function<BrokerContext, ProtocolBinding>> bindings = new ArrayList<>();
        private Function<BrokerContext, PublishListener> listener = context -> PublishListener.NONE;
        private final List<PacketFilter> filters = new ArrayList<>();
        private Function<ActorSystem<?>, SingleOwner> owner = SingleOwner::local;

        private Builder() {}

        /**
         * Where the BrokerActor runs: in this process by default; a distributed owner (the cluster
         * module's singleton) makes this broker one node of a clustered broker. Its configuration must
         * then make the ActorSystem a cluster node, and persistence must be off (each node's store would
         * hold only part of the state).
         */
        public Builder singleOwner(Function<ActorSystem<?>, SingleOwner> value) {
            this.owner = value;
            return this;
        }

        /** The whole configuration, defaults included (e.g. {@code ConfigFactory.load()} with overrides). */
        public Builder config(Config value) {
            this.config = value;
            return this;
        }

        public Builder authenticator(Authenticator value) {
            this.authenticator = system -> value;
            return this;
        }

        /**
         * Authentication by the application's own typed behavior, spawned in the broker's ActorSystem;
         * it must answer every {@link AuthRequest} within {@code timeout}.
         */
        public Builder authenticator(Behavior<AuthRequest> behavior, Duration timeout) {
            this.authenticator = system -> new ActorAuthenticator(
                    system.systemActorOf(behavior, "authenticator", Props.empty()), timeout, system.scheduler());
            return this;
        }

        public Builder authorizer(Authorizer value) {
            this.authorizer = value;
            return this;
        }

        /**
         * What sees every client publish as it is routed (the tap plane, an audit log): {@code
         * factory} builds it in the broker's ActorSystem. One listener; compose several yourself.
         */
        public Builder publishListener(Function<BrokerContext, PublishListener> factory) {
            this.listener = factory;
            return this;
        }

        /**
         * A filter every connected client's packets pass through before the broker acts, after the
         * ones added before it and those of the configuration ({@code herald.mqtt.filters}).
         */
        public Builder filter(PacketFilter value) {
            this.filters.add(value);
            return this;
        }

        /**
         * Another way in, started and stopped with the MQTT listener (admin HTTP, another transport):
         * {@code factory} builds it around the running broker.
         */
        public Builder binding(Function<BrokerContext, ProtocolBinding> factory) {
            this.bindings.add(factory);
            return this;
        }

        public EmbeddedBroker start() {
            BrokerSettings settings = BrokerSettings.from(config);
            WebSocketSettings webSocket = WebSocketSettings.from(config);
            TlsSettings tls = TlsSettings.from(config);
            List<PayloadRule> payloadRules = PayloadValidator.rulesFrom(config);
            AuthFiles authFiles = new AuthFiles(settings);
            BrokerMetrics metrics = new BrokerMetrics();
            BrokerStore store = BrokerStore.open(PersistenceSettings.from(config)); // a clear error, or the store
            ActorSystem<Void> system;
            try {
                system = ActorSystem.create(Behaviors.empty(), "herald", config);
            } catch (RuntimeException e) {
                store.closeIfNotStarted();
                throw e;
            }
            try {
                AccessControl fromFiles = authFiles.accessControl();
                AccessControl access = new AccessControl(
                        authenticator != null ? authenticator.apply(system) : fromFiles.authenticator(),
                        authorizer != null ? authorizer : fromFiles.authorizer());
                if (authenticator == null || authorizer == null) {
                    authFiles.watch(system);
                }
                ServerRuntime runtime = new ServerRuntime();
                List<PacketFilter> allFilters = new ArrayList<>();
                if (!payloadRules.isEmpty()) {
                    allFilters.add(new PayloadValidator(payloadRules));
                }
                allFilters.addAll(filters);
                SingleOwner single = owner.apply(system);
                if (single.distributed() && store.enabled()) {
                    throw new IllegalStateException("cannot start a cluster node with persistence on: set "
                            + "herald.mqtt.persistence.enabled = off (a clustered broker keeps its state in memory)");
                }
                BrokerCore core = new BrokerCore(system, settings, metrics, access, single, runtime, allFilters, store);
                core.listener(listener.apply(core));
                if (authorizer == null && !settings.aclFile().isEmpty()) {
                    authFiles.onReload(core::accessChanged); // subscriptions the new ACL does not allow go
                }
                runtime.add(new MqttTcpBinding(core));
                if (tls.enabled()) {
                    runtime.add(new MqttTlsBinding(core, tls));
                }
                if (webSocket.enabled()) {
                    runtime.add(new MqttWebSocketBinding(core, webSocket, tls));
                }
                bindings.forEach(factory -> runtime.add(factory.apply(core)));
                if (!single.distributed()) {
                    // Clients are let in once what the store held is restored. A cluster node's
                    // BrokerActor runs once the cluster is formed; until then its proxy holds what is sent.
                    core.settled(RECOVERY_TIMEOUT).toCompletableFuture().get();
                }
                runtime.start().toCompletableFuture().get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                return new EmbeddedBroker(system, core, runtime);
            } catch (ExecutionException | CompletionException e) {
                abandon(system, store);
                Throwable cause = e.getCause();
                String where = cause instanceof ServerRuntime.BindingFailedException failed
                                && failed.binding().equals(MqttTcpBinding.NAME)
                        ? "cannot listen on " + settings.bind() + ":" + settings.port() + ": "
                                + cause.getCause().getMessage()
                        : "cannot start " + cause.getMessage();
                throw new IllegalStateException(where, cause);
            } catch (RuntimeException e) {
                abandon(system, store);
                throw e;
            } catch (InterruptedException | TimeoutException e) {
                abandon(system, store);
                throw new IllegalStateException("broker did not start within " + START_TIMEOUT, e);
            }
        }

        /** A start that failed: the system stops and the data directory is free again before this returns. */
        private static void abandon(ActorSystem<Void> system, BrokerStore store) {
            system.terminate();
            try {
                system.getWhenTerminated().toCompletableFuture().get(STOP_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                system.log().warn("ActorSystem did not terminate in time: {}", e.toString());
            }
            store.closeIfNotStarted();
        }
    }

    /** The port the MQTT listener is bound to (the free one picked when configured as 0). */
    public int port() {
        return mqttAddress().getPort();
    }

    public String host() {
        return mqttAddress().getHostString();
    }

    private InetSocketAddress mqttAddress() {
        return runtime.boundAddresses().get(MqttTcpBinding.NAME).get(0);
    }

    /** The addresses a binding is bound to, by its name ({@code mqtt}, ...); empty when it is not bound. */
    public List<InetSocketAddress> boundAddresses(String binding) {
        return runtime.boundAddresses().getOrDefault(binding, List.of());
    }

    /** The bindings' runtime: which are bound, and whether all are. */
    public ServerRuntime runtime() {
        return runtime;
    }

    /**
     * Tells the broker that the authorizer answers differently now (your own authorizer's rules
     * changed): every open connection asks it again for its permissions and loses the subscriptions
     * they no longer allow. A reload of the ACL file does this by itself. It reaches this node's
     * connections: in a cluster, tell each node.
     */
    public void accessChanged() {
        core.accessChanged();
    }

    /** What bindings see of this broker: its system, counters and read-only views. */
    public BrokerContext context() {
        return core;
    }

    public BrokerMetrics metrics() {
        return core.metrics();
    }

    public BrokerSettings settings() {
        return core.settings();
    }

    /** Disconnects every client (MQTT 5: DISCONNECT 0x8B), then stops the ActorSystem. */
    public void stop() {
        try {
            runtime.stop(STOP_DEADLINE)
                    .thenCompose(unbound -> core.disconnectAll(STOP_DEADLINE))
                    .thenCompose(disconnected -> core.closeStore(STOP_DEADLINE))
                    .toCompletableFuture()
                    .get(STOP_DEADLINE.toMillis() + 2000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            system.log().warn("Clients were not all disconnected in time: {}", e.toString());
        } finally {
            system.terminate();
            try {
                system.getWhenTerminated().toCompletableFuture().get(STOP_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                system.log().warn("ActorSystem did not terminate in time: {}", e.toString());
            }
        }
    }

    @Override
    public void close() {
        stop();
    }
}
