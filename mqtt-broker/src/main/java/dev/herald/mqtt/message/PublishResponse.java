package dev.herald.mqtt.message;

import dev.herald.mqtt.message.property.Properties;
import dev.herald.mqtt.message.reason.ReasonCode;

/** What PUBACK, PUBREC, PUBREL and PUBCOMP have in common: a packet id, a reason and properties. */
public interface PublishResponse {

    int packetId();

    ReasonCode reasonCode();

    Properties properties();
}
