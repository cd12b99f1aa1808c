package dev.herald.server;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import dev.herald.cluster.HeraldCluster;
import dev.herald.mqtt.broker.BrokerSettings;
import dev.herald.mqtt.broker.EmbeddedBroker;
import dev.herald.mqtt.broker.MqttTcpBinding;
import dev.herald.mqtt.store.PersistenceSettings;
import dev.herald.mqtt.store.StoreException;
import dev.herald.server.admin.AdminHttpBinding;
import dev.herald.server.admin.AdminSettings;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code main}: reads the command line and configuration, runs the broker until SIGTERM or Ctrl-C. */
public final class HeraldServer {

    private static final Logger log = LoggerFactory.getLogger(HeraldServer.class);
    private static final String PERSISTENCE = "herald.mqtt.persistence";

    /** The name of the broker's ActorSystem (EmbeddedBroker's), which a cluster node's addresses carry. */
    static final String SYSTEM_NAME = "herald";

    private HeraldServer() {}

    public static void main(String[] args) {
        if (args.length > 0) {
            String[] rest = Arrays.copyOfRange(args, 1, args.length);
            switch (args[0]) {
                case "passwd" -> {
                    System.exit(PasswdCommand.run(rest, System.console(), System.in));
                    return;
                }
                case "check-config" -> {
                    System.exit(ConfigCheck.run(rest, System.out));
                    return;
                }
                case "export", "import" -> {
                    System.exit(TransferCommand.run(args[0], rest));
                    return;
                }
                case "version" -> {
                    System.out.println("herald " + version());
                    return;
                }
                default -> {}
            }
        }
        CommandLine cli;
        Config config;
        AdminSettings admin;
        try {
            cli = CommandLine.parse(args);
            config = config(cli);
            BrokerSettings.from(config);
            PersistenceSettings.from(config);
            ClusterNode.validate(config);
            admin = AdminSettings.from(config);
        } catch (IllegalArgumentException | ConfigException e) {
            System.err.println("herald: " + e.getMessage());
            System.err.println(CommandLine.USAGE);
            System.exit(2);
            return;
        }
        if (cli.help()) {
            System.out.println(CommandLine.USAGE);
            return;
        }
        if (cli.version()) {
            System.out.println("herald " + version());
            return;
        }
        EmbeddedBroker broker;
        try {
            broker = start(config, admin);
        } catch (IllegalStateException | IllegalArgumentException | StoreException e) {
            System.err.println("herald: " + e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        // A JVM shutdown hook that Pekko knows of: its remoting waits for it before it stops, so a
        // cluster node leaves the cluster (the others take over at once) rather than vanish.
        CoordinatedShutdown.get(broker.context().system()).addJvmShutdownHook(() -> {
            log.info("Shutting down: disconnecting clients");
            broker.close();
            stopped.countDown();
        });
        logStartup(broker, config);
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The configuration: command-line options over the --config file over the defaults. */
    static Config config(CommandLine cli) {
        return withDefaults(settings(cli), home());
    }

    /** What the command line and its --config file set; on a cluster node, persistence off. */
    static Config settings(CommandLine cli) {
        Config file = ConfigFactory.empty();
        if (cli.config().isPresent()) {
            file = ConfigFactory.parseFile(cli.config().get().toFile());
        }
        Config config = file;
        if (cli.port().isPresent()) {
            config = config.withValue(
                    "herald.mqtt.port", ConfigValueFactory.fromAnyRef(cli.port().get()));
        }
        if (cli.bind().isPresent()) {
            config = config.withValue(
                    "herald.mqtt.bind", ConfigValueFactory.fromAnyRef(cli.bind().get()));
        }
        if (cli.adminPort().isPresent()) {
            config = config.withValue(
                            "herald.admin.port",
                            ConfigValueFactory.fromAnyRef(cli.adminPort().get()))
                    .withValue("herald.admin.enabled", ConfigValueFactory.fromAnyRef(true));
        }
        if (cli.data().isPresent()) {
            config = config.withValue(
                            PERSISTENCE + ".directory",
                            ConfigValueFactory.fromAnyRef(
                                    cli.data().get().toAbsolutePath().toString()))
                    .withValue(PERSISTENCE + ".enabled", ConfigValueFactory.fromAnyRef(true));
        }
        if (cli.inMemory()) {
            config = config.withValue(PERSISTENCE + ".enabled", ConfigValueFactory.fromAnyRef(false));
        }
        return ClusterNode.settings(cli, file, config);
    }

    /** Settings over the server's own defaults over every module's reference.conf, resolved. */
    static Config withDefaults(Config settings) {
        return withDefaults(settings, home());
    }

    /**
     * Settings over the server's defaults, in which the data directory is {@code data} in the
     * installation ({@code home}, which bin/herald and ./herald give) or else in the working directory.
     * With {@code herald.cluster.enabled} on, the result is a cluster node's configuration ({@link
     * HeraldCluster#config}: provider, remoting address, seed nodes and fail-over timings).
     */
    static Config withDefaults(Config settings, Optional<Path> home) {
        return HeraldCluster.config(SYSTEM_NAME, settings.withFallback(serverDefaults(home)));
    }

    /**
     * Settings over the server's defaults as {@code herald check-config} validates them: the keys as
     * written, without what {@code herald.cluster} would add for a cluster node (which it checks apart).
     */
    static Config withDefaultsAsWritten(Config settings) {
        return ConfigFactory.load(settings.withFallback(serverDefaults(home())));
    }

    private static Config serverDefaults(Optional<Path> home) {
        Config server = ConfigFactory.parseResources("herald-server.conf");
        if (home.isPresent()) {
            server = server.withValue(
                    PERSISTENCE + ".directory",
                    ConfigValueFactory.fromAnyRef(home.get().resolve("data").toString()));
        }
        return server;
    }

    /** The installation directory, from the launcher's {@code -Dherald.home}. */
    private static Optional<Path> home() {
        String home = System.getProperty("herald.home");
        return home == null || home.isBlank()
                ? Optional.empty()
                : Optional.of(Path.of(home).toAbsolutePath());
    }

    /**
     * The broker with admin HTTP beside MQTT when it is enabled; its health report lists every binding.
     * When the configuration makes a cluster node, the BrokerActor is the cluster singleton.
     */
    static EmbeddedBroker start(Config config, AdminSettings admin) {
        EmbeddedBroker.Builder builder =
                EmbeddedBroker.builder().config(config).singleOwner(HeraldCluster::singleOwner);
        if (admin.enabled()) {
            builder.binding(context -> new AdminHttpBinding(context, admin, List.of()));
        }
        return builder.start();
    }

    private static void logStartup(EmbeddedBroker broker, Config config) {
        PersistenceSettings persistence = PersistenceSettings.from(config);
        BrokerSettings s = broker.settings();
        log.info(
                "Herald {} on Java {}: MQTT 5.0/3.1.1 listening on {}:{}; limits: max-connections={} "
                        + "max-packet-size={} max-inflight={} max-queued-messages={} outbound-queue-size={} "
                        + "max-subscriptions-per-client={} maximum-qos={}; {}",
                version(),
                Runtime.version(),
                broker.host(),
                broker.port(),
                s.maxConnections(),
                s.maxPacketSize(),
                s.maxInflight(),
                s.maxQueuedMessages(),
                s.outboundQueueSize(),
                s.maxSubscriptionsPerClient(),
                s.maximumQos().value(),
                accessSummary(s));
        if (ClusterNode.clustered(broker)) {
            ClusterNode.logStartup(log, broker, config);
        } else if (!persistence.enabled()) {
            log.info("In memory: sessions, queued and retained messages end with this process (--data DIR keeps them)");
        } else if (persistence.durability() == PersistenceSettings.Durability.SYNC) {
            log.info(
                    "Data in {} (durability sync: what is acknowledged is on disk first)",
                    persistence.directory().toAbsolutePath());
        } else {
            log.info(
                    "Data in {} (durability batched: a crash loses at most the last {} ms of changes)",
                    persistence.directory().toAbsolutePath(),
                    persistence.batchInterval().toMillis());
        }
        if (s.allowAnonymous() && !isLoopback(s.bind())) {
            log.warn("Listening on {} with anonymous access: any client that reaches this port may connect", s.bind());
        }
        broker.runtime().boundAddresses().forEach((binding, addresses) -> {
            if (!binding.equals(MqttTcpBinding.NAME) && !binding.equals(AdminHttpBinding.NAME)) {
                log.info("Also listening: {} on {}", binding, addresses); // MQTT over TLS, WebSocket, ...
            }
        });
        List<InetSocketAddress> admin = broker.boundAddresses(AdminHttpBinding.NAME);
        if (!admin.isEmpty()) {
            InetSocketAddress at = admin.get(0);
            log.info(
                    "Admin HTTP at http://{}:{}/ (/health, /metrics, /clients, /subscriptions, /cluster)",
                    at.getHostString(),
                    at.getPort());
            if (!at.getAddress().isLoopbackAddress()) {
                log.warn("Admin HTTP on {} has no authentication: anyone who reaches it sees every client id", at);
            }
        }
    }

    private static boolean isLoopback(String bind) {
        return "127.0.0.1".equals(bind) || "localhost".equals(bind);
    }

    private static String accessSummary(BrokerSettings s) {
        return (s.allowAnonymous() ? "anonymous clients allowed" : "anonymous clients refused")
                + (s.passwordFile().isEmpty() ? "" : ", users from " + s.passwordFile())
                + (s.aclFile().isEmpty() ? ", no ACL" : ", ACL from " + s.aclFile())
                + (s.passwordFile().isEmpty() && s.aclFile().isEmpty()
                                || s.authReloadInterval().isZero()
                        ? ""
                        : ", checked for changes every " + readable(s.authReloadInterval()));
    }

    private static String readable(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    static String version() {
        String v = HeraldServer.class.getPackage().getImplementationVersion();
        return v != null ? v : "development";
    }
}
