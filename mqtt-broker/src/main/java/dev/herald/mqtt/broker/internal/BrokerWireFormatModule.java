package dev.herald.mqtt.broker.internal;

import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.herald.mqtt.message.MqttPacket;
import dev.herald.mqtt.message.Will;
import dev.herald.mqtt.store.internal.OnCommit;

/**
 * The Jackson module for the broker's messages that cross nodes (Pekko's jackson-cbor serializer loads
 * it through pekko.serialization.jackson.jackson-modules). Records and enums need nothing; typed actor
 * refs are Pekko's own module's. Packets and Wills go as the MQTT 5 bytes of the broker's codec
 * ({@link PacketWireFormat}), a shared group as its name and filter, a store callback only as null
 * ({@link DeliveryWireFormat}).
 */
public final class BrokerWireFormatModule extends SimpleModule {

    public BrokerWireFormatModule() {
        super("herald-broker-wire-format");
        addSerializer(MqttPacket.class, new PacketWireFormat.PacketSerializer());
        addPacket(MqttPacket.class);
        for (Class<?> type : MqttPacket.class.getPermittedSubclasses()) {
            addPacket(type.asSubclass(MqttPacket.class)); // a field may be declared as one packet type
        }
        addSerializer(Will.class, new PacketWireFormat.WillSerializer());
        addDeserializer(Will.class, new PacketWireFormat.WillDeserializer());
        addSerializer(SharedGroup.class, new DeliveryWireFormat.SharedGroupSerializer());
        addDeserializer(SharedGroup.class, new DeliveryWireFormat.SharedGroupDeserializer());
        addSerializer(OnCommit.class, new DeliveryWireFormat.OnCommitSerializer());
        addDeserializer(OnCommit.class, new DeliveryWireFormat.OnCommitDeserializer());
    }

    private <T extends MqttPacket> void addPacket(Class<T> type) {
        addDeserializer(type, new PacketWireFormat.PacketDeserializer<>(type));
    }
}
