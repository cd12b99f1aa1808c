package dev.herald.mqtt.broker;

import dev.herald.mqtt.codec.DecodeResult;
import dev.herald.mqtt.codec.MqttDecoder;
import dev.herald.mqtt.codec.MqttEncoder;
import dev.herald.mqtt.message.ConnAck;
import dev.herald.mqtt.message.Connect;
import dev.herald.mqtt.message.Disconnect;
import dev.herald.mqtt.message.MqttPacket;
import dev.herald.mqtt.message.MqttVersion;
import dev.herald.mqtt.message.Publish;
import dev.herald.mqtt.message.QoS;
import dev.herald.mqtt.message.Subscribe;
import dev.herald.mqtt.message.Subscription;
import dev.herald.mqtt.message.Will;
import dev.herald.mqtt.message.property.MqttProperty;
import dev.herald.mqtt.message.property.Properties;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.util.ByteString;

/**
 * A hand-driven MQTT client over a plain socket on 127.0.0.1, for what real client libraries will
 * not do: close without DISCONNECT, stop reading, break the protocol, or hold an exchange half done.
 * Packets are written with {@link MqttEncoder} and read back with {@link MqttDecoder}; every read has
 * a deadline, so a test never hangs on a silent broker.
 */
final class RawMqttClient implements AutoCloseable {

    static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final MqttVersion version;
    private final MqttDecoder decoder;
    private ByteString buffer = ByteString.emptyByteString();
    private ByteString lastFrame = ByteString.emptyByteString();

    private RawMqttClient(Socket socket, MqttVersion version) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.version = version;
        this.decoder = new MqttDecoder(version);
    }

    static RawMqttClient open(int port, MqttVersion version) throws IOException {
        return open(port, version, 0);
    }

    /** With a receive buffer of {@code receiveBufferSize} bytes (0: the default), set before connecting. */
    static RawMqttClient open(int port, MqttVersion version, int receiveBufferSize) throws IOException {
        Socket socket = new Socket();
        if (receiveBufferSize > 0) {
            socket.setReceiveBufferSize(receiveBufferSize);
        }
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress("127.0.0.1", port), (int) TIMEOUT.toMillis());
        return new RawMqttClient(socket, version);
    }

    /** A CONNECT of this client's version. */
    Connect connectPacket(String clientId, boolean cleanStart, int keepAlive, Properties properties, Will will) {
        return new Connect(version, cleanStart, keepAlive, clientId, properties, will, null, null);
    }

    /** Sends CONNECT and returns the CONNACK. */
    ConnAck connect(Connect connect) throws IOException {
        send(connect);
        return expect(ConnAck.class);
    }

    /** Connects with a session that outlives the connection by {@code sessionExpiry} seconds (MQTT 5). */
    ConnAck connect(String clientId, boolean cleanStart, long sessionExpiry, Will will) throws IOException {
        Properties props = version == MqttVersion.V5 && sessionExpiry > 0
                ? Properties.builder()
                        .add(MqttProperty.SESSION_EXPIRY_INTERVAL, sessionExpiry)
                        .build()
                : Properties.EMPTY;
        return connect(connectPacket(clientId, cleanStart, 60, props, will));
    }

    void subscribe(int packetId, String filter, QoS qos) throws IOException {
        send(new Subscribe(packetId, Properties.EMPTY, List.of(new Subscription(filter, qos))));
    }

    void publish(String topic, QoS qos, int packetId, boolean dup, String payload) throws IOException {
        send(new Publish(topic, qos, false, dup, packetId, Properties.EMPTY, utf8(payload)));
    }

    void send(MqttPacket packet) throws IOException {
        out.write(MqttEncoder.encode(packet, version).toArray());
        out.flush();
    }

    /** Writes bytes as they are, for packets the encoder would not produce. */
    void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** The next packet within {@link #TIMEOUT}; fails on a timeout, a closed socket or undecodable bytes. */
    MqttPacket read() throws IOException {
        return read(TIMEOUT);
    }

    MqttPacket read(Duration timeout) throws IOException {
        MqttPacket packet = readOrNull(timeout);
        if (packet == null) {
            throw new AssertionError("the broker closed the connection instead of sending a packet");
        }
        return packet;
    }

    /** The next packet, which must be a {@code type}. */
    <T extends MqttPacket> T expect(Class<T> type) throws IOException {
        MqttPacket packet = read();
        if (!type.isInstance(packet)) {
            throw new AssertionError("expected " + type.getSimpleName() + " but got " + packet);
        }
        return type.cast(packet);
    }

    /**
     * Reads packets until the broker closes the connection and returns them, a DISCONNECT without its
     * Reason String (human text, checked on its own with {@link #readUntilClosedVerbatim}); fails if
     * the connection is still open after {@code timeout}.
     */
    List<MqttPacket> readUntilClosed(Duration timeout) throws IOException {
        List<MqttPacket> packets = readUntilClosedVerbatim(timeout);
        packets.replaceAll(p -> p instanceof Disconnect d
                ? new Disconnect(d.reasonCode(), d.properties().without(MqttProperty.REASON_STRING))
                : p);
        return packets;
    }

    /** Reads packets until the broker closes the connection and returns them as they came. */
    List<MqttPacket> readUntilClosedVerbatim(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<MqttPacket> packets = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            MqttPacket packet = readOrNull(Duration.ofNanos(left));
            if (packet == null) {
                return packets;
            }
            packets.add(packet);
        }
        throw new AssertionError("the connection is still open after " + timeout + "; read " + packets);
    }

    /** The bytes of the last packet read, fixed header included. */
    byte[] lastFrame() {
        return lastFrame.toArray();
    }

    /** Null when the broker closed the connection. */
    private MqttPacket readOrNull(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        byte[] chunk = new byte[8192];
        for (int i = 0; i < 1_000_000; i++) {
            int length = MqttDecoder.frameLength(buffer);
            if (length > 0 && buffer.length() >= length) {
                lastFrame = buffer.take(length);
                buffer = buffer.drop(length);
                DecodeResult result = decoder.decode(lastFrame);
                if (!(result instanceof MqttPacket packet)) {
                    throw new AssertionError("undecodable packet from the broker: " + result);
                }
                return packet;
            }
            if (length == MqttDecoder.BAD_LENGTH) {
                throw new AssertionError("malformed remaining length from the broker");
            }
            long leftMillis = (deadline - System.nanoTime()) / 1_000_000;
            if (leftMillis <= 0) {
                throw new AssertionError("no complete packet from the broker within " + timeout);
            }
            socket.setSoTimeout((int) Math.max(1, leftMillis));
            int n;
            try {
                n = in.read(chunk);
            } catch (SocketTimeoutException e) {
                continue;
            } catch (SocketException e) {
                return null; // reset by the broker: closed all the same
            }
            if (n < 0) {
                return null;
            }
            buffer = buffer.concat(ByteString.fromArray(chunk, 0, n));
        }
        throw new AssertionError("read loop exhausted");
    }

    /** Closes the socket without DISCONNECT: to the broker, the network connection was lost. */
    @Override
    public void close() throws IOException {
        socket.close();
    }

    static ByteString utf8(String s) {
        return ByteString.fromString(s, StandardCharsets.UTF_8);
    }

    static String text(ByteString bytes) {
        return bytes.utf8String();
    }
}
