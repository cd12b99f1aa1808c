package dev.herald.bench.store;

import dev.herald.mqtt.codec.DecodeResult;
import dev.herald.mqtt.codec.MqttDecoder;
import dev.herald.mqtt.codec.MqttEncoder;
import dev.herald.mqtt.message.ConnAck;
import dev.herald.mqtt.message.Connect;
import dev.herald.mqtt.message.Disconnect;
import dev.herald.mqtt.message.MqttPacket;
import dev.herald.mqtt.message.MqttVersion;
import dev.herald.mqtt.message.PubAck;
import dev.herald.mqtt.message.Publish;
import dev.herald.mqtt.message.property.MqttProperty;
import dev.herald.mqtt.message.property.Properties;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.apache.pekko.util.ByteString;

/**
 * One MQTT 5 client over a plain socket that resumes a persistent session (Clean Start 0) and, when the
 * session has a message queued, waits for it and acknowledges it; times both.
 */
final class ResumeClient {

    private static final int TIMEOUT_MILLIS = 30_000;

    /** How a resume went: CONNACK's Session Present, and milliseconds to CONNACK and to the queued message. */
    record Resume(boolean sessionPresent, double connAckMillis, double messageMillis) {}

    private ResumeClient() {}

    static Resume resume(int port, String clientId, boolean expectMessage) throws IOException {
        long t0 = System.nanoTime();
        try (Socket socket = new Socket()) {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MILLIS);
            OutputStream out = socket.getOutputStream();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            Properties props = Properties.builder()
                    .add(MqttProperty.SESSION_EXPIRY_INTERVAL, StoreFiller.SESSION_EXPIRY)
                    .build();
            write(out, new Connect(MqttVersion.V5, false, 0, clientId, props, null, null, null));
            MqttPacket first = read(in);
            if (!(first instanceof ConnAck ack)) {
                throw new IOException("expected CONNACK, got " + first);
            }
            double connAck = (System.nanoTime() - t0) / 1e6;
            double message = Double.NaN;
            if (expectMessage) {
                MqttPacket next = read(in);
                if (!(next instanceof Publish p)) {
                    throw new IOException("expected the queued PUBLISH, got " + next);
                }
                message = (System.nanoTime() - t0) / 1e6;
                write(out, new PubAck(p.packetId()));
            }
            write(out, Disconnect.NORMAL);
            return new Resume(ack.sessionPresent(), connAck, message);
        }
    }

    private static void write(OutputStream out, MqttPacket packet) throws IOException {
        out.write(MqttEncoder.encode(packet, MqttVersion.V5).toArray());
        out.flush();
    }

    /** One whole packet: the fixed header's remaining length says how much to read. */
    private static MqttPacket read(DataInputStream in) throws IOException {
        ByteArrayOutputStream packet = new ByteArrayOutputStream();
        packet.write(in.readUnsignedByte());
        int remaining = 0;
        int shift = 0;
        int b;
        do {
            b = in.readUnsignedByte();
            packet.write(b);
            remaining |= (b & 0x7F) << shift;
            shift += 7;
        } while ((b & 0x80) != 0 && shift < 28);
        byte[] body = new byte[remaining];
        in.readFully(body);
        packet.write(body);
        DecodeResult result = new MqttDecoder(MqttVersion.V5).decode(ByteString.fromArray(packet.toByteArray()));
        if (result instanceof MqttPacket p) {
            return p;
        }
        throw new IOException("undecodable packet: " + result);
    }
}
