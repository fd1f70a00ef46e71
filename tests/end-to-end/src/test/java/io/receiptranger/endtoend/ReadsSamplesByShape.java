package io.receiptranger.endtoend;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

/**
 * A fake vision model that reads the sample receipts perfectly: it recognises which sample it was
 * sent by the picture's size (rotation aside; a rendered PDF page by its proportions) and answers
 * with that sample's truth ({@code samples/receipts/truth.json}). The receipt paid with the card
 * ending 1234 is excluded when the prompt's criteria name that card. A picture it does not know is
 * answered "not a receipt" with a reason that says so, which the tests would show.
 */
final class ReadsSamplesByShape implements ResponseDefinitionTransformerV2 {

    static final String NAME = "reads-samples-by-shape";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern IMAGE = Pattern.compile("data:image/[a-z]+;base64,([A-Za-z0-9+/=]+)");

    private record Sample(String file, int shortSide, int longSide, JsonNode truth) {
    }

    private final List<Sample> samples = new ArrayList<>();
    final AtomicInteger calls = new AtomicInteger();

    ReadsSamplesByShape(Path truthJson) {
        try {
            for (JsonNode f : JSON.readTree(truthJson.toFile()).path("files")) {
                int w = f.path("width").asInt();
                int h = f.path("height").asInt();
                samples.add(new Sample(f.path("file").asText(), Math.min(w, h), Math.max(w, h), f));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public ResponseDefinition transform(ServeEvent event) {
        calls.incrementAndGet();
        String body = event.getRequest().getBodyAsString();
        JsonNode truth = recognise(body);
        String reading = truth == null ? notRecognised() : reading(truth, body.contains("card ending 1234"));
        return ResponseDefinitionBuilder.responseDefinition().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody(completion(reading)).build();
    }

    private JsonNode recognise(String body) {
        Matcher m = IMAGE.matcher(body);
        if (!m.find()) {
            return null;
        }
        BufferedImage image;
        try {
            image = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(m.group(1))));
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
        if (image == null) {
            return null;
        }
        int s = Math.min(image.getWidth(), image.getHeight());
        int l = Math.max(image.getWidth(), image.getHeight());
        for (Sample sample : samples) {
            if (sample.shortSide == s && sample.longSide == l) {
                return sample.truth;
            }
        }
        // Scaled (a PDF page rendered to pixels): the same proportions, within half a percent.
        double ratio = (double) s / l;
        Sample nearest = null;
        for (Sample sample : samples) {
            double r = (double) sample.shortSide / sample.longSide;
            if (Math.abs(r - ratio) / r < 0.005 && (nearest == null
                    || Math.abs(r - ratio) < Math.abs((double) nearest.shortSide / nearest.longSide - ratio))) {
                nearest = sample;
            }
        }
        return nearest == null ? null : nearest.truth;
    }

    private static String reading(JsonNode t, boolean criteriaNameTheCard) {
        ObjectNode r = JSON.createObjectNode();
        boolean receipt = t.path("isReceipt").asBoolean();
        r.put("isValidReceipt", receipt);
        r.put("validationError", receipt ? "" : "Image shows a " + String.join(" ", kinds(t)).replace("non-receipt", "").trim()
                + ", not a receipt");
        r.put("total", text(t, "total"));
        r.put("subtotal", text(t, "subtotal"));
        r.put("tax", text(t, "tax"));
        r.put("tip", text(t, "tip"));
        r.put("currency", receipt ? "USD" : "");
        String iso = text(t, "date");
        r.put("date", iso.isEmpty() ? "" : iso.substring(5, 7) + "/" + iso.substring(8, 10) + "/" + iso.substring(0, 4));
        r.put("vendor", text(t, "vendor"));
        r.set("categories", t.path("categories"));
        r.set("paymentMethods", t.path("paymentMethods"));
        r.put("cardLast4", text(t, "cardLast4"));
        boolean excluded = criteriaNameTheCard && kinds(t).contains("exclude-1234");
        r.put("excludeFromTable", excluded);
        r.put("exclusionReason", excluded ? "paid with the card ending 1234" : "");
        return r.toString();
    }

    private static String notRecognised() {
        return "{\"isValidReceipt\":false,\"validationError\":\"the fake model does not know this picture\",\"total\":\"\",\"subtotal\":\"\","
                + "\"tax\":\"\",\"tip\":\"\",\"currency\":\"\",\"date\":\"\",\"vendor\":\"\",\"categories\":[],\"paymentMethods\":[],"
                + "\"cardLast4\":\"\",\"excludeFromTable\":false,\"exclusionReason\":\"\"}";
    }

    private static List<String> kinds(JsonNode t) {
        List<String> kinds = new ArrayList<>();
        t.path("kind").forEach(k -> kinds.add(k.asText()));
        return kinds;
    }

    private static String text(JsonNode t, String field) {
        return t.hasNonNull(field) ? t.path(field).asText() : "";
    }

    private static String completion(String reading) {
        ObjectNode completion = JSON.createObjectNode();
        completion.put("id", "chatcmpl-cli").put("object", "chat.completion").put("created", 1764370800L).put("model", "gpt-5-mini");
        ObjectNode choice = completion.putArray("choices").addObject();
        choice.put("index", 0).put("finish_reason", "stop");
        choice.putObject("message").put("role", "assistant").put("content", reading);
        completion.putObject("usage").put("prompt_tokens", 1200).put("completion_tokens", 80).put("total_tokens", 1280);
        return completion.toString();
    }

    @Override
    public boolean applyGlobally() {
        return false;
    }

    @Override
    public String getName() {
        return NAME;
    }
}
