package dev.herald.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server's options: {@code --port N}, {@code --bind ADDRESS}, {@code --admin-port N}, {@code
 * --config FILE}, {@code --data DIR} or {@code --in-memory}, the cluster options {@code --cluster-host
 * HOST}, {@code --cluster-port N} and {@code --seed HOST:PORT} (any of them makes the server a cluster
 * node), {@code --help}, {@code --version}.
 */
record CommandLine(
        Optional<Integer> port,
        Optional<String> bind,
        Optional<Integer> adminPort,
        Optional<Path> config,
        Optional<Path> data,
        boolean inMemory,
        Optional<String> clusterHost,
        Optional<Integer> clusterPort,
        List<String> seeds,
        boolean help,
        boolean version) {

    /** A seed node as host:port (a full pekko:// address only in a configuration file). */
    private static final Pattern SEED = Pattern.compile("([^:/@\\s]+):(\\d{1,9})");

    static final String USAGE = String.join(
            System.lineSeparator(),
            "Usage: herald [--port N] [--bind ADDRESS] [--admin-port N] [--config FILE] [--data DIR | --in-memory]",
            "              [--cluster-port N] [--cluster-host HOST] [--seed HOST:PORT ...]",
            "       herald passwd FILE USER [--iterations N]   (add a user or change a password)",
            "       herald check-config FILE                   (report every problem of a config file, with lines)",
            "       herald export [--data DIR] [FILE]          (write a stopped broker's state as JSON Lines)",
            "       herald import [--data DIR] [--merge] FILE  (load such a file into a data directory)",
            "       herald version                             (print the version)",
            "  --port N        MQTT listener port (default 1883; 0 picks a free port)",
            "  --bind ADDRESS  interface for MQTT (default 127.0.0.1; 0.0.0.0 for every interface)",
            "  --admin-port N  admin HTTP port (default 8081; 0 picks a free port) for /health, /metrics, /clients",
            "                  and /subscriptions, on herald.admin.bind (127.0.0.1); turns admin HTTP on",
            "  --config FILE   HOCON file with herald.mqtt and herald.admin settings (defaults: reference.conf)",
            "  --data DIR      keep sessions, queued messages and retained messages in DIR across restarts",
            "                  (the default: herald.mqtt.persistence.directory, bin/herald's data/)",
            "  --in-memory     keep nothing across restarts",
            "  --cluster-port N      run as a node of a clustered broker, reached by the other nodes on port N",
            "                        (herald.cluster.port; 0 picks a free one, seed nodes need a fixed one)",
            "  --cluster-host HOST   the address the other nodes reach this node at (default 127.0.0.1)",
            "  --seed HOST:PORT      a node to join through (repeat it, or separate with commas); give every",
            "                        node the same seeds, the first started first. Any cluster option turns",
            "                        clustering on (herald.cluster.enabled); a cluster node keeps its state",
            "                        in memory, so --data is refused with it",
            "  --version       print the version and exit",
            "  --help          print this text and exit");

    /** Parses the arguments, or throws IllegalArgumentException with a message for the user. */
    static CommandLine parse(String... args) {
        Integer port = null;
        String bind = null;
        Integer adminPort = null;
        Path config = null;
        Path data = null;
        boolean inMemory = false;
        String clusterHost = null;
        Integer clusterPort = null;
        List<String> seeds = new ArrayList<>();
        boolean help = false;
        boolean version = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--port" -> port = parsePort(arg, value(args, ++i, arg));
                case "--bind" -> bind = value(args, ++i, arg);
                case "--admin-port" -> adminPort = parsePort(arg, value(args, ++i, arg));
                case "--config" -> {
                    config = Path.of(value(args, ++i, arg));
                    if (!Files.isReadable(config)) {
                        throw new IllegalArgumentException("config file not found or not readable: " + config);
                    }
                }
                case "--data" -> data = Path.of(value(args, ++i, arg));
                case "--in-memory" -> inMemory = true;
                case "--cluster-host" -> clusterHost = value(args, ++i, arg);
                case "--cluster-port" -> clusterPort = parsePort(arg, value(args, ++i, arg));
                case "--seed" -> seeds.addAll(parseSeeds(value(args, ++i, arg)));
                case "--help", "-h" -> help = true;
                case "--version" -> version = true;
                default -> throw new IllegalArgumentException("unknown option: " + arg);
            }
        }
        if (data != null && inMemory) {
            throw new IllegalArgumentException("--data keeps state in a directory, --in-memory keeps none: give one");
        }
        return new CommandLine(
                Optional.ofNullable(port),
                Optional.ofNullable(bind),
                Optional.ofNullable(adminPort),
                Optional.ofNullable(config),
                Optional.ofNullable(data),
                inMemory,
                Optional.ofNullable(clusterHost),
                Optional.ofNullable(clusterPort),
                List.copyOf(seeds),
                help,
                version);
    }

    /** Whether a cluster option was given (which makes the server a cluster node). */
    boolean clusterOptions() {
        return clusterHost.isPresent() || clusterPort.isPresent() || !seeds.isEmpty();
    }

    /** {@code host:port[,host:port...]}, each checked as a seed node's address. */
    static List<String> parseSeeds(String value) {
        List<String> seeds = new ArrayList<>();
        for (String part : value.split(",", -1)) {
            String seed = part.strip();
            String problem = seedProblem(seed);
            if (problem != null) {
                throw new IllegalArgumentException("--seed " + problem);
            }
            seeds.add(seed);
        }
        return seeds;
    }

    /**
     * What is wrong with a seed node given as {@code host:port} (null when nothing is): no port, a port
     * not from 1 to 65535 (a seed is joined through, so it cannot be 0).
     */
    static String seedProblem(String seed) {
        Matcher m = SEED.matcher(seed);
        if (!m.matches()) {
            return "takes host:port (like 127.0.0.1:2551), not '" + seed + "'";
        }
        int port = Integer.parseInt(m.group(2));
        if (port < 1 || port > 65_535) {
            return "'" + seed + "': the port must be from 1 to 65535";
        }
        return null;
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static int parsePort(String option, String s) {
        try {
            int port = Integer.parseInt(s);
            if (port < 0 || port > 65_535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " takes a number from 0 to 65535, not '" + s + "'");
        }
    }
}
