package dev.herald.mqtt.broker.malformed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.mqtt.codec.DecodeError;
import dev.herald.mqtt.codec.DecodeResult;
import dev.herald.mqtt.codec.MqttDecoder;
import dev.herald.mqtt.codec.MqttEncoder;
import dev.herald.mqtt.message.ConnAck;
import dev.herald.mqtt.message.Connect;
import dev.herald.mqtt.message.MqttPacket;
import dev.herald.mqtt.message.MqttVersion;
import dev.herald.mqtt.message.property.Properties;
import dev.herald.mqtt.message.reason.ConnectReasonCode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.HexFormat;
import org.apache.pekko.util.ByteString;

/**
 * A raw MQTT connection to the broker under test on 127.0.0.1: writes any bytes, reads packets by
 * framing them with {@link MqttDecoder#frameLength} and decoding them with a decoder of the version in
 * use. Every read has a deadline, so a broker that hangs fails the test instead of blocking it.
 */
final class RawConnection implements AutoCloseable {

    /** Default for a single read when no deadline is given. */
    static final Duration READ_TIMEOUT = Duration.ofSeconds(5);

    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final byte[] chunk = new byte[8192];
    private ByteString buffer = ByteString.emptyByteString();
    private MqttVersion version = MqttVersion.V5;
    /** How the broker ended the connection, once it has: a FIN or a RST. */
    private String ending = "open";

    private RawConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    static RawConnection open(int port) {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
            socket.connect(new InetSocketAddress("127.0.0.1", port), CONNECT_TIMEOUT_MILLIS);
            return new RawConnection(socket);
        } catch (IOException e) {
            closeQuietly(socket);
            throw new UncheckedIOException("cannot connect to 127.0.0.1:" + port, e);
        }
    }

    /** The version packets are encoded and decoded in; a successful {@link #connect} sets it. */
    MqttVersion version() {
        return version;
    }

    RawConnection send(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + bytes.length + " bytes", e);
        }
    }

    /** Writes {@code bytes}, returning false when the broker had already closed the connection. */
    boolean trySend(byte[] bytes) {
        try {
            send(bytes);
            return true;
        } catch (UncheckedIOException e) {
            return false;
        }
    }

    RawConnection send(MqttPacket packet) {
        return send(MqttEncoder.encode(packet, version).toArray());
    }

    /** A CONNECT with a clean start, no keep alive and no properties, in {@code v}. */
    static Connect connectPacket(MqttVersion v, String clientId) {
        return new Connect(v, true, 0, clientId, Properties.EMPTY, null, null, null);
    }

    /** Sends a CONNECT in {@code v} and expects a successful CONNACK; later packets use {@code v}. */
    RawConnection connect(MqttVersion v, String clientId) {
        version = v;
        send(connectPacket(v, clientId));
        MqttPacket answer = readPacket();
        assertThat(answer).as("answer to CONNECT of %s", clientId).isInstanceOf(ConnAck.class);
        assertThat(((ConnAck) answer).reasonCode()).isEqualTo(ConnectReasonCode.SUCCESS);
        return this;
    }

    MqttPacket readPacket() {
        return readPacket(version, READ_TIMEOUT);
    }

    /** Reads one whole packet and decodes it in {@code v}; fails on EOF, timeout or undecodable bytes. */
    MqttPacket readPacket(MqttVersion v, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            int length = MqttDecoder.frameLength(buffer);
            if (length == MqttDecoder.BAD_LENGTH) {
                throw new AssertionError("broker sent a bad remaining length: " + hex(buffer));
            }
            if (length > 0 && buffer.length() >= length) {
                ByteString packet = buffer.take(length).compact();
                buffer = buffer.drop(length);
                DecodeResult result = new MqttDecoder(v).decode(packet);
                if (result instanceof DecodeError error) {
                    throw new AssertionError("broker sent undecodable " + v + " packet " + hex(packet) + ": " + error);
                }
                return (MqttPacket) result;
            }
            int n = readChunk(deadline);
            if (n == -2) {
                throw new AssertionError("no whole packet within " + within + "; have " + hex(buffer));
            }
            if (n < 0) {
                throw new AssertionError("connection " + ending + " before a whole packet; have [" + hex(buffer) + "]");
            }
        }
    }

    /**
     * Reads until the broker closes the connection, failing when it is still open after {@code within}.
     * Returns the bytes that came before the end (empty when the broker sent nothing more).
     */
    byte[] expectClosed(Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            int n = readChunk(deadline);
            if (n == -1) {
                return buffer.toArray();
            }
            if (n == -2) {
                throw new AssertionError(
                        "connection still open after " + within + "; received meanwhile [" + hex(buffer) + "]");
            }
        }
    }

    /** Whether the broker sent anything or closed the connection within {@code within}. */
    boolean answersOrCloses(Duration within) {
        if (!buffer.isEmpty()) {
            return true;
        }
        return readChunk(System.nanoTime() + within.toNanos()) != -2;
    }

    /** Reads what arrives into the buffer: the count, -1 at the end of the stream, -2 at the deadline. */
    private int readChunk(long deadlineNanos) {
        long leftMillis = Duration.ofNanos(deadlineNanos - System.nanoTime()).toMillis();
        if (leftMillis <= 0) {
            return -2;
        }
        try {
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, leftMillis));
            int n = in.read(chunk);
            if (n > 0) {
                buffer = buffer.concat(ByteString.fromArray(chunk, 0, n));
                return n;
            }
            ending = "closed (FIN)";
            return -1;
        } catch (SocketTimeoutException e) {
            return -2;
        } catch (SocketException e) {
            ending = "reset (" + e.getMessage() + ")"; // closed as well, without flushing what was queued
            return -1;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Closes at once with a TCP RST instead of a FIN. */
    void abort() {
        try {
            socket.setSoLinger(true, 0);
        } catch (SocketException e) {
            // already closed: nothing to abort
        }
        close();
    }

    @Override
    public void close() {
        closeQuietly(socket);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    /** Bytes from hex digits; whitespace is ignored, so spec bytes can be grouped. */
    static byte[] hex(String digits) {
        return HexFormat.of().parseHex(digits.replaceAll("\\s+", ""));
    }

    static String hex(ByteString bytes) {
        return hex(bytes.toArray());
    }

    static String hex(byte[] bytes) {
        return HexFormat.ofDelimiter(" ").formatHex(bytes);
    }
}
