package io.receiptranger.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/** docker-compose.yml against the Compose Specification's JSON schema and against kafka-local's topics. */
class ComposeFileTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void the_compose_file_is_valid_against_the_compose_specification() throws Exception {
        JsonSchema schema = composeSchema();
        JsonNode compose = JSON.valueToTree(Deployments.composeFile());

        Set<ValidationMessage> errors = schema.validate(compose);

        assertThat(errors).isEmpty();
    }

    @Test
    void the_schema_check_can_fail() throws Exception {
        ObjectNode broken = JSON.valueToTree(Deployments.composeFile());
        ((ObjectNode) broken.get("services").get("ingest")).put("helthcheck", "typo");

        assertThat(composeSchema().validate(broken)).isNotEmpty();
    }

    @Test
    void the_init_container_creates_kafka_locals_topics_with_their_settings() {
        Map<String, Object> services = Yamls.map(Deployments.composeFile().get("services"));
        String script = String.join("\n", Yamls.list(Yamls.map(services.get("kafka-init")).get("command")).stream()
                .map(String::valueOf).toList());
        List<ContractTopics.Created> created = ContractTopics.parseCreateCommands(script);

        List<ContractTopics.Topic> contract = ContractTopics.all();
        assertThat(created).extracting(ContractTopics.Created::name)
                .containsExactlyInAnyOrderElementsOf(contract.stream().map(ContractTopics.Topic::name).toList());
        for (ContractTopics.Topic topic : contract) {
            ContractTopics.Created c = created.stream().filter(t -> t.name().equals(topic.name())).findFirst().orElseThrow();
            assertThat(c.configs()).as(topic.name()).isEqualTo(topic.configs());
            assertThat(c.replicationFactor()).as("one broker").isEqualTo(1);
            assertThat(c.partitions()).as(topic.name()).isEqualTo(topic.scaled() ? 3 : topic.fixedPartitions());
        }
        for (String service : Repo.SERVICES) {
            assertThat(Yamls.at(services.get(service), "depends_on", "kafka-init", "condition"))
                    .as("%s starts once the topics exist", service).isEqualTo("service_completed_successfully");
        }
    }

    @Test
    void kafka_is_the_official_image_at_the_version_the_build_uses_in_kraft_mode() {
        Map<String, Object> kafka = Yamls.map(Yamls.map(Deployments.composeFile().get("services")).get("kafka"));
        assertThat(kafka.get("image")).isEqualTo("apache/kafka:" + Repo.pomProperties().get("kafka.version"));
        assertThat(Yamls.at(kafka, "environment", "KAFKA_PROCESS_ROLES")).isEqualTo("broker,controller");
        assertThat(Yamls.at(kafka, "environment", "KAFKA_AUTO_CREATE_TOPICS_ENABLE")).isEqualTo("false");
        assertThat(kafka).doesNotContainKey("ports");
        for (DeployedContainer container : Deployments.compose()) {
            assertThat(container.env().get("KAFKA_BOOTSTRAP_SERVERS")).as(container.service())
                    .isEqualTo(new DeployedContainer.Literal(
                            String.valueOf(Yamls.at(kafka, "environment", "KAFKA_ADVERTISED_LISTENERS")).replace("PLAINTEXT://", "")));
        }
    }

    @Test
    void only_the_ingest_publishes_a_port_on_the_loopback_address_and_it_is_the_ui_on_8080() {
        Map<String, Object> services = Yamls.map(Deployments.composeFile().get("services"));
        services.forEach((name, service) -> {
            List<Object> ports = Yamls.list(Yamls.map(service).get("ports"));
            if (name.equals("ingest")) {
                // Compose runs without sign-in (one local owner): only this machine may reach it.
                assertThat(ports).containsExactly("127.0.0.1:8080:" + ServiceConfig.load("ingest").httpPort());
            } else {
                assertThat(ports).as("%s publishes nothing", name).isEmpty();
            }
        });
    }

    private static void dropIds(JsonNode node) {
        if (node instanceof ObjectNode object) {
            if (object.has("id") && object.get("id").isTextual()) {
                object.remove("id");
            }
            object.elements().forEachRemaining(ComposeFileTest::dropIds);
        } else if (node.isArray()) {
            node.elements().forEachRemaining(ComposeFileTest::dropIds);
        }
    }

    private static JsonSchema composeSchema() throws Exception {
        try (InputStream in = ComposeFileTest.class.getResourceAsStream("/compose-spec/compose-spec.json")) {
            ObjectNode schema = (ObjectNode) JSON.readTree(in);
            // The vendored file names its draft as "http://json-schema.org/draft/2019-09/schema#"; the
            // validator keys its meta-schemas without the '#'. The content is draft 2019-09.
            schema.remove("$schema");
            // It also keeps draft-04's "id" annotations (e.g. "#/properties/services"), which 2019-09
            // validators reject as a keyword; they carry no constraint, so they are dropped.
            dropIds(schema);
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V201909).getSchema(schema);
        }
    }
}
