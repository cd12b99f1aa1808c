package dev.herald.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The admin HTTP endpoint {@code GET /cluster} of a node on 127.0.0.1, read as the cluster tests read it. */
final class AdminClient {

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final Duration timeout;

    /** A client whose requests time out after {@code timeout}. */
    AdminClient(Duration timeout) {
        this.timeout = timeout;
    }

    /** The response to {@code GET /cluster}, checked to be 200. */
    HttpResponse<String> getCluster(int adminPort) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/cluster"))
                        .timeout(timeout)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response;
    }

    /** The JSON of {@code GET /cluster}, checked to be 200. */
    JsonNode cluster(int adminPort) throws IOException, InterruptedException {
        return read(getCluster(adminPort));
    }

    /** The response's body as JSON. */
    JsonNode read(HttpResponse<String> response) throws IOException {
        return json.readTree(response.body());
    }
}
