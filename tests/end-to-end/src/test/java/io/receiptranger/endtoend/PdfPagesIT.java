package io.receiptranger.endtoend;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;

import io.receiptranger.kafkalocal.KafkaLocalProcess;

/**
 * Issue 11, "every page of a PDF": an invoice of two pages uploaded to the packaged ingest reaches the
 * model (the packaged extractor's real langchain4j client, a fake OpenAI) as one image holding both
 * pages, page 1 above page 2; a PDF of more pages than RANGER_IMAGES_MAX_PDF_PAGES (5 by default) is
 * refused at upload with a sentence saying so, and never reaches the model.
 */
class PdfPagesIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String READING = """
            {"isValidReceipt":true,"validationError":"","total":"42.00","subtotal":"","tax":"","tip":"",
             "currency":"USD","date":"10/05/2025","vendor":"TWO PAGE INVOICE CO","categories":["Other"],
             "paymentMethods":["Card"],"cardLast4":"","excludeFromTable":false,"exclusionReason":""}""";
    // Each page is an A6 sheet holding one big block of its own colour: page 1 red, page 2 blue.
    private static final float[] RED = { 1, 0, 0 };
    private static final float[] BLUE = { 0, 0, 1 };

    private static KafkaLocalProcess kafka;
    private static WireMockServer openAi;
    private static final List<ServiceProcess> services = new ArrayList<>();
    private static ServiceProcess ingest;

    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startTheSystem() throws Exception {
        kafka = KafkaLocalProcess.start();
        openAi = new WireMockServer(wireMockConfig().dynamicPort());
        openAi.start();
        openAi.stubFor(post(urlPathEqualTo("/v1/chat/completions")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(ReceiptJourneyIT.chatCompletion(READING))));

        Path blobs = Files.createTempDirectory("e2e-pdf-blobs");
        Map<String, String> common = Map.of("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                "RANGER_BLOB_STORE", "file:" + blobs);
        Map<String, String> extractorEnv = new HashMap<>(common);
        extractorEnv.put("OPENAI_API_KEY", "test-key");
        extractorEnv.put("OPENAI_BASE_URL", openAi.baseUrl() + "/v1/");
        services.add(ServiceProcess.start("extractor", extractorEnv));
        ingest = ServiceProcess.start("ingest", common);
        services.add(ingest);
        for (ServiceProcess service : services) {
            service.awaitReady();
        }
    }

    @AfterAll
    static void stopTheSystem() {
        services.forEach(ServiceProcess::close);
        if (openAi != null) {
            openAi.stop();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void aTwoPagePdfReachesTheModelAsOneImageHoldingBothPages() throws Exception {
        // Given an invoice of two pages, page 1 red, page 2 blue
        byte[] pdf = pdf(List.of(RED, BLUE));

        // When it is uploaded
        HttpResponse<String> answer = upload("invoice.pdf", pdf);

        // Then it is one receipt, read by the model in one call
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
        JsonNode batch = JSON.readTree(answer.body());
        assertThat(batch.get("accepted")).hasSize(1);
        awaitStage(batch.get("batchId").asText(), "EXTRACTED");
        assertThat(openAi.getAllServeEvents()).hasSize(1);

        // And the image it was sent is both pages, one under the other: red above, blue below
        JsonNode body = JSON.readTree(openAi.getAllServeEvents().get(0).getRequest().getBodyAsString());
        String url = body.at("/messages/1/content/1/image_url/url").asText();
        assertThat(url).startsWith("data:image/jpeg;base64,");
        BufferedImage sent = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(url.substring(url.indexOf(',') + 1))));
        assertThat((double) sent.getHeight() / sent.getWidth()).as("two A6 pages tall").isCloseTo(2 * 420.0 / 298, org.assertj.core.data.Offset.offset(0.05));
        int x = sent.getWidth() / 2;
        int pageHeight = sent.getHeight() / 2;
        assertThat(colour(sent.getRGB(x, pageHeight / 2))).as("the middle of page 1").isEqualTo("red");
        assertThat(colour(sent.getRGB(x, pageHeight + pageHeight / 2))).as("the middle of page 2").isEqualTo("blue");
    }

    @Test
    void aPdfOfMorePagesThanTheLimitIsRefusedAtUploadWithASentence() throws Exception {
        // Given a PDF of six pages, one more than the default RANGER_IMAGES_MAX_PDF_PAGES
        byte[] pdf = pdf(List.of(RED, BLUE, RED, BLUE, RED, BLUE));
        int callsBefore = openAi.getAllServeEvents().size();

        // When it is uploaded
        HttpResponse<String> answer = upload("long.pdf", pdf);

        // Then the upload is refused with the reason, the file named, and the model never asked
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(422);
        JsonNode problem = JSON.readTree(answer.body());
        assertThat(problem.at("/rejected/0/fileName").asText()).isEqualTo("long.pdf");
        assertThat(problem.at("/rejected/0/status").asInt()).isEqualTo(422);
        assertThat(problem.at("/rejected/0/error").asText()).isEqualTo("the PDF has 6 pages; at most 5 are read");
        assertThat(openAi.getAllServeEvents()).hasSize(callsBefore);
    }

    private HttpResponse<String> upload(String name, byte[] pdf) throws Exception {
        Multipart form = new Multipart().file("files", name, "application/pdf", pdf);
        return http.send(HttpRequest.newBuilder(ingest.url("/api/batches")).timeout(Duration.ofMinutes(2))
                .header("Content-Type", form.contentType()).POST(HttpRequest.BodyPublishers.ofByteArray(form.bytes())).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private void awaitStage(String batchId, String stage) {
        await(batchId + " " + stage).atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
            HttpResponse<String> view = http.send(HttpRequest.newBuilder(ingest.url("/api/batches/" + batchId)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(view.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(view.body()).at("/receipts/0/stage").asText()).as(view.body()).isEqualTo(stage);
        });
    }

    /** "red", "blue", "white" or "other" (JPEG moves colours a little). */
    private static String colour(int rgb) {
        int r = (rgb >> 16) & 0xFF;
        int g = (rgb >> 8) & 0xFF;
        int b = rgb & 0xFF;
        if (r > 180 && g < 80 && b < 80) {
            return "red";
        }
        if (b > 180 && r < 80 && g < 80) {
            return "blue";
        }
        return r > 200 && g > 200 && b > 200 ? "white" : "other";
    }

    /** A PDF 1.4 written by hand: one A6 page per colour, a block of that colour filling most of it. */
    static byte[] pdf(List<float[]> pageColours) {
        int pages = pageColours.size();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<Integer> offsets = new ArrayList<>();
        write(out, "%PDF-1.4\n%\u00e2\u00e3\n");
        offsets.add(out.size());
        write(out, "1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n");
        StringBuilder kids = new StringBuilder();
        for (int i = 0; i < pages; i++) {
            kids.append(3 + 2 * i).append(" 0 R ");
        }
        offsets.add(out.size());
        write(out, "2 0 obj << /Type /Pages /Kids [" + kids + "] /Count " + pages + " >> endobj\n");
        for (int i = 0; i < pages; i++) {
            float[] c = pageColours.get(i);
            byte[] content = String.format(java.util.Locale.ROOT, "%.1f %.1f %.1f rg 30 40 238 340 re f\n", c[0], c[1], c[2])
                    .getBytes(StandardCharsets.US_ASCII);
            offsets.add(out.size());
            write(out, (3 + 2 * i) + " 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 298 420] /Contents " + (4 + 2 * i)
                    + " 0 R >> endobj\n");
            offsets.add(out.size());
            write(out, (4 + 2 * i) + " 0 obj << /Length " + content.length + " >> stream\n");
            out.writeBytes(content);
            write(out, "endstream endobj\n");
        }
        int xref = out.size();
        StringBuilder table = new StringBuilder("xref\n0 " + (offsets.size() + 1) + "\n0000000000 65535 f \n");
        for (int offset : offsets) {
            table.append(String.format("%010d 00000 n \n", offset));
        }
        write(out, table + "trailer << /Size " + (offsets.size() + 1) + " /Root 1 0 R >>\nstartxref\n" + xref + "\n%%EOF\n");
        return out.toByteArray();
    }

    private static void write(ByteArrayOutputStream out, String text) {
        out.writeBytes(text.getBytes(StandardCharsets.ISO_8859_1));
    }
}
