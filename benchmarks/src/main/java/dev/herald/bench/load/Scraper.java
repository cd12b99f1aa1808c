package dev.herald.bench.load;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Scrapes an HTTP endpoint (the broker's {@code /metrics}) at a fixed interval while a scenario runs,
 * one request at a time, to measure what being scraped costs the broker. Without a URL it does nothing.
 */
final class Scraper implements AutoCloseable {

    private final ScheduledExecutorService timer;
    private final AtomicLong ok = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong nanos = new AtomicLong();

    private Scraper(String url, int everyMillis) {
        if (url == null) {
            timer = null;
            return;
        }
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(2))
                .GET()
                .build();
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "scraper");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(
                () -> {
                    long t0 = System.nanoTime();
                    try {
                        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                        if (response.statusCode() == 200) {
                            ok.incrementAndGet();
                            bytes.addAndGet(response.body().length);
                            nanos.addAndGet(System.nanoTime() - t0);
                        } else {
                            failed.incrementAndGet();
                        }
                    } catch (Exception e) {
                        failed.incrementAndGet();
                    }
                },
                0,
                everyMillis,
                TimeUnit.MILLISECONDS);
    }

    static Scraper start(String url, int everyMillis) {
        return new Scraper(url, everyMillis);
    }

    /** Scrapes done and failed, the mean response time and size; empty when not scraping. */
    Map<String, Object> figures() {
        Map<String, Object> f = new LinkedHashMap<>();
        if (timer != null) {
            long n = ok.get();
            f.put("scrapes", n);
            f.put("scrape_failures", failed.get());
            f.put("scrape_mean_ms", n == 0 ? 0 : Math.round(nanos.get() / 1e4 / n) / 100.0);
            f.put("scrape_bytes", n == 0 ? 0 : bytes.get() / n);
        }
        return f;
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
