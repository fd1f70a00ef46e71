package io.receiptranger.endtoend;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;

import io.receiptranger.fakesheets.FakeSheets;
import io.receiptranger.kafkalocal.KafkaLocalProcess;

/**
 * The Kubernetes deployment's Kafka security, live: a broker that authenticates (SCRAM-SHA-512) and
 * authorises every request by ACLs, the three packaged services each logging in as its own user
 * with exactly the ACLs of its KafkaUser in deploy/k8s/base/kafka-users.yaml (and the environment
 * its Deployment gives it). Every client of each service — channels and its own readers, the
 * ledger, the views' catch-up, the operator's lag — gets in, a receipt goes all the way to WRITTEN,
 * and a service's user cannot touch a topic that is not its own.
 */
class KafkaAclIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SAMPLE = ServiceProcess.REPO.resolve("samples/receipts/receipt-5423.jpg");
    private static final Path USERS = ServiceProcess.REPO.resolve("deploy/k8s/base/kafka-users.yaml");
    private static final String SPREADSHEET_ID = "e2e-acl";
    private static final String SERVICE_PASSWORD = "acl-it-password";

    private static Pipeline system;
    private static KafkaLocalProcess kafka;
    private static WireMockServer openAi;
    private static FakeSheets sheets;
    private static ServiceProcess ingest;

    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startTheSystem() throws Exception {
        kafka = KafkaLocalProcess.startWithScram();
        createTheUsersOfTheDeployment();

        openAi = new WireMockServer(wireMockConfig().dynamicPort().extensions(new ReceiptJourneyIT.RepliesInTurn(
                ReceiptJourneyIT.chatCompletion(ReceiptJourneyIT.YOGA_READING))));
        openAi.start();
        openAi.stubFor(post(urlPathEqualTo("/v1/chat/completions"))
                .willReturn(aResponse().withTransformers(ReceiptJourneyIT.RepliesInTurn.NAME)));
        system = Pipeline.withModelAt(openAi.baseUrl() + "/v1/").kafka(kafka).spreadsheet(SPREADSHEET_ID)
                .env("sheets-sink", loggedInAs("sheets-sink"))
                .env("extractor", loggedInAs("extractor"))
                .env("ingest", loggedInAs("ingest"))
                .env("ingest", "RANGER_OPS_LAG_INTERVAL", "2s") // the lag of both readers' groups is read, as the ingest's user
                // Ready means: the sink rebuilt its ledger, the ingest's views caught up (every topic described)
                .start();
        sheets = system.sheets;
        ingest = system.ingest;
    }

    @AfterAll
    static void stopTheSystem() {
        if (system != null) {
            system.close();
        } else if (kafka != null) {
            kafka.close();
        }
        if (openAi != null) {
            openAi.stop();
        }
    }

    @Test
    void aReceiptGoesAllTheWayWithEachServiceAsItsOwnUser() throws Exception {
        Multipart form = new Multipart().file("files", "IMG_ACL.jpg", "image/jpeg", Files.readAllBytes(SAMPLE));

        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(ingest.baseUrl() + "/api/batches"))
                .header("Content-Type", form.contentType()).POST(HttpRequest.BodyPublishers.ofByteArray(form.bytes())).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
        String batchId = JSON.readTree(answer.body()).get("batchId").asText();
        await("WRITTEN").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            JsonNode view = JSON.readTree(http.send(HttpRequest.newBuilder(ingest.url("/api/batches/" + batchId)).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            assertThat(view.at("/receipts/0/stage").asText()).isEqualTo("WRITTEN");
        });
        List<String> cells = sheets.tabs(SPREADSHEET_ID).stream()
                .flatMap(tab -> sheets.formattedRows(SPREADSHEET_ID, tab).stream()).flatMap(List::stream).toList();
        assertThat(cells).anySatisfy(cell -> assertThat(cell).containsIgnoringCase("peak yoga studio"));

        // The operator's views read the dead-letter topics and the readers' lag as the ingest's user
        HttpResponse<String> deadLetters = http.send(HttpRequest.newBuilder(ingest.url("/api/ops/dead-letters")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(deadLetters.statusCode()).as(deadLetters.body()).isEqualTo(200);
        HttpResponse<String> summary = http.send(HttpRequest.newBuilder(ingest.url("/api/ops/summary")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(summary.statusCode()).as(summary.body()).isEqualTo(200);
        for (ServiceProcess service : system.services()) {
            assertThat(service.logLines()).as("%s's log", service.name())
                    .noneMatch(line -> line.contains("AuthorizationException") || line.contains("Not authorized")
                            || line.contains("SaslAuthenticationException") || line.contains("Authentication failed"));
        }
    }

    @Test
    void aServiceUserCannotWriteATopicThatIsNotItsOwn() {
        // The extractor may write extractions, never an owner's settings
        Properties props = new Properties();
        props.putAll(clientLogin("extractor"));
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 20_000);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>("owner-settings", "model-key:someone", "{}")).get())
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TopicAuthorizationException.class);
        }
    }

    /** The environment a service's Deployment gives it to log in (deploy/k8s/base/<service>.yaml). */
    private static Map<String, String> loggedInAs(String user) {
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.scramBootstrapServers());
        env.put("KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT");
        env.put("KAFKA_SASL_MECHANISM", "SCRAM-SHA-512");
        env.put("KAFKA_SASL_JAAS_CONFIG", jaas(user));
        return env;
    }

    private static Map<String, Object> clientLogin(String user) {
        return Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.scramBootstrapServers(),
                AdminClientConfig.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT", "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", jaas(user));
    }

    private static String jaas(String user) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user + "\" password=\""
                + SERVICE_PASSWORD + "\";";
    }

    /** What Strimzi's User Operator does with kafka-users.yaml: a SCRAM user and its ACLs, each. */
    @SuppressWarnings("unchecked")
    private static void createTheUsersOfTheDeployment() throws Exception {
        List<AclBinding> acls = new ArrayList<>();
        List<UserScramCredentialUpsertion> users = new ArrayList<>();
        for (Object document : new Yaml().loadAll(Files.readString(USERS))) {
            Map<String, Object> user = (Map<String, Object>) document;
            if (!"KafkaUser".equals(user.get("kind"))) {
                continue;
            }
            String name = (String) ((Map<String, Object>) user.get("metadata")).get("name");
            users.add(new UserScramCredentialUpsertion(name, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096),
                    SERVICE_PASSWORD));
            Map<String, Object> authorization = (Map<String, Object>) ((Map<String, Object>) user.get("spec")).get("authorization");
            for (Map<String, Object> acl : (List<Map<String, Object>>) authorization.get("acls")) {
                Map<String, Object> resource = (Map<String, Object>) acl.get("resource");
                ResourcePattern pattern = new ResourcePattern(ResourceType.fromString(((String) resource.get("type")).toUpperCase(Locale.ROOT)),
                        (String) resource.get("name"), "prefix".equals(resource.get("patternType")) ? PatternType.PREFIXED : PatternType.LITERAL);
                for (String operation : (List<String>) acl.get("operations")) {
                    acls.add(new AclBinding(pattern, new AccessControlEntry("User:" + name, "*",
                            AclOperation.fromString(operation.toUpperCase(Locale.ROOT)), AclPermissionType.ALLOW)));
                }
            }
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            admin.alterUserScramCredentials(new ArrayList<>(users)).all().get();
            admin.createAcls(acls).all().get();
        }
        assertThat(users).hasSizeGreaterThanOrEqualTo(3);
    }
}
