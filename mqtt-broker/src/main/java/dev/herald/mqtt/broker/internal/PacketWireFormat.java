package dev.herald.mqtt.broker.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import dev.herald.mqtt.codec.DecodeResult;
import dev.herald.mqtt.codec.MqttDecoder;
import dev.herald.mqtt.codec.MqttEncoder;
import dev.herald.mqtt.message.Connect;
import dev.herald.mqtt.message.MqttPacket;
import dev.herald.mqtt.message.MqttVersion;
import dev.herald.mqtt.message.Will;
import dev.herald.mqtt.message.property.Properties;
import java.io.IOException;
import org.apache.pekko.util.ByteString;

/**
 * Packets and Wills in messages between nodes: one binary value holding the packet as the broker's own
 * codec writes it in MQTT 5, so every property survives (a packet of a 3.1.1 client has none to lose).
 * Any packet type decodes, server-to-client ones (SUBACK, PUBACK, ...) too. A Will travels as a CONNECT
 * that carries only it, the one packet whose encoding has a Will with its Will Properties.
 */
final class PacketWireFormat {

    private static final MqttVersion VERSION = MqttVersion.V5;

    private PacketWireFormat() {}

    static final class PacketSerializer extends StdSerializer<MqttPacket> {

        PacketSerializer() {
            super(MqttPacket.class);
        }

        @Override
        public void serialize(MqttPacket packet, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeBinary(MqttEncoder.encode(packet, VERSION).toArrayUnsafe());
        }
    }

    /** Reads any packet, and fails unless it is a {@code type}: the type of the field it is read for. */
    static final class PacketDeserializer<T extends MqttPacket> extends StdDeserializer<T> {

        private final Class<T> type;

        PacketDeserializer(Class<T> type) {
            super(type);
            this.type = type;
        }

        @Override
        public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            MqttPacket packet = decode(p, ctxt, type);
            return type.isInstance(packet)
                    ? type.cast(packet)
                    : ctxt.reportInputMismatch(this, "expected a %s, got a %s", type.getSimpleName(), packet.type());
        }
    }

    static final class WillSerializer extends StdSerializer<Will> {

        WillSerializer() {
            super(Will.class);
        }

        @Override
        public void serialize(Will will, JsonGenerator gen, SerializerProvider provider) throws IOException {
            Connect carrier = new Connect(VERSION, false, 0, "", Properties.EMPTY, will, null, null);
            gen.writeBinary(MqttEncoder.encode(carrier, VERSION).toArrayUnsafe());
        }
    }

    static final class WillDeserializer extends StdDeserializer<Will> {

        WillDeserializer() {
            super(Will.class);
        }

        @Override
        public Will deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (decode(p, ctxt, Will.class) instanceof Connect carrier && carrier.will() != null) {
                return carrier.will();
            }
            return ctxt.reportInputMismatch(this, "expected a CONNECT carrying a Will");
        }
    }

    private static MqttPacket decode(JsonParser p, DeserializationContext ctxt, Class<?> forType) throws IOException {
        // A decoder per packet: it keeps a scratch buffer and is not thread-safe.
        DecodeResult result = new MqttDecoder(VERSION).decode(ByteString.fromArrayUnsafe(p.getBinaryValue()));
        if (result instanceof MqttPacket packet) {
            return packet;
        }
        return ctxt.reportInputMismatch(forType, "undecodable %s: %s", forType.getSimpleName(), result);
    }
}
