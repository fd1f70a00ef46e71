package io.receiptranger.extractor.image;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.receiptranger.extractor.Json;
import io.receiptranger.extractor.ocr.OrientationLibrary;
import io.receiptranger.extractor.ocr.PaddleOcr;
import io.receiptranger.extractor.ocr.Tesseract;

/**
 * {@code ./mvnw -pl services/extractor verify -Pbench -Dit.test=UprightBench}: the two upright checks as
 * the service makes them (PP-OCR's layout, the default; Tesseract's detection in process with the
 * default least confidence) on every upright receipt of
 * the real set ({@code ../shared/receipts-real}, when it is there) and of the samples (EXIF applied; the
 * pictures printed turned and the non-receipts left out), each turned 0/90/180/270° in its pixels.
 * Prints how many come out upright, how many upright ones it turns, and the CPU per detection: the
 * README's "Upright first" table.
 */
class UprightBench {

    private static final double MIN_CONFIDENCE = 1.0;

    @Test
    void uprightByContentOnRealAndSyntheticReceipts() throws Exception {
        PaddleOcr paddle = new PaddleOcr(PaddleOcr.DETECTOR_EDGE);
        paddle.available(); // the models' load is not a detection
        bench("paddle (default)", new Upright(paddle::quarters));
        bench("tesseract", new Upright(new Tesseract("tesseract", Duration.ofSeconds(60)),
                OrientationLibrary.load(1).orElse(null), MIN_CONFIDENCE));
    }

    private static void bench(String check, Upright upright) throws Exception {
        Path root = Path.of(System.getProperty("repo.root", "../.."));
        Path real = root.resolve("../shared/receipts-real").normalize();
        Path samples = Path.of(UprightBench.class.getResource("/receipts/truth.json").toURI()).getParent();
        if (Files.exists(real.resolve("truth.json"))) {
            run(check + ", real (SROIE)", real, upright);
        } else {
            System.out.println("SKIPPED the real receipts: " + real + " not found (they are not shipped: see its README's licence)");
        }
        run(check + ", synthetic samples", samples, upright);
    }

    private static void run(String set, Path folder, Upright upright) throws IOException {
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        int right = 0;
        int turns = 0;
        int uprightTurned = 0;
        long nanos = 0;
        List<String> wrong = new ArrayList<>();
        for (Path file : uprightReceipts(folder)) {
            byte[] bytes = Files.readAllBytes(file);
            BufferedImage base = Upright.exif(bytes, ImageIO.read(file.toFile()));
            for (int quarters = 0; quarters < 4; quarters++) {
                BufferedImage turned = Upright.rotate(base, quarters);
                long start = cpu.getCurrentThreadCpuTime();
                int found = upright.contentQuarters(turned);
                nanos += cpu.getCurrentThreadCpuTime() - start;
                turns++;
                if (found == (4 - quarters) % 4) {
                    right++;
                } else {
                    wrong.add(file.getFileName() + " turned " + quarters * 90 + "° → turned " + found * 90 + "°");
                    uprightTurned += quarters == 0 ? 1 : 0;
                }
            }
        }
        System.out.printf("%s: %d of %d pictures upright after the check; upright ones turned wrongly: %d; CPU per detection, mean %.2f s%n",
                set, right, turns, uprightTurned, nanos / 1e9 / Math.max(1, turns));
        wrong.forEach(w -> System.out.println("  " + w));
    }

    /** The receipts of a truth.json printed upright (EXIF tags are applied, pictures printed turned are left out). */
    private static List<Path> uprightReceipts(Path folder) throws IOException {
        JsonNode truth = Json.MAPPER.readTree(folder.resolve("truth.json").toFile());
        List<Path> files = new ArrayList<>();
        for (JsonNode entry : truth.path("files")) {
            String kinds = entry.path("kind").toString();
            String name = entry.path("file").asText();
            boolean image = !name.toLowerCase(java.util.Locale.ROOT).endsWith(".pdf");
            if (entry.path("isReceipt").asBoolean(true) && image && !kinds.contains("\"rotated\"")) {
                files.add(folder.resolve(name));
            }
        }
        return files;
    }
}
