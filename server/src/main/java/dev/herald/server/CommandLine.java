package dev.herald.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The server's options: {@code --port N}, {@code --bind ADDRESS}, {@code --admin-port N}, {@code
 * --config FILE}, {@code --data DIR} or {@code --in-memory}, {@code --help}, {@code --version}.
 */
record CommandLine(
        Optional<Integer> port,
        Optional<String> bind,
        Optional<Integer> adminPort,
        Optional<Path> config,
        Optional<Path> data,
        boolean inMemory,
        boolean help,
        boolean version) {

    static final String USAGE = String.join(
            System.lineSeparator(),
            "Usage: herald [--port N] [--bind ADDRESS] [--admin-port N] [--config FILE] [--data DIR | --in-memory]",
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
                help,
                version);
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
