package dev.herald.mqtt.message;

import dev.herald.mqtt.codec.DecodeResult;

/** An MQTT control packet. Every implementation is an immutable record. */
public sealed interface MqttPacket extends DecodeResult
        permits Connect,
                ConnAck,
                Publish,
                PubAck,
                PubRec,
                PubRel,
                PubComp,
                Subscribe,
                SubAck,
                Unsubscribe,
                UnsubAck,
                PingReq,
                PingResp,
                Disconnect,
                Auth {

    PacketType type();
}
