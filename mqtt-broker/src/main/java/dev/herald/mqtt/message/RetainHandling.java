package dev.herald.mqtt.message;

/** When retained messages are sent for a new subscription (MQTT 5.0 section 3.8.3.1). */
public enum RetainHandling {
    SEND_ON_SUBSCRIBE,
    SEND_IF_NEW_SUBSCRIPTION,
    DO_NOT_SEND;

    private static final RetainHandling[] BY_VALUE = values();

    public int value() {
        return ordinal();
    }

    /** The option for a wire value 0..2, or null for 3 (a Protocol Error). */
    public static RetainHandling of(int value) {
        return value >= 0 && value < BY_VALUE.length ? BY_VALUE[value] : null;
    }
}
