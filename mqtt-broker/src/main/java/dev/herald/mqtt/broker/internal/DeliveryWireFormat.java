package dev.herald.mqtt.broker.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import dev.herald.mqtt.store.internal.OnCommit;
import java.io.IOException;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * What a delivery carries that is this node's own: the shared group it was routed through, sent as a
 * reference (name and filter) the receiving session resolves, and what its acknowledgement waits for:
 * a {@link DurableAck} goes as the connection to tell and the id; any other store callback cannot go.
 */
final class DeliveryWireFormat {

    private static final String NAME = "name";
    private static final String FILTER = "filter";
    private static final String CONNECTION = "connection";
    private static final String ID = "id";

    private DeliveryWireFormat() {}

    /** The group's name and filter; its members and counters are the sending node's routing snapshot. */
    static final class SharedGroupSerializer extends StdSerializer<SharedGroup> {

        SharedGroupSerializer() {
            super(SharedGroup.class);
        }

        @Override
        public void serialize(SharedGroup group, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeStartObject();
            gen.writeStringField(NAME, group.name());
            gen.writeStringField(FILTER, group.filter());
            gen.writeEndObject();
        }
    }

    /** A group of that name and filter with no members ({@link SharedGroup#reference}). */
    static final class SharedGroupDeserializer extends StdDeserializer<SharedGroup> {

        SharedGroupDeserializer() {
            super(SharedGroup.class);
        }

        @Override
        public SharedGroup deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonNode node = ctxt.readTree(p);
            JsonNode name = node.get(NAME);
            JsonNode filter = node.get(FILTER);
            if (name == null || !name.isTextual() || filter == null || !filter.isTextual()) {
                return ctxt.reportInputMismatch(this, "a shared group needs a name and a filter, got %s", node);
            }
            return SharedGroup.reference(name.textValue(), filter.textValue());
        }
    }

    /**
     * An acknowledgement that waits for the receiving session ({@link DurableAck}) goes as its connection
     * and id: the session tells that connection once it has the message. Any other store callback is a
     * function of this node and fails the message instead of being dropped: dropping it would leave the
     * acknowledgement it holds back (PUBACK, PUBREC) waiting, a hang with nothing in the log.
     */
    static final class OnCommitSerializer extends StdSerializer<OnCommit> {

        OnCommitSerializer() {
            super(OnCommit.class);
        }

        @Override
        public void serialize(OnCommit value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            if (value instanceof DurableAck ack) {
                gen.writeStartObject();
                provider.defaultSerializeField(CONNECTION, ack.connection(), gen);
                gen.writeNumberField(ID, ack.id());
                gen.writeEndObject();
                return;
            }
            throw JsonMappingException.from(
                    gen,
                    "An OnCommit store callback cannot cross nodes: it waits for this node's store, and persistence"
                            + " must be off in a cluster (got "
                            + value.getClass().getName() + ")");
        }
    }

    /** An acknowledgement for a connection, as {@link OnCommitSerializer} writes it. */
    static final class OnCommitDeserializer extends StdDeserializer<OnCommit> {

        OnCommitDeserializer() {
            super(OnCommit.class);
        }

        @Override
        public OnCommit deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonNode node = ctxt.readTree(p);
            JsonNode connection = node.get(CONNECTION);
            JsonNode id = node.get(ID);
            if (connection == null || id == null || !id.canConvertToLong()) {
                return ctxt.reportInputMismatch(this, "an acknowledgement needs a connection and an id, got %s", node);
            }
            ActorRef<ConnectionActor.Command> to = ctxt.readTreeAsValue(
                    connection,
                    ctxt.getTypeFactory().constructParametricType(ActorRef.class, ConnectionActor.Command.class));
            return new DurableAck(to, id.longValue());
        }
    }
}
