package io.receiptranger.extractor.ocr;

import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.Locale;
import java.util.regex.Pattern;

import io.quarkus.logging.Log;

/**
 * Puts back the spaces between words that PP-OCR's recogniser drops. The only PP-OCR recogniser the
 * RapidOCR jars ship is the Chinese one (ch_PP-OCRv3, {@code ppocr_keys_v1.txt}), which reads Latin
 * letters well but glues English words together: "PEAK YOGA STUDIO" comes out {@code PEAKYOGASTUDIO},
 * and that is what a user would find in their sheet. So the lines the vendor is taken from, when they
 * hold glued words, are read again by Tesseract (English, one line, {@code --psm 7}) on their crop, and
 * Tesseract's spaces are put between PP-OCR's characters: PP-OCR keeps the letters (it reads them
 * better), Tesseract gives the word breaks. The two readings are aligned character by character
 * (edit distance, case-insensitive); a space is added only between two characters both readings
 * agree on position, and only when Tesseract's reading is close enough to be the same line (at most a
 * third of the characters differ), and never where it would leave a single letter as a word (Tesseract
 * reads "CAFE" as {@code CAF E}; a one-letter word glued by PP-OCR is rarer than that split). Spaces
 * PP-OCR printed are never taken away. Without Tesseract the line stays as PP-OCR read it.
 */
final class WordSpacing {

    /** Six letters or more in a row, or a small letter followed by a capital: words glued together. */
    private static final Pattern GLUED = Pattern.compile("\\p{L}{6}|\\p{Ll}\\p{Lu}");
    /** A crop's text height, in pixels, below which it is enlarged (Tesseract reads ~30 px capitals best). */
    private static final int LINE_HEIGHT = 48;
    /** Longest line aligned (the lines are cut at {@link Amounts#MAX_LINE} already). */
    private static final int MAX_CHARS = 200;

    /** The reader of one cropped line; Tesseract in the service, a stub in tests. */
    interface LineReader {
        String readLine(BufferedImage line) throws IOException, OcrUnavailableException, InterruptedException;
    }

    private final LineReader reader;

    WordSpacing(LineReader reader) {
        this.reader = reader;
    }

    /** True when the line holds words that look glued together. */
    static boolean glued(String line) {
        return GLUED.matcher(Amounts.bounded(line)).find();
    }

    /**
     * The line with Tesseract's word breaks, read on its crop of {@code page}; the line as it was when it
     * does not look glued, has no box, or Tesseract cannot read it.
     */
    String respaced(String line, BufferedImage page, Rectangle box) throws InterruptedException {
        if (box == null || !glued(line)) {
            return line;
        }
        try {
            String reread = reader.readLine(crop(page, box));
            String spaced = respace(line, reread);
            Log.debugf("word spacing: %s | tesseract %s → %s", line, reread, spaced);
            return spaced;
        } catch (OcrUnavailableException e) {
            return line;
        } catch (IOException e) {
            Log.debugf("word spacing: the line could not be read again: %s", e.getMessage());
            return line;
        }
    }

    /** The box with a margin of half its height, enlarged so the text is about {@value #LINE_HEIGHT} px high. */
    static BufferedImage crop(BufferedImage page, Rectangle box) {
        int margin = Math.max(4, box.height / 2);
        Rectangle r = new Rectangle(box.x - margin, box.y - margin, box.width + 2 * margin, box.height + 2 * margin)
                .intersection(new Rectangle(0, 0, page.getWidth(), page.getHeight()));
        if (r.isEmpty()) {
            return page;
        }
        double scale = box.height >= LINE_HEIGHT ? 1.0 : Math.min(4.0, (double) LINE_HEIGHT / Math.max(1, box.height));
        int w = Math.max(1, (int) Math.round(r.width * scale));
        int h = Math.max(1, (int) Math.round(r.height * scale));
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
        g.drawImage(page, 0, 0, w, h, r.x, r.y, r.x + r.width, r.y + r.height, java.awt.Color.WHITE, null);
        g.dispose();
        return out;
    }

    /**
     * {@code glued} with a space wherever {@code reread} (the same line read by another engine) has one
     * between the two characters aligned with a pair of neighbours in {@code glued}; {@code glued} as it
     * is when the two readings are too different to align.
     */
    static String respace(String glued, String reread) {
        String a = glued.length() > MAX_CHARS ? glued.substring(0, MAX_CHARS) : glued;
        String b = reread.length() > MAX_CHARS ? reread.substring(0, MAX_CHARS) : reread;
        int[] ai = nonSpace(a);
        int[] bi = nonSpace(b);
        int n = ai.length;
        int m = bi.length;
        if (n == 0 || m == 0) {
            return glued;
        }
        // Edit distance between the two readings' characters, spaces left out.
        int[][] d = new int[n + 1][m + 1];
        for (int i = 0; i <= n; i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= m; j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= n; i++) {
            for (int j = 1; j <= m; j++) {
                int sub = d[i - 1][j - 1] + (same(a.charAt(ai[i - 1]), b.charAt(bi[j - 1])) ? 0 : 1);
                d[i][j] = Math.min(sub, Math.min(d[i - 1][j], d[i][j - 1]) + 1);
            }
        }
        if (d[n][m] * 3 > n) {
            return glued;
        }
        // Back through the table: which of b's characters each of a's is aligned with (-1: none).
        int[] match = new int[n];
        int i = n;
        int j = m;
        while (i > 0 && j > 0) {
            int cost = same(a.charAt(ai[i - 1]), b.charAt(bi[j - 1])) ? 0 : 1;
            if (d[i][j] == d[i - 1][j - 1] + cost) {
                match[--i] = --j;
            } else if (d[i][j] == d[i - 1][j] + 1) {
                match[--i] = -1;
            } else {
                j--;
            }
        }
        while (i > 0) {
            match[--i] = -1;
        }
        // breaks[k]: a word ends before a's k-th character (PP-OCR's own space, or one Tesseract gives).
        boolean[] printed = new boolean[n];
        boolean[] breaks = new boolean[n];
        for (int k = 1; k < n; k++) {
            printed[k] = ai[k] > ai[k - 1] + 1;
            breaks[k] = printed[k] || (match[k - 1] >= 0 && match[k] > match[k - 1] && match[k] - match[k - 1] <= 3
                    && hasSpace(b, bi[match[k - 1]], bi[match[k]]));
        }
        // A break Tesseract gives that would leave one letter alone ("CAF E", from CAFÉ or a wide kerning)
        // is a split of a word, not a word: dropped, left to right, so "CAF E SDN" reads "CAFE SDN".
        for (int k = 1; k < n; k++) {
            if (breaks[k] && !printed[k] && letter(a, ai, k - 1) && letter(a, ai, k)
                    && (letterRun(a, ai, breaks, k - 1, -1) == 1 || letterRun(a, ai, breaks, k, 1) == 1)) {
                breaks[k] = false;
            }
        }
        StringBuilder out = new StringBuilder(a.length() + 8);
        out.append(a, 0, ai[0] + 1);
        for (int k = 1; k < n; k++) {
            if (breaks[k] && !printed[k]) {
                out.append(' ');
            }
            out.append(a, ai[k - 1] + 1, ai[k] + 1);
        }
        out.append(a, ai[n - 1] + 1, a.length());
        return out + glued.substring(a.length());
    }

    private static boolean letter(String a, int[] ai, int k) {
        return Character.isLetter(a.charAt(ai[k]));
    }

    /** Letters in a row from a's k-th character in direction {@code step} (±1), up to a break or a non-letter. */
    private static int letterRun(String a, int[] ai, boolean[] breaks, int k, int step) {
        int run = 0;
        for (int i = k; i >= 0 && i < ai.length && letter(a, ai, i); i += step) {
            run++;
            // moving right, the break before the next character ends the word; moving left, the one before this
            if ((step > 0 && i + 1 < ai.length && breaks[i + 1]) || (step < 0 && breaks[i])) {
                break;
            }
        }
        return run;
    }

    private static int[] nonSpace(String s) {
        return java.util.stream.IntStream.range(0, s.length()).filter(k -> !Character.isWhitespace(s.charAt(k))).toArray();
    }

    private static boolean hasSpace(String s, int from, int to) {
        for (int k = from + 1; k < to; k++) {
            if (Character.isWhitespace(s.charAt(k))) {
                return true;
            }
        }
        return false;
    }

    private static boolean same(char x, char y) {
        return x == y || String.valueOf(x).toLowerCase(Locale.ROOT).equals(String.valueOf(y).toLowerCase(Locale.ROOT));
    }
}
