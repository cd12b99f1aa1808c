package dev.herald.server.admin.internal;

import java.nio.charset.StandardCharsets;

/** An admin HTTP answer before it is written: status, content type and body. */
public record Reply(int status, String contentType, byte[] body) {

    static final String JSON = "application/json";
    static final String TEXT = "text/plain; charset=utf-8";

    Reply withContentType(String value) {
        return new Reply(status, value, body);
    }

    static Reply text(int status, String body) {
        return new Reply(status, TEXT, body.getBytes(StandardCharsets.UTF_8));
    }
}
