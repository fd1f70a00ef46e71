package io.receiptranger.ingest.upload;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.notNullValue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.receiptranger.ingest.InMemoryChannels;
import io.receiptranger.ingest.TestFiles;

/** A client over its per-minute upload budget gets 429 with Retry-After; the service stays ready. */
@QuarkusTest
@TestProfile(RateLimitTest.TwoPerMinute.class)
@QuarkusTestResource(value = InMemoryChannels.class, restrictToAnnotatedClass = true)
class RateLimitTest {

    public static class TwoPerMinute implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("ranger.upload.rate-limit-requests-per-minute", "2");
        }
    }

    @Test
    void theThirdUploadInAMinuteIs429WithRetryAfter() {
        byte[] jpeg = TestFiles.bytes("receipt-5423.jpg");
        for (int i = 0; i < 2; i++) {
            given().multiPart("files", "r.jpg", jpeg, "image/jpeg").post("/api/batches").then().statusCode(202);
        }

        given().multiPart("files", "r.jpg", jpeg, "image/jpeg").post("/api/batches").then()
                .statusCode(429)
                .contentType("application/problem+json")
                .header("Retry-After", notNullValue());
        given().get("/q/health/ready").then().statusCode(200);
    }
}
