package dev.herald.server;

import dev.herald.mqtt.auth.file.PasswordFile;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * {@code herald passwd FILE USER [--iterations N]}: adds a user to a password file, or replaces the
 * user's password, asking for it twice on the terminal (or reading one line from standard input when
 * there is no terminal, for scripts). The file keeps salted SCRAM-SHA-256 / PBKDF2 hashes only.
 */
final class PasswdCommand {

    static final String USAGE = "Usage: herald passwd FILE USER [--iterations N]   (N >= "
            + PasswordFile.DEFAULT_ITERATIONS + ", default " + PasswordFile.DEFAULT_ITERATIONS + ")";

    private PasswdCommand() {}

    /** Runs the command; returns the process exit code (0 done, 1 failed, 2 bad usage). */
    static int run(String[] args, Console console, java.io.InputStream stdin) {
        if (args.length != 2 && args.length != 4) {
            System.err.println(USAGE);
            return 2;
        }
        int iterations = PasswordFile.DEFAULT_ITERATIONS;
        if (args.length == 4) {
            if (!args[2].equals("--iterations")) {
                System.err.println("herald passwd: unknown option: " + args[2]);
                System.err.println(USAGE);
                return 2;
            }
            try {
                iterations = Integer.parseInt(args[3]);
            } catch (NumberFormatException e) {
                System.err.println("herald passwd: --iterations takes a number, not '" + args[3] + "'");
                return 2;
            }
        }
        Path file = Path.of(args[0]);
        String user = args[1];
        char[] password = null;
        try {
            password = console != null ? askTwice(console, user) : firstLine(stdin);
            if (password == null) {
                return 1;
            }
            PasswordFile.addOrReplaceUser(file, user, password, iterations);
            System.out.println("herald passwd: password of '" + user + "' set in " + file);
            return 0;
        } catch (IllegalArgumentException | UncheckedIOException e) {
            System.err.println("herald passwd: " + e.getMessage());
            return 1;
        } finally {
            if (password != null) {
                Arrays.fill(password, '\0');
            }
        }
    }

    private static char[] askTwice(Console console, String user) {
        char[] first = console.readPassword("Password for %s: ", user);
        char[] second = console.readPassword("Again: ");
        if (first == null || second == null || !Arrays.equals(first, second)) {
            System.err.println("herald passwd: the passwords differ; nothing changed");
            return null;
        }
        Arrays.fill(second, '\0');
        return first;
    }

    private static char[] firstLine(java.io.InputStream stdin) {
        try {
            String line = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8)).readLine();
            if (line == null || line.isEmpty()) {
                System.err.println("herald passwd: no password on standard input; nothing changed");
                return null;
            }
            return line.toCharArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
