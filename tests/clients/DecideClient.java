// A client written the way a Java case system calls the service: java.net.http.HttpClient with its
// defaults (HTTP/2 preferred, so a plain-HTTP request offers an h2c upgrade), the body sent as a
// UTF-8 string, Content-Type spelled "application/json; charset=UTF-8".
// Run: java DecideClient.java BASE_URL REQUEST.json [REQUEST.json ...]  (one JVM for every request).
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

public class DecideClient {
    public static void main(String[] args) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        for (int i = 1; i < args.length; i++) {
            String body = Files.readString(Path.of(args[i]), StandardCharsets.UTF_8);
            HttpRequest request = HttpRequest.newBuilder(URI.create(args[0] + "/api/decide?for=applicant"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json; charset=UTF-8")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
            HttpResponse<String> response =
                client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            // Three lines per request: the status, the content type, the body (compact JSON).
            System.out.println(response.statusCode());
            System.out.println(response.headers().firstValue("content-type").orElse(""));
            System.out.println(response.body());
        }
    }
}
