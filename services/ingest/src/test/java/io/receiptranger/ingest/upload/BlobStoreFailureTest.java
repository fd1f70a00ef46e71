package io.receiptranger.ingest.upload;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.receiptranger.ingest.InMemoryChannels;
import io.receiptranger.ingest.TestFiles;

/**
 * Issue 10 (7): when the image store fails, the client gets a sentence, never the store's own words
 * (its paths, bucket or provider messages); those go to the log. The store here is a folder that is
 * really a file, so every save fails with an exception naming the path.
 */
@QuarkusTest
@TestProfile(BlobStoreFailureTest.BrokenStore.class)
@QuarkusTestResource(value = InMemoryChannels.class, restrictToAnnotatedClass = true)
class BlobStoreFailureTest {

    static final Path NOT_A_FOLDER;

    static {
        try {
            NOT_A_FOLDER = Files.createTempFile("ranger-blob-store-is-a-file-", ".secret-path");
            NOT_A_FOLDER.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static class BrokenStore implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("ranger.blob-store", "file:" + NOT_A_FOLDER);
        }
    }

    @Test
    void aStoreThatCannotSaveIs503WithASentenceAndNoInternals() {
        String body = given().multiPart("files", "r.jpg", TestFiles.bytes("receipt-5423.jpg"), "image/jpeg")
                .post("/api/batches").then()
                .statusCode(503)
                .contentType("application/problem+json")
                .extract().asString();

        assertThat(body).contains("The image store could not save the files; nothing was queued.")
                .doesNotContain(NOT_A_FOLDER.getFileName().toString())
                .doesNotContain("secret-path")
                .doesNotContain("Exception")
                .doesNotContain("/tmp");
        given().get("/q/health/live").then().statusCode(200);
    }
}
