package dev.herald.mqtt.broker.internal;

import dev.herald.mqtt.broker.PublishListener;
import dev.herald.mqtt.filter.PacketFilter;
import java.util.List;

/** What the application added to every connection: who sees client publishes, and the packet filters in order. */
record Extensions(PublishListener listener, List<PacketFilter> filters) {

    Extensions {
        filters = List.copyOf(filters);
    }
}
