package io.receiptranger.ingest.upload;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class ImageFormatTest {

    @Test
    void formatsAreRecognisedByTheirFirstBytes() {
        assertThat(ImageFormat.sniff(new byte[] { (byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0 })).contains(ImageFormat.JPEG);
        assertThat(ImageFormat.sniff(new byte[] { (byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10 })).contains(ImageFormat.PNG);
        assertThat(ImageFormat.sniff(ascii("GIF89a...."))).contains(ImageFormat.GIF);
        assertThat(ImageFormat.sniff(ascii("RIFF\0\0\0\0WEBPVP8 "))).contains(ImageFormat.WEBP);
        assertThat(ImageFormat.sniff(ascii("II*\0...."))).contains(ImageFormat.TIFF);
        assertThat(ImageFormat.sniff(ascii("\0\0\0\u0018ftypheic\0\0\0\0"))).contains(ImageFormat.HEIF);
        assertThat(ImageFormat.sniff(ascii("%PDF-1.7\n"))).contains(ImageFormat.PDF);
    }

    @Test
    void textIsNoImageWhateverItsName() {
        assertThat(ImageFormat.sniff(ascii("hello, I am a .jpg"))).isEmpty();
        assertThat(ImageFormat.sniff(ascii("BM but not a bitmap at all"))).isEmpty();
        assertThat(ImageFormat.sniff(new byte[0])).isEmpty();
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
