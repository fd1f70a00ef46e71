package io.receiptranger.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * The base images under deploy/images install what their service calls. The original's two
 * outages were files missing from the image; here the service's own source says which programs
 * it runs (their default commands), and the Dockerfile must install the Debian package that
 * provides each one and fail its own build if the program is not there.
 */
class BaseImagesTest {

    static final java.util.List<String> SERVICES = Repo.SERVICES;

    /** Programs a service may run → the Debian 12 package that provides them. */
    static final Map<String, String> PROGRAMS = Map.of(
            "heif-convert", "libheif-examples",
            "heif-thumbnailer", "heif-thumbnailer",
            "heif-dec", "libheif-examples",
            "tesseract", "tesseract-ocr",
            "convert", "imagemagick",
            "magick", "imagemagick",
            "pdftoppm", "poppler-utils");

    @ParameterizedTest
    @FieldSource("SERVICES")
    void the_base_image_installs_every_program_the_service_runs(String service) throws Exception {
        ServiceConfig config = ServiceConfig.load(service);
        String dockerfile = Repo.read(Repo.path("deploy", "images", service, "Dockerfile"));
        String installed = dockerfile.substring(dockerfile.indexOf("apt-get install"));

        for (Map.Entry<String, String> program : PROGRAMS.entrySet()) {
            if (!config.mainSources.contains("\"" + program.getKey() + "\"")) {
                continue;
            }
            assertThat(installed).as("%s runs %s: its image installs %s", service, program.getKey(), program.getValue())
                    .containsPattern("\\b" + Pattern.quote(program.getValue()) + "\\b");
            assertThat(dockerfile).as("the image build fails when %s is missing", program.getKey())
                    .contains("command -v " + program.getKey());
            if (program.getKey().equals("tesseract")) {
                assertThat(installed).as("Tesseract reads nothing without its English data").contains("tesseract-ocr-eng");
            }
            assertPackageProvides(program.getValue(), program.getKey());
        }
    }

    @Test
    void there_is_one_base_image_per_service_and_no_other() throws Exception {
        try (var dirs = Files.list(Repo.path("deploy", "images"))) {
            assertThat(dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString()).toList())
                    .containsExactlyInAnyOrderElementsOf(SERVICES);
        }
    }

    @Test
    void the_services_that_need_programs_are_found() {
        // The scan above must see the calls it is about (a renamed default would silently skip it).
        assertThat(ServiceConfig.load("ingest").mainSources).contains("\"heif-thumbnailer\"");
        assertThat(ServiceConfig.load("extractor").mainSources).contains("\"tesseract\"");
    }

    @ParameterizedTest
    @FieldSource("SERVICES")
    void every_base_image_has_the_build_s_java_and_the_non_root_user(String service) {
        String dockerfile = Repo.read(Repo.path("deploy", "images", service, "Dockerfile"));
        String release = Repo.pomProperties().get("maven.compiler.release");

        assertThat(dockerfile).startsWith("#").contains("FROM debian:bookworm-slim");
        assertThat(dockerfile).contains("openjdk-" + release + "-jre-headless").contains("command -v java");
        assertThat(dockerfile).contains("--uid " + DeploymentsMatchServicesTest.IMAGE_UID);
        assertThat(dockerfile.strip()).endsWith("USER " + DeploymentsMatchServicesTest.IMAGE_UID);
        assertThat(dockerfile).contains("rm -rf /var/lib/apt/lists/*");
    }

    /** On a Debian machine (this one, CI), the package named really ships the program. */
    private static void assertPackageProvides(String pkg, String program) throws Exception {
        Path binary = Path.of("/usr/bin", program);
        if (!Files.exists(Path.of("/usr/bin/dpkg-query")) || !Files.exists(binary)) {
            return;
        }
        Process dpkg = new ProcessBuilder("dpkg-query", "-S", binary.toString()).redirectErrorStream(true).start();
        String owner = new String(dpkg.getInputStream().readAllBytes());
        dpkg.waitFor(30, TimeUnit.SECONDS);
        assertThat(owner).as("the Debian package that ships %s", binary).startsWith(pkg + ":");
    }
}
