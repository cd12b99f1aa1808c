package dev.herald.server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * How the cluster tests start a node of the server: its command-line options ({@code --cluster-port},
 * {@code --seed}, MQTT and admin HTTP on port 0), its cluster address, and a free port for it.
 */
final class ClusterNodeProcesses {

    private ClusterNodeProcesses() {}

    /** A port that was free a moment ago on 127.0.0.1 (a seed node needs a fixed port). */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** The options of a node on {@code clusterPort} that joins the seed on {@code seedPort}. */
    static String[] args(int clusterPort, int seedPort) {
        return new String[] {
            "--port",
            "0",
            "--admin-port",
            "0",
            "--cluster-port",
            String.valueOf(clusterPort),
            "--seed",
            "127.0.0.1:" + seedPort
        };
    }

    /** Starts the packaged server as such a node and waits until it listens. */
    static ServerProcess start(int clusterPort, int seedPort) throws IOException, InterruptedException {
        return ServerProcess.start(args(clusterPort, seedPort));
    }

    /** The cluster address of the node on {@code clusterPort}. */
    static String address(int clusterPort) {
        return "pekko://herald@127.0.0.1:" + clusterPort;
    }
}
