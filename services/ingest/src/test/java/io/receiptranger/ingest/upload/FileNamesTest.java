package io.receiptranger.ingest.upload;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FileNamesTest {

    @Test
    void pathsControlCharactersAndBidiOverridesAreRemoved() {
        assertThat(FileNames.sanitise("../../etc/passwd", 120)).isEqualTo("passwd");
        assertThat(FileNames.sanitise("C:\\Users\\me\\IMG_1.jpg", 120)).isEqualTo("IMG_1.jpg");
        assertThat(FileNames.sanitise("a\u0000b\nc\u202Egpj.exe", 120)).isEqualTo("abcgpj.exe");
        assertThat(FileNames.sanitise("  ", 120)).isEqualTo("file");
    }

    @Test
    void longNamesAreCappedKeepingTheExtension() {
        String name = FileNames.sanitise("x".repeat(500) + ".jpeg", 40);
        assertThat(name).hasSize(40).endsWith("….jpeg");
    }

    @Test
    void sameNameDifferentFileGetsANumber() {
        FileNames names = new FileNames(120);
        assertThat(names.unique("receipt.jpg")).isEqualTo("receipt.jpg");
        assertThat(names.unique("receipt.jpg")).isEqualTo("receipt (2).jpg");
        assertThat(names.unique("RECEIPT.jpg")).isEqualTo("RECEIPT (3).jpg");
        assertThat(names.unique("receipt (2).jpg")).isEqualTo("receipt (2) (2).jpg");
    }
}
