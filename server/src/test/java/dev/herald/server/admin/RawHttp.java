package dev.herald.server.admin;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** Bytes a well-behaved HTTP client would not send, and everything the server answers until it closes. */
final class RawHttp {

    private static final int READ_TIMEOUT_MS = 10_000;

    private RawHttp() {}

    /** Writes {@code request} and reads until the server closes the connection (or the read times out). */
    static String exchange(int port, String request) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(READ_TIMEOUT_MS);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }
}
