package dev.herald.mqtt.auth;

import dev.herald.mqtt.message.reason.ConnectReasonCode;
import java.util.Objects;
import org.apache.pekko.util.ByteString;

/** What an authentication step decided (MQTT 5.0 sections 3.1.4 and 4.12). */
public sealed interface AuthOutcome {

    /**
     * The client is who it says: {@code username} is the identity authorization sees (null for an
     * anonymous client); {@code serverData} goes to the client as Authentication Data in the CONNACK or
     * the final AUTH of enhanced authentication (empty when there is none).
     */
    record Accepted(String username, ByteString serverData) implements AuthOutcome {
        public Accepted {
            Objects.requireNonNull(serverData, "serverData");
        }

        public Accepted(String username) {
            this(username, ByteString.emptyByteString());
        }
    }

    /** Enhanced authentication goes on: {@code serverData} goes to the client in AUTH 0x18. */
    record Challenge(ByteString serverData) implements AuthOutcome {
        public Challenge {
            Objects.requireNonNull(serverData, "serverData");
        }
    }

    /** The client is refused; {@code detail} is logged, never sent to the client. */
    record Refused(Reason reason, String detail) implements AuthOutcome {
        public Refused {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
        }
    }

    /** Why a client is refused; each maps to the CONNACK reason code of both MQTT versions. */
    enum Reason {
        /** 0x86 Bad User Name or Password (3.1.1: 0x04). */
        BAD_CREDENTIALS,
        /** 0x87 Not authorized (3.1.1: 0x05). */
        NOT_AUTHORIZED,
        /** 0x8A Banned (3.1.1: 0x05). */
        BANNED,
        /** 0x8C Bad authentication method (3.1.1: 0x04). */
        BAD_METHOD,
        /** 0x88 Server unavailable (3.1.1: 0x03): the check itself failed, not the client. */
        UNAVAILABLE;

        /** The CONNACK reason code; the encoder maps it to the 3.1.1 return code. */
        public ConnectReasonCode connectReasonCode() {
            return switch (this) {
                case BAD_CREDENTIALS -> ConnectReasonCode.BAD_USER_NAME_OR_PASSWORD;
                case NOT_AUTHORIZED -> ConnectReasonCode.NOT_AUTHORIZED;
                case BANNED -> ConnectReasonCode.BANNED;
                case BAD_METHOD -> ConnectReasonCode.BAD_AUTHENTICATION_METHOD;
                case UNAVAILABLE -> ConnectReasonCode.SERVER_UNAVAILABLE;
            };
        }
    }

    static AuthOutcome accepted(String username) {
        return new Accepted(username);
    }

    static AuthOutcome refused(Reason reason, String detail) {
        return new Refused(reason, detail);
    }
}
