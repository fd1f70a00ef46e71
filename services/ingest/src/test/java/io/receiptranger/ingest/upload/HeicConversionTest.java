package io.receiptranger.ingest.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.receiptranger.ingest.config.IngestConfig;

/**
 * HEIC through libheif (heif-enc makes the files): only the primary image is decoded, its size must
 * be in the header, and the decoder runs in a private directory that is gone afterwards, with a
 * deadline that kills it and its children.
 */
class HeicConversionTest {

    @TempDir
    Path dir;

    @Test
    void aHeicOfManyImagesGivesOnlyItsPrimaryImage() throws Exception {
        // Given a HEIC of 40 images (the first, primary, one 320×240; the others 64×64)
        List<String> inputs = new ArrayList<>();
        inputs.add(Files.write(dir.resolve("primary.png"), BlankImages.png(320, 240, 8, 2)).toString());
        for (int i = 0; i < 39; i++) {
            inputs.add(Files.write(dir.resolve("other-" + i + ".png"), BlankImages.png(64, 64, 8, 2)).toString());
        }
        Path heic = heifEnc(inputs);
        assertThat(HeifHeader.primarySize(heic)).hasValueSatisfying(size -> assertThat(size).containsExactly(320, 240));

        // When normalised
        PreparedImage image = new ImagePipeline(ImagePipelineTest.CONFIG).prepare(heic, ImageFormat.HEIF);

        // Then one image, the primary, and no directory of the decoder is left
        assertThat(image.width()).isEqualTo(320);
        assertThat(image.height()).isEqualTo(240);
        assertThat(decoderDirs()).isEmpty();
    }

    @Test
    void aHeicWithoutTheSizeOfItsPrimaryImageIsRefused() throws Exception {
        Path heic = heifEnc(List.of(Files.write(dir.resolve("in.png"), BlankImages.png(64, 64, 8, 2)).toString()));
        byte[] bytes = Files.readAllBytes(heic);
        // rename every ispe box: the file no longer says how large its image is
        for (int i = 0; i + 4 <= bytes.length; i++) {
            if (bytes[i] == 'i' && bytes[i + 1] == 's' && bytes[i + 2] == 'p' && bytes[i + 3] == 'e') {
                bytes[i] = 'x';
            }
        }
        Path stripped = Files.write(dir.resolve("stripped.heic"), bytes);

        assertThatThrownBy(() -> new ImagePipeline(ImagePipelineTest.CONFIG).prepare(stripped, ImageFormat.HEIF))
                .isInstanceOfSatisfying(FileRejected.class, e -> assertThat(e.getMessage())
                        .isEqualTo("the HEIC file does not declare the size of its main image, so it is not decoded"));
    }

    @Test
    void aDecoderThatHangsIsKilledWithItsChildrenAtTheDeadline() throws Exception {
        // Given a "decoder" that starts a child and both sleep, writing into its working directory
        Path pidFile = dir.resolve("child.pid");
        Path hanging = Files.writeString(dir.resolve("hanging-decoder"), "#!/bin/sh\n"
                + "echo partial > out-1.jpg\nsleep 300 &\necho $! > " + pidFile + "\nsleep 300\n");
        Files.setPosixFilePermissions(hanging, PosixFilePermissions.fromString("rwx------"));
        IngestConfig.Images config = ImagePipelineTest.config(167_772_160L, Duration.ofMillis(500), hanging.toString());
        Path heic = heifEnc(List.of(Files.write(dir.resolve("in.png"), BlankImages.png(64, 64, 8, 2)).toString()));

        // When normalised
        assertThatThrownBy(() -> new ImagePipeline(config).prepare(heic, ImageFormat.HEIF))
                .isInstanceOfSatisfying(FileRejected.class, e -> assertThat(e.getMessage())
                        .isEqualTo("the HEIC image took too long to convert"));

        // Then the child is gone too, and so is the directory with what it wrote
        long child = Long.parseLong(Files.readString(pidFile).strip());
        // (SIGKILL is asynchronous, and an orphan stays a zombie until init reaps it: dead is "gone or a zombie")
        await().atMost(Duration.ofSeconds(10)).until(() -> !running(child));
        assertThat(decoderDirs()).isEmpty();
    }

    /** Whether the process runs: present in /proc and neither a zombie nor dead. */
    static boolean running(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            char state = stat.substring(stat.lastIndexOf(')') + 2).charAt(0);
            return state != 'Z' && state != 'X';
        } catch (java.io.IOException gone) {
            return false;
        }
    }

    Path heifEnc(List<String> inputs) throws Exception {
        Path heic = dir.resolve("out-" + System.nanoTime() + ".heic");
        List<String> command = new ArrayList<>(Arrays.asList("heif-enc", "-q", "30", "-o", heic.toString()));
        command.addAll(inputs);
        Process enc = new ProcessBuilder(command).redirectErrorStream(true).start();
        enc.getInputStream().readAllBytes();
        assertThat(enc.waitFor()).as("heif-enc (apt-get install libheif-examples)").isZero();
        return heic;
    }

    static List<Path> decoderDirs() throws Exception {
        try (Stream<Path> tmp = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return tmp.filter(p -> p.getFileName().toString().startsWith("ranger-heif-")).toList();
        }
    }
}
