package io.receiptranger.extractor.ocr;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;

import io.receiptranger.extractor.Json;
import io.receiptranger.extractor.ReceiptExtracted.Outcome;
import io.receiptranger.extractor.image.ImageFormat;
import io.receiptranger.extractor.image.ImageNormaliser;
import io.receiptranger.extractor.image.ReceiptImage;
import io.receiptranger.extractor.rules.ReadingMapper;

/**
 * Runs the offline extractor as the service does (the normaliser with EXIF, then the extractor: the
 * engine, turning the picture upright its way, word spacing and the rules, no time zone given) over a folder of receipts with a {@code truth.json}, and scores it:
 * totals and dates exact; vendors as a user would compare them ({@link #asAUserReads}: case, punctuation and
 * runs of spaces do not matter, the words do — "PEAKYOGASTUDIO" is not "Peak Yoga Studio"), and, for the
 * issue's looser target, also with every space removed ({@link #squash}). Used by {@code OfflineAccuracyTest}
 * (floors on the samples) and {@code OfflineAccuracyBench} (the README's table).
 */
final class OfflineAccuracy {

    private static final BigDecimal CEILING = new BigDecimal("1000000");

    record Row(String file, String expectedTotal, String total, String expectedDate, String date,
            String expectedVendor, String vendor, Outcome outcome, long millis, long cpuMillis) {
        boolean totalOk() {
            return expectedTotal.equals(total);
        }

        boolean dateOk() {
            return expectedDate.equals(date);
        }

        boolean vendorOk() {
            return asAUserReads(expectedVendor).equals(asAUserReads(vendor));
        }

        boolean vendorOkIgnoringSpaces() {
            return squash(expectedVendor).equals(squash(vendor));
        }
    }

    record Score(String set, String engine, List<Row> rows, int nonReceipts, int nonReceiptsRecognised) {
        double totals() {
            return rate(rows.stream().filter(Row::totalOk).count());
        }

        double dates() {
            return rate(rows.stream().filter(Row::dateOk).count());
        }

        double vendors() {
            return rate(rows.stream().filter(Row::vendorOk).count());
        }

        double vendorsIgnoringSpaces() {
            return rate(rows.stream().filter(Row::vendorOkIgnoringSpaces).count());
        }

        long notAReceipt() {
            return rows.stream().filter(r -> r.outcome() == Outcome.NOT_A_RECEIPT).count();
        }

        long medianMillis() {
            List<Long> ms = rows.stream().map(Row::millis).sorted().toList();
            return ms.isEmpty() ? 0 : ms.get(ms.size() / 2);
        }

        long maxMillis() {
            return rows.stream().mapToLong(Row::millis).max().orElse(0);
        }

        long medianCpuMillis() {
            List<Long> ms = rows.stream().map(Row::cpuMillis).sorted().toList();
            return ms.isEmpty() ? 0 : ms.get(ms.size() / 2);
        }

        long maxCpuMillis() {
            return rows.stream().mapToLong(Row::cpuMillis).max().orElse(0);
        }

        private double rate(long ok) {
            return rows.isEmpty() ? 0 : 100.0 * ok / rows.size();
        }

        String table() {
            StringBuilder out = new StringBuilder("| file | total | date | vendor | wall ms | CPU ms |\n|---|---|---|---|---|---|\n");
            for (Row r : rows) {
                out.append(String.format("| %s | %s %s | %s %s | %s %s | %d | %d |%n", r.file(), r.total(),
                        r.totalOk() ? "✓" : "✗ (" + r.expectedTotal() + ")", r.date(),
                        r.dateOk() ? "✓" : "✗ (" + r.expectedDate() + ")", r.vendor(),
                        r.vendorOk() ? "✓" : "✗ (" + r.expectedVendor() + ")", r.millis(), r.cpuMillis()));
            }
            return out.toString();
        }

        String summary() {
            return String.format(Locale.ROOT,
                    "%s × %s: %d receipts, totals %.0f %%, dates %.0f %%, vendors %.0f %% (%.0f %% ignoring spaces), NOT_A_RECEIPT %d, "
                            + "non-receipts recognised %d/%d, CPU per receipt median %d ms, max %d ms (wall median %d ms)",
                    set, engine, rows.size(), totals(), dates(), vendors(), vendorsIgnoringSpaces(), notAReceipt(), nonReceiptsRecognised,
                    nonReceipts, medianCpuMillis(), maxCpuMillis(), medianMillis());
        }
    }

    private OfflineAccuracy() {
    }

    static Score run(String set, Path dir, OfflineExtractor offline) throws Exception {
        JsonNode truth = Json.MAPPER.readTree(dir.resolve("truth.json").toFile());
        LocalDate today = LocalDate.parse(truth.get("today").asText());
        ImageNormaliser normaliser = new ImageNormaliser(2048);
        List<Row> rows = new ArrayList<>();
        int nonReceipts = 0;
        int recognised = 0;
        for (JsonNode file : truth.get("files")) {
            if (!file.get("contentType").asText().startsWith("image/")) {
                continue; // PDFs are turned into images by the ingest
            }
            byte[] bytes = Files.readAllBytes(dir.resolve(file.get("file").asText()));
            long start = System.nanoTime();
            long cpuStart = cpuMillis();
            ReceiptImage image = normaliser.normalise(new ReceiptImage(bytes, ImageFormat.sniff(bytes)
                    .orElseThrow(() -> new IOException("not an image: " + file.get("file").asText()))));
            ReadingMapper.Mapped mapped = ReadingMapper.map(offline.read(List.of(image.bytes()), DateOrder.UNKNOWN, today),
                    today, false, CEILING);
            long millis = (System.nanoTime() - start) / 1_000_000;
            long cpu = cpuMillis() - cpuStart;
            if (!file.get("isReceipt").asBoolean()) {
                nonReceipts++;
                if (mapped.outcome() == Outcome.NOT_A_RECEIPT) {
                    recognised++;
                }
                continue;
            }
            boolean read = mapped.receipt() != null;
            rows.add(new Row(file.get("file").asText(), text(file.get("total")),
                    read && mapped.receipt().total() != null ? mapped.receipt().total().toPlainString() : "",
                    text(file.get("date")), read && mapped.receipt().date() != null ? mapped.receipt().date().toString() : "",
                    text(file.get("vendor")), read ? mapped.receipt().vendor() : "", mapped.outcome(), millis, cpu));
        }
        return new Score(set, offline.engine().name(), rows, nonReceipts, recognised);
    }

    /**
     * CPU time of this JVM and of its finished children (Tesseract runs as a process), from
     * /proc/self/stat (utime, stime, cutime, cstime in clock ticks of 10 ms): what a receipt costs one
     * core, whatever else the shared machine is doing. 0 where /proc is not there.
     */
    static long cpuMillis() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // Fields 14–17 of stat(5); f[0] is field 3.
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
            return ticks * 10;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** Lower case, punctuation as spaces, runs of spaces as one: "AEON CO. (M) BHD" reads as "aeon co m bhd". */
    static String asAUserReads(String s) {
        return s == null ? "" : s.toLowerCase(Locale.ROOT).replaceAll("[\\p{P}\\p{S}]", " ").replaceAll("\\s+", " ").strip();
    }

    static String squash(String s) {
        return s == null ? "" : s.toLowerCase(Locale.ROOT).replaceAll("\\s+", "");
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? "" : node.asText();
    }
}
