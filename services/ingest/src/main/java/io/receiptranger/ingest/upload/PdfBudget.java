package io.receiptranger.ingest.upload;

import java.io.IOException;
import java.util.IdentityHashMap;
import java.util.Map;

import org.apache.pdfbox.contentstream.operator.Operator;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSNumber;
import org.apache.pdfbox.pdfparser.PDFStreamParser;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.graphics.PDXObject;
import org.apache.pdfbox.pdmodel.graphics.form.PDFormXObject;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.apache.pdfbox.pdmodel.graphics.pattern.PDAbstractPattern;
import org.apache.pdfbox.pdmodel.graphics.pattern.PDTilingPattern;

/**
 * The decode budget for PDFs, checked on the document's structure before anything is rendered: the
 * page count, each page's size, and every image a page can draw (its XObjects, those of its forms and
 * tiling patterns, soft masks, inline images in its content) against {@link DecodeBudget} — pixels,
 * and width × height × bytes per pixel as decoded (at least 4: the renderer's RGB). A 747 KB PDF whose
 * page holds one 16000 × 16000 image is refused here, not by the JVM running out of heap.
 */
final class PdfBudget {

    /** 200 inches: the largest page ISO 32000 allows (Annex C), in points. */
    static final float MAX_PAGE_POINTS = 14_400f;
    /** Forms inside forms: deeper nesting is refused rather than followed. */
    private static final int MAX_NESTING = 8;
    /** The renderer draws every image as 8-bit ARGB/RGB. */
    private static final int RENDERED_BYTES_PER_PIXEL = 4;

    private final DecodeBudget images;
    private final long maxDecodedBytes;
    private final int maxPages;

    PdfBudget(DecodeBudget images, long maxDecodedBytes, int maxPages) {
        this.images = images;
        this.maxDecodedBytes = maxDecodedBytes;
        this.maxPages = maxPages;
    }

    /** The whole document: page count, then each page. */
    void check(PDDocument pdf) throws FileRejected {
        int pages = pdf.getNumberOfPages();
        if (pages == 0) {
            throw new FileRejected(422, "the PDF has no pages");
        }
        if (pages > maxPages) {
            throw new FileRejected(422, "the PDF has " + pages + " pages; at most " + maxPages + " are read");
        }
        for (int i = 0; i < pages; i++) {
            checkPage(pdf.getPage(i), i + 1);
        }
    }

    void checkPage(PDPage page, int number) throws FileRejected {
        PDRectangle box = page.getCropBox();
        float longSide = Math.max(box.getWidth(), box.getHeight());
        if (!(Math.min(box.getWidth(), box.getHeight()) > 0)) {
            throw new FileRejected(422, "page " + number + " of the PDF has no size");
        }
        if (longSide > MAX_PAGE_POINTS) {
            throw new FileRejected(422, "page " + number + " of the PDF is " + Math.round(longSide / 72)
                    + " inches long; a PDF page is at most 200");
        }
        try {
            long[] total = { 0 };
            checkResources(page.getResources(), number, 0, total, new IdentityHashMap<>());
            checkInlineImages(page, number, total);
        } catch (IOException | RuntimeException e) {
            throw new FileRejected(422, "page " + number + " of the PDF is damaged and cannot be read", e);
        }
    }

    private void checkResources(PDResources resources, int page, int depth, long[] total, Map<Object, Boolean> seen)
            throws IOException, FileRejected {
        if (resources == null || seen.put(resources.getCOSObject(), Boolean.TRUE) != null) {
            return;
        }
        if (depth > MAX_NESTING) {
            throw new FileRejected(422, "page " + page + " of the PDF nests its drawings too deeply");
        }
        for (COSName name : resources.getXObjectNames()) {
            PDXObject object = resources.getXObject(name);
            if (object instanceof PDImageXObject image) {
                checkImage(image, page, total);
            } else if (object instanceof PDFormXObject form) {
                checkResources(form.getResources(), page, depth + 1, total, seen);
            }
        }
        for (COSName name : resources.getPatternNames()) {
            PDAbstractPattern pattern = resources.getPattern(name);
            if (pattern instanceof PDTilingPattern tiling) {
                checkResources(tiling.getResources(), page, depth + 1, total, seen);
            }
        }
    }

    private void checkImage(PDImageXObject image, int page, long[] total) throws IOException, FileRejected {
        int components = image.isStencil() ? 1 : image.getColorSpace().getNumberOfComponents();
        int bits = Math.max(1, image.getBitsPerComponent());
        count(image.getWidth(), image.getHeight(), components, bits, page, total);
        PDImageXObject mask = image.getSoftMask();
        if (mask != null) {
            count(mask.getWidth(), mask.getHeight(), 1, Math.max(1, mask.getBitsPerComponent()), page, total);
        }
    }

    /** Images written straight into the content stream ({@code BI … ID … EI}). */
    private void checkInlineImages(PDPage page, int number, long[] total) throws IOException, FileRejected {
        PDFStreamParser parser = new PDFStreamParser(page);
        for (Object token = parser.parseNextToken(); token != null; token = parser.parseNextToken()) {
            if (token instanceof Operator op && "BI".equals(op.getName()) && op.getImageParameters() != null) {
                COSDictionary p = op.getImageParameters();
                long width = number(p, COSName.W, COSName.WIDTH);
                long height = number(p, COSName.H, COSName.HEIGHT);
                long bits = Math.max(1, number(p, COSName.BPC, COSName.BITS_PER_COMPONENT));
                count(width, height, 4, (int) Math.min(bits, 16), number, total);
            }
        }
    }

    private void count(long width, long height, int components, int bitsPerComponent, int page, long[] total)
            throws FileRejected {
        long bytesPerPixel = Math.max(RENDERED_BYTES_PER_PIXEL, components * (long) ((bitsPerComponent + 7) / 8));
        try {
            images.check(width, height, bytesPerPixel);
        } catch (FileRejected e) {
            throw new FileRejected(422, "page " + page + " of the PDF holds an image too large to read: " + e.getMessage());
        }
        total[0] += width * height * bytesPerPixel;
        if (total[0] > maxDecodedBytes) {
            throw new FileRejected(422, "page " + page + " of the PDF holds images of more than "
                    + DecodeBudget.mib(maxDecodedBytes) + " decoded together");
        }
    }

    private static long number(COSDictionary d, COSName shortKey, COSName longKey) {
        COSBase value = d.getDictionaryObject(shortKey, longKey);
        return value instanceof COSNumber n ? n.longValue() : 0;
    }
}
