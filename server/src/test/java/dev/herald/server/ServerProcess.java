package dev.herald.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged server ({@code target/herald-server.jar}) in a JVM of its own, started with
 * {@code --config FILE} or other options: what it prints is collected, its MQTT port is read from its
 * start-up line,
 * and it can be killed with SIGKILL ({@link Process#destroyForcibly()} on Linux) to test a crash, or
 * stopped with SIGTERM to test a clean stop.
 */
final class ServerProcess implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern ADMIN = Pattern.compile("Admin HTTP at http://127\\.0\\.0\\.1:(\\d+)/");
    private static final long START_SECONDS = 60;

    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final int port;

    private ServerProcess(List<String> args) throws IOException, InterruptedException {
        Path jar = Path.of("target", "herald-server.jar");
        assertThat(jar).as("the server jar, built by package").exists();
        List<String> command = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m"));
        if (Runtime.version().feature() >= 24) {
            command.addAll(List.of("--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"));
        }
        command.addAll(List.of("-jar", jar.toString()));
        command.addAll(args);
        process = new ProcessBuilder(command).redirectErrorStream(true).start();
        Thread reader = new Thread(this::collect, "server-output-" + process.pid());
        reader.setDaemon(true);
        reader.start();
        port = awaitPort();
    }

    /** Starts the server with this configuration file and waits until it listens. */
    static ServerProcess start(Path config) throws IOException, InterruptedException {
        return new ServerProcess(List.of("--config", config.toString()));
    }

    /** Starts the server with these options and waits until it listens. */
    static ServerProcess start(String... args) throws IOException, InterruptedException {
        return new ServerProcess(List.of(args));
    }

    int port() {
        return port;
    }

    /** The admin HTTP port, from the line the server prints once it binds it (within the start deadline). */
    int adminPort() throws InterruptedException {
        return Integer.parseInt(await(ADMIN).group(1));
    }

    /** Everything the server printed so far. */
    List<String> output() {
        return List.copyOf(lines);
    }

    /** The lines that contain {@code text}. */
    List<String> linesWith(String text) {
        return lines.stream().filter(l -> l.contains(text)).toList();
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed; returns once the process is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        assertThat(process.waitFor(30, TimeUnit.SECONDS))
                .as("the killed server exits")
                .isTrue();
    }

    /**
     * SIGTERM: the server's shutdown hook runs; returns at once. Sent through the process handle, as
     * {@link Process#destroy()} would also close the output the server still prints while it stops.
     */
    void terminate() {
        process.toHandle().destroy();
    }

    /** Whether the process has exited, waiting at most {@code seconds}. */
    boolean awaitExit(long seconds) throws InterruptedException {
        return process.waitFor(seconds, TimeUnit.SECONDS);
    }

    private void collect() {
        try (BufferedReader r =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                lines.add(line);
            }
        } catch (IOException e) {
            lines.add("read failed: " + e);
        }
    }

    private int awaitPort() throws InterruptedException {
        return Integer.parseInt(await(LISTENING).group(1));
    }

    /** The first line the server printed (within the start deadline) that the pattern finds something in. */
    Matcher await(Pattern pattern) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_SECONDS);
        int seen = 0;
        while (System.nanoTime() < deadline && process.isAlive()) {
            List<String> now = output();
            for (; seen < now.size(); seen++) {
                Matcher m = pattern.matcher(now.get(seen));
                if (m.find()) {
                    return m;
                }
            }
            process.waitFor(50, TimeUnit.MILLISECONDS); // wakes early if the server exits
        }
        process.destroyForcibly();
        throw new AssertionError("the server printed nothing that matches " + pattern + " within " + START_SECONDS
                + " s (alive: " + process.isAlive() + "); it printed:\n" + String.join("\n", output()));
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
