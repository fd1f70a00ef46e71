package io.receiptranger.extractor.ocr;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * PP-OCR's Chinese recogniser glues English words ("PEAKYOGASTUDIO"); the vendor line gets Tesseract's
 * word breaks. Fixtures: PP-OCR's and Tesseract's readings of the same lines of the sample and real
 * receipts.
 */
class WordSpacingTest {

    @Test
    void tesseractsWordBreaksArePutBetweenPaddlesLetters() {
        assertThat(WordSpacing.respace("PEAKYOGASTUDIO", "PEAK YOGA STUDIO")).isEqualTo("PEAK YOGA STUDIO");
        // PP-OCR's letters are kept (its odd capital too), only the breaks come from Tesseract.
        assertThat(WordSpacing.respace("GoldenScoOpSdnBhd(169609-A)", "Golden Scoop Sdn Bhd (169609-A)"))
                .isEqualTo("Golden ScoOp Sdn Bhd (169609-A)");
        assertThat(WordSpacing.respace("BOONSENGPAPERSDNBHD", "BOON SENG PAPER SDN BHD"))
                .isEqualTo("BOON SENG PAPER SDN BHD");
    }

    @Test
    void aFewLettersReadDifferentlyStillAlign() {
        // Tesseract reads MENTAL and drops the last dot: the breaks still fall between the same letters.
        assertThat(WordSpacing.respace("MIZUMENTAISDN.BHD.", "MIZU MENTAL SDN. BHD"))
                .isEqualTo("MIZU MENTAI SDN. BHD.");
        assertThat(WordSpacing.respace("ENWHardwareCentre (M)Sdn.Bhd", "ENW Hardware Centre (M) Sdn. Bhd."))
                .isEqualTo("ENW Hardware Centre (M) Sdn. Bhd");
    }

    @Test
    void aWordTesseractSplitsOffOneLetterStaysWhole() {
        // sroie-077: PP-OCR and Tesseract (--psm 7 on the crop) on the company line; Tesseract reads "caf e"
        String respaced = WordSpacing.respace("Dimiliki:banh mi cafe sdn bhd 1110644-W", "Dimi liki : bani mi caf e sd bhd 1 110644-#");

        assertThat(respaced).contains("banh mi cafe sdn bhd").doesNotContain("caf e");
        assertThat(VendorLine.find(List.of(respaced))).hasValue("banh mi cafe sdn bhd");
        // one letter alone on either side of a break is a split, two letters are a word
        assertThat(WordSpacing.respace("BANHMICAFESDNBHD", "BANH MI CAF E SDN BHD")).isEqualTo("BANH MI CAFE SDN BHD");
        assertThat(WordSpacing.respace("CAFEBANH", "C AFE BANH")).isEqualTo("CAFE BANH");
    }

    @Test
    void aDifferentReadingOrNoSpacesLeaveTheLineAsItWas() {
        assertThat(WordSpacing.respace("PEAKYOGASTUDIO", "~ ,. Bl -= :")).isEqualTo("PEAKYOGASTUDIO");
        assertThat(WordSpacing.respace("PEAKYOGASTUDIO", "")).isEqualTo("PEAKYOGASTUDIO");
        // Spaces PP-OCR printed stay, even where Tesseract has none.
        assertThat(WordSpacing.respace("HOME MASTER HARDWARE", "HOMEMASTERHARDWARE")).isEqualTo("HOME MASTER HARDWARE");
    }

    @Test
    void onlyLinesWithGluedWordsAreReadAgain() throws Exception {
        List<BufferedImage> crops = new ArrayList<>();
        WordSpacing spacing = new WordSpacing(line -> {
            crops.add(line);
            return "PEAK YOGA STUDIO";
        });
        BufferedImage page = new BufferedImage(400, 300, BufferedImage.TYPE_BYTE_GRAY);

        assertThat(spacing.respaced("BANH MI CAFE SDN BHD", page, new Rectangle(10, 10, 200, 20))).isEqualTo("BANH MI CAFE SDN BHD");
        assertThat(spacing.respaced("PEAKYOGASTUDIO", page, null)).isEqualTo("PEAKYOGASTUDIO");
        assertThat(crops).isEmpty();

        assertThat(spacing.respaced("PEAKYOGASTUDIO", page, new Rectangle(100, 50, 180, 20))).isEqualTo("PEAK YOGA STUDIO");
        // The crop: the box with a margin of half its height, enlarged to about 48 px of text.
        assertThat(crops).singleElement().satisfies(c -> assertThat(c.getHeight()).isEqualTo(96));
        assertThat(WordSpacing.glued("TFValue-Mart Sdn Bhd")).isTrue();
        assertThat(WordSpacing.glued("AEONCO.(M)BHD")).isTrue();
    }

    @Test
    void withoutTesseractTheLineStaysAsRead() throws Exception {
        WordSpacing spacing = new WordSpacing(line -> {
            throw new OcrUnavailableException(OcrUnavailableException.TESSERACT);
        });

        assertThat(spacing.respaced("PEAKYOGASTUDIO", new BufferedImage(400, 300, BufferedImage.TYPE_BYTE_GRAY),
                new Rectangle(100, 50, 180, 20))).isEqualTo("PEAKYOGASTUDIO");
    }

    @Test
    void theVendorsLinesAreTheOnesReadAgain() {
        assertThat(VendorLine.locate(List.of("| 12 |", "3300 Cedar Ln", "PEAKYOGASTUDIO", "TOTAL $1.00")))
                .hasValueSatisfying(f -> assertThat(f.lines()).containsExactly(2));
        assertThat(VendorLine.locate(List.of("Nando's Chickenland Malaysia", "Sdn Bhd", "Total 1.00")))
                .hasValueSatisfying(f -> assertThat(f.lines()).containsExactly(0, 1));
    }
}
