package dev.herald.server;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import dev.herald.mqtt.store.PersistenceSettings;
import dev.herald.mqtt.store.StoreException;
import dev.herald.mqtt.store.internal.StoreFormat;
import dev.herald.mqtt.store.internal.StoreTransfer;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * {@code herald export [--data DIR] [--config FILE] [FILE]} writes the state in a stopped broker's
 * data directory as JSON Lines to FILE (through a temporary file beside it, so a failed export
 * leaves no half file) or to standard output; {@code herald import [--data DIR] [--config FILE]
 * [--merge] FILE} loads such a file into a data directory, which must hold no state unless {@code
 * --merge} is given. Without --data the directory is the one the broker would use with the same
 * --config.
 */
final class TransferCommand {

    static final String USAGE = String.join(
            System.lineSeparator(),
            "Usage: herald export [--data DIR] [--config FILE] [FILE]            (FILE, or standard output)",
            "       herald import [--data DIR] [--config FILE] [--merge] FILE",
            "  --data DIR     the data directory (default: herald.mqtt.persistence.directory of the config)",
            "  --merge        import into a directory with state: the file's sessions and retained",
            "                 messages replace those of the same client id or topic, the rest stays",
            "The broker must be stopped: a running one holds the directory's lock.");

    private TransferCommand() {}

    private record Options(Path directory, Path file, boolean merge) {}

    /** Runs {@code export} or {@code import}; returns the exit code (0 done, 1 failed, 2 bad usage). */
    static int run(String command, String[] args) {
        return run(command, args, System.out, System.err);
    }

    static int run(String command, String[] args, PrintStream out, PrintStream err) {
        Options options;
        try {
            options = parse(command, args);
        } catch (IllegalArgumentException | ConfigException e) {
            err.println("herald " + command + ": " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        try {
            if (command.equals("export")) {
                export(options, out, err);
            } else {
                StoreTransfer.Counts counts =
                        StoreTransfer.importFrom(options.file(), options.directory(), options.merge());
                out.println("herald import: " + describe(counts) + " from " + options.file() + " into "
                        + options.directory().toAbsolutePath());
            }
            return 0;
        } catch (StoreException
                | IllegalArgumentException
                | UncheckedIOException
                | StoreFormat.CorruptRecordException e) {
            err.println("herald " + command + ": " + e.getMessage());
            return 1;
        }
    }

    private static void export(Options options, PrintStream out, PrintStream err) {
        Path dir = options.directory().toAbsolutePath();
        if (options.file() == null) {
            Writer stdout = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            StoreTransfer.Counts counts = StoreTransfer.exportTo(dir, stdout);
            err.println("herald export: " + describe(counts) + " from " + dir);
            return;
        }
        Path file = options.file().toAbsolutePath();
        Path part = file.resolveSibling(file.getFileName() + ".part");
        try {
            StoreTransfer.Counts counts;
            try (Writer writer = Files.newBufferedWriter(part, StandardCharsets.UTF_8)) {
                counts = StoreTransfer.exportTo(dir, writer);
            }
            Files.move(part, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            out.println("herald export: " + describe(counts) + " from " + dir + " to " + file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e, e);
        } finally {
            try {
                Files.deleteIfExists(part);
            } catch (IOException e) {
                err.println("herald export: cannot remove " + part + ": " + e.getMessage());
            }
        }
    }

    private static Options parse(String command, String[] args) {
        Path data = null;
        Path config = null;
        Path file = null;
        boolean merge = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--data" -> data = Path.of(value(args, ++i, "--data"));
                case "--config" -> config = Path.of(value(args, ++i, "--config"));
                case "--merge" -> {
                    if (!command.equals("import")) {
                        throw new IllegalArgumentException("--merge is an option of import");
                    }
                    merge = true;
                }
                default -> {
                    if (args[i].startsWith("--") || file != null) {
                        throw new IllegalArgumentException("unknown option or a second file: " + args[i]);
                    }
                    file = Path.of(args[i]);
                }
            }
        }
        if (command.equals("import") && file == null) {
            throw new IllegalArgumentException("import needs the FILE to load");
        }
        return new Options(data != null ? data : directoryOf(config), file, merge);
    }

    /** The data directory the broker would use with this configuration file (or none). */
    private static Path directoryOf(Path config) {
        Config settings = ConfigFactory.empty();
        if (config != null) {
            if (!Files.isReadable(config)) {
                throw new IllegalArgumentException("config file not found or not readable: " + config);
            }
            settings = ConfigFactory.parseFile(config.toFile());
        }
        return PersistenceSettings.from(HeraldServer.withDefaults(settings)).directory();
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static String describe(StoreTransfer.Counts c) {
        return c.retained() + " retained " + (c.retained() == 1 ? "message" : "messages") + ", " + c.sessions()
                + (c.sessions() == 1 ? " session" : " sessions") + " (" + c.messages() + " queued or in-flight"
                + " messages, " + c.inboundQos2() + " incoming QoS 2 ids)";
    }
}
