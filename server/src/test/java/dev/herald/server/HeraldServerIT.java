package dev.herald.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The packaged server jar: starts from the command line, serves clients, and stops cleanly on SIGTERM. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HeraldServerIT {

    private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern ADMIN = Pattern.compile("Admin HTTP at http://127\\.0\\.0\\.1:(\\d+)/");

    /** {@code java ... -jar herald-server.jar ARGS}. */
    private static List<String> herald(String... args) {
        Path jar = Path.of("target", "herald-server.jar");
        assertThat(jar).exists();
        List<String> command = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m"));
        if (Runtime.version().feature() >= 24) {
            command.addAll(List.of("--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"));
        }
        command.addAll(List.of("-jar", jar.toString()));
        command.addAll(List.of(args));
        return command;
    }

    /** Starts the server and collects what it prints. */
    private static Process start(LinkedBlockingQueue<String> lines, String... args) throws IOException {
        Process server =
                new ProcessBuilder(herald(args)).redirectErrorStream(true).start();
        Thread reader = new Thread(() -> {
            try (BufferedReader r =
                    new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.add(line);
                }
            } catch (java.io.IOException e) {
                lines.add("read failed: " + e);
            }
        });
        reader.setDaemon(true);
        reader.start();
        return server;
    }

    @Test
    void runsFromTheJarAndDisconnectsClientsOnSigterm() throws Exception {
        LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Process server = start(lines, "--port", "0", "--admin-port", "0", "--in-memory");
        try {
            int port = awaitPort(lines);
            assertThat(awaitLine(lines, "In memory")).contains("--data DIR keeps them");
            int adminPort = awaitPort(lines, ADMIN);
            HttpResponse<String> health = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/health"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"127.0.0.1:" + port + "\"");
            Mqtt5BlockingClient client = Mqtt5Client.builder()
                    .identifier("server-it")
                    .serverHost("127.0.0.1")
                    .serverPort(port)
                    .buildBlocking();
            AtomicReference<Throwable> disconnectCause = new AtomicReference<>();
            CompletableFuture<Void> disconnected = new CompletableFuture<>();
            Mqtt5BlockingClient watched = Mqtt5Client.builder()
                    .identifier("server-it-watched")
                    .serverHost("127.0.0.1")
                    .serverPort(port)
                    .addDisconnectedListener(ctx -> {
                        disconnectCause.set(ctx.getCause());
                        disconnected.complete(null);
                    })
                    .buildBlocking();
            client.connect();
            watched.connect();
            try (Mqtt5BlockingClient.Mqtt5Publishes publishes = client.publishes(MqttGlobalPublishFilter.ALL)) {
                client.subscribeWith()
                        .topicFilter("server/it")
                        .qos(MqttQos.AT_LEAST_ONCE)
                        .send();
                watched.publishWith()
                        .topic("server/it")
                        .qos(MqttQos.AT_LEAST_ONCE)
                        .payload(new byte[] {42})
                        .send();
                Optional<Mqtt5Publish> received = publishes.receive(10, TimeUnit.SECONDS);
                assertThat(received).isPresent();
                assertThat(received.get().getPayloadAsBytes()).containsExactly(42);
            }

            server.destroy(); // SIGTERM

            disconnected.get(15, TimeUnit.SECONDS);
            assertThat(disconnectCause.get()).isInstanceOf(Mqtt5DisconnectException.class);
            assertThat(((Mqtt5DisconnectException) disconnectCause.get())
                            .getMqttMessage()
                            .getReasonCode())
                    .isEqualTo(Mqtt5DisconnectReasonCode.SERVER_SHUTTING_DOWN);
            assertThat(server.waitFor(15, TimeUnit.SECONDS)).isTrue();
        } finally {
            server.destroyForcibly();
        }
    }

    @Test
    void passwdWritesTheUsersAPasswordProtectedServerChecks(@TempDir Path dir) throws Exception {
        Path passwords = dir.resolve("passwords");
        passwd(passwords, "alice", "secret");
        Path config = dir.resolve("herald.conf");
        Files.writeString(
                config,
                "herald.mqtt.auth { allow-anonymous = false, password-file = \"" + passwords
                        + "\", reload-interval = 200ms }");

        LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Process server = start(lines, "--port", "0", "--admin-port", "0", "--in-memory", "--config", config.toString());
        try {
            int port = awaitPort(
                    lines,
                    Pattern.compile(
                            "listening on 127\\.0\\.0\\.1:(\\d+).*users from .*checked for changes every 200 ms"));
            connectAs(port, "alice", "secret");
            // A user added while the server runs can connect once the file is loaded again.
            passwd(passwords, "bob", "hunter2");
            awaitLine(lines, "Access control reloaded from [" + passwords + "]");
            connectAs(port, "bob", "hunter2");
            Mqtt5ConnAckException anonymous =
                    catchThrowableOfType(Mqtt5ConnAckException.class, () -> Mqtt5Client.builder()
                            .identifier("server-it-anonymous")
                            .serverHost("127.0.0.1")
                            .serverPort(port)
                            .buildBlocking()
                            .connect());
            assertThat(anonymous.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED);
        } finally {
            server.destroyForcibly();
        }
    }

    /** What a user of the run command does: {@code herald passwd FILE USER}, the password on standard input. */
    private static void passwd(Path file, String user, String password) throws Exception {
        Process passwd = new ProcessBuilder(herald("passwd", file.toString(), user))
                .redirectErrorStream(true)
                .start();
        passwd.getOutputStream().write((password + "\n").getBytes(StandardCharsets.UTF_8));
        passwd.getOutputStream().close();
        assertThat(passwd.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(passwd.exitValue()).isZero();
    }

    private static void connectAs(int port, String user, String password) {
        Mqtt5BlockingClient client = Mqtt5Client.builder()
                .identifier("server-it-" + user)
                .serverHost("127.0.0.1")
                .serverPort(port)
                .simpleAuth()
                .username(user)
                .password(password.getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth()
                .buildBlocking();
        client.connect();
        client.disconnect();
    }

    @Test
    void anUnreadablePasswordFileStopsTheStartWithItsName(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("herald.conf");
        Path missing = dir.resolve("no-such-passwords");
        Files.writeString(config, "herald.mqtt.auth.password-file = \"" + missing + "\"");
        LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Process server = start(lines, "--port", "0", "--admin-port", "0", "--in-memory", "--config", config.toString());
        try {
            assertThat(server.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(server.exitValue()).isEqualTo(1);
            await().atMost(Duration.ofSeconds(10)).until(() -> lines.stream()
                    .anyMatch(l -> l.contains("herald.mqtt.auth.password-file") && l.contains(missing.toString())));
        } finally {
            server.destroyForcibly();
        }
    }

    @Test
    void aDataDirectoryIsNamedAtStartAndLockedWhileTheBrokerRunsOnIt(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Process server = start(lines, "--port", "0", "--admin-port", "0", "--data", data.toString());
        try {
            awaitPort(lines);
            assertThat(awaitLine(lines, "Data in ")).contains("Data in " + data.toAbsolutePath() + " (durability sync");

            LinkedBlockingQueue<String> second = new LinkedBlockingQueue<>();
            Process other = start(second, "--port", "0", "--admin-port", "0", "--data", data.toString());
            assertThat(other.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(other.exitValue()).isEqualTo(1);
            await().atMost(Duration.ofSeconds(10)).until(() -> second.stream()
                    .anyMatch(l -> l.contains(data.toAbsolutePath() + " is locked")
                            && l.contains("another Herald is running on it")));

            LinkedBlockingQueue<String> export = new LinkedBlockingQueue<>();
            Process busy = start(
                    export,
                    "export",
                    "--data",
                    data.toString(),
                    dir.resolve("x.jsonl").toString());
            assertThat(busy.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(busy.exitValue()).isEqualTo(1);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> export.stream().anyMatch(l -> l.contains("another Herald is running on it")));
            assertThat(dir.resolve("x.jsonl")).doesNotExist();
        } finally {
            server.destroy();
            server.waitFor(30, TimeUnit.SECONDS);
            server.destroyForcibly();
        }
        Path backup = dir.resolve("backup.jsonl");
        LinkedBlockingQueue<String> export = new LinkedBlockingQueue<>();
        Process stopped = start(export, "export", "--data", data.toString(), backup.toString());
        assertThat(stopped.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(stopped.exitValue()).as("%s", export).isZero();
        assertThat(Files.readAllLines(backup)).first().isEqualTo("{\"format\":\"herald-export\",\"version\":1}");
    }

    /** The first line (within 60 s) that contains the text. */
    private static String awaitLine(LinkedBlockingQueue<String> lines, String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            String line = lines.poll(1, TimeUnit.SECONDS);
            if (line != null && line.contains(text)) {
                return line;
            }
        }
        throw new AssertionError("the server printed no line with '" + text + "' within 60 s");
    }

    private static int awaitPort(LinkedBlockingQueue<String> lines) throws InterruptedException {
        return awaitPort(lines, LISTENING);
    }

    private static int awaitPort(LinkedBlockingQueue<String> lines, Pattern pattern) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        StringBuilder seen = new StringBuilder();
        while (System.nanoTime() < deadline) {
            String line = lines.poll(1, TimeUnit.SECONDS);
            if (line == null) {
                continue;
            }
            seen.append(line).append('\n');
            Matcher m = pattern.matcher(line);
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
        }
        throw new AssertionError("the server did not report its port within 60 s; it printed:\n" + seen);
    }
}
