package io.sparkgrad.spark.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** What the Master's web UI reports at {@code /json/}: its URL, state and live workers. */
record MasterStatus(String url, String status, int aliveWorkers) {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(3);
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .connectTimeout(REQUEST_TIMEOUT)
          .proxy(HttpClient.Builder.NO_PROXY)
          .build();

  boolean isAlive() {
    return "ALIVE".equals(status);
  }

  /** One request to {@code http://127.0.0.1:<webUiPort>/json/}. */
  static MasterStatus fetch(int webUiPort) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + webUiPort + "/json/"))
            .timeout(REQUEST_TIMEOUT)
            .build();
    HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException("HTTP " + response.statusCode() + " from " + request.uri());
    }
    JsonNode root = JSON.readTree(response.body());
    int alive = 0;
    for (JsonNode worker : root.path("workers")) {
      if ("ALIVE".equals(worker.path("state").asText())) {
        alive++;
      }
    }
    return new MasterStatus(root.path("url").asText(), root.path("status").asText(), alive);
  }
}
