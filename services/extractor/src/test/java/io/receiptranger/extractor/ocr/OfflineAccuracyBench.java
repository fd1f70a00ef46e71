package io.receiptranger.extractor.ocr;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.receiptranger.extractor.image.Upright;

/**
 * {@code ./mvnw -pl services/extractor verify -Pbench -Dit.test=OfflineAccuracyBench}: every OCR engine
 * × the real receipts ({@code ../shared/receipts-real}, 25 SROIE scans, read from beside the
 * repository because their licence does not let us ship them) and the synthetic samples. Prints the
 * engine × field table of the README and each receipt's row. Single-threaded (one receipt at a time,
 * PP-OCR with one thread, Tesseract with {@code OMP_THREAD_LIMIT=1}): the CPU seconds per receipt
 * (this JVM and its Tesseract children) are what it costs one core, however loaded the machine is;
 * wall time is printed too.
 * When the real set is not there it says so and measures the samples only.
 */
class OfflineAccuracyBench {

    @Test
    void engineByFieldOnRealAndSyntheticReceipts() throws Exception {
        // As the service builds them (OcrEngines): one PP-OCR, also the upright check of the tesseract engine.
        Tesseract tesseract = new Tesseract("tesseract", Duration.ofSeconds(60));
        PaddleOcr paddle = new PaddleOcr(PaddleOcr.DETECTOR_EDGE);
        Upright upright = new Upright(paddle::quarters);
        Path root = Path.of(System.getProperty("repo.root", "../.."));
        Path real = root.resolve("../shared/receipts-real").normalize();
        Path samples = Path.of(OfflineAccuracyBench.class.getResource("/receipts/truth.json").toURI()).getParent();
        List<OfflineAccuracy.Score> scores = new ArrayList<>();
        for (String name : List.of(PaddleOcr.NAME, Tesseract.NAME)) {
            OfflineExtractor engine = OcrEngines.offline(name, tesseract, upright, paddle);
            if (Files.exists(real.resolve("truth.json"))) {
                scores.add(print(OfflineAccuracy.run("real (SROIE)", real, engine)));
            } else {
                System.out.println("SKIPPED the real receipts: " + real + " not found (they are not shipped: see its README's licence)");
            }
            scores.add(print(OfflineAccuracy.run("synthetic samples", samples, engine)));
        }
        System.out.println("| set | engine | receipts | total | date | vendor (as a user reads it) | vendor ignoring spaces "
                + "| NOT_A_RECEIPT | non-receipts recognised | CPU s per receipt, median / max | wall s, median |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
        for (OfflineAccuracy.Score s : scores) {
            System.out.printf("| %s | %s | %d | %.0f %% | %.0f %% | %.0f %% | %.0f %% | %d | %d/%d | %.1f / %.1f | %.1f |%n",
                    s.set(), s.engine(), s.rows().size(), s.totals(), s.dates(), s.vendors(), s.vendorsIgnoringSpaces(),
                    s.notAReceipt(),
                    s.nonReceiptsRecognised(), s.nonReceipts(), s.medianCpuMillis() / 1000.0, s.maxCpuMillis() / 1000.0,
                    s.medianMillis() / 1000.0);
        }
        System.out.println("load average when done (1, 5, 15 min): " + loadAverage()
                + "; CPU s = this JVM's and its Tesseract children's user + sys time per receipt");
        System.out.println("targets (real set): total ≥ 85 %, date ≥ 90 %, vendor ≥ 60 %, NOT_A_RECEIPT 0, ≤ 5 s per receipt on one core");
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    private static OfflineAccuracy.Score print(OfflineAccuracy.Score score) {
        System.out.println(score.table());
        System.out.println(score.summary());
        return score;
    }
}
