package io.receiptranger.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;

import org.junit.jupiter.api.Test;

/**
 * deploy/ecs/receipt-ranger.yaml: structurally sound (every Ref, GetAtt, Sub variable, condition and
 * DependsOn resolves; every parameter and condition is used; a conditional resource is only
 * referenced where its condition holds) and true to the services and the contract topics.
 */
class EcsTemplateTest {

    /** The CloudFormation resource specification of the types the template uses (vendored). */
    private static final CloudFormationSpec SPEC = CloudFormationSpec.load();

    private final CloudFormation cfn = Deployments.ecsTemplate();

    @Test
    void every_reference_resolves_and_respects_conditions() {
        List<String> problems = new ArrayList<>();
        Map<String, Object> resources = cfn.section("Resources");
        Map<String, Object> conditions = cfn.section("Conditions");
        resources.forEach((id, r) -> {
            Map<String, Object> resource = Yamls.map(r);
            String condition = Yamls.str(resource.get("Condition"));
            if (condition != null && !conditions.containsKey(condition)) {
                problems.add(id + ": unknown condition " + condition);
            }
            for (Object dep : resource.get("DependsOn") instanceof List<?> l ? l : resource.get("DependsOn") == null ? List.of()
                    : List.of(resource.get("DependsOn"))) {
                if (!resources.containsKey(String.valueOf(dep))) {
                    problems.add(id + ": DependsOn unknown " + dep);
                }
            }
            check(resource.get("Properties"), id, condition == null ? Set.of() : Set.of(condition), problems);
        });
        cfn.section("Outputs").forEach((id, o) -> {
            String condition = Yamls.str(Yamls.map(o).get("Condition"));
            check(Yamls.map(o).get("Value"), "Outputs." + id, condition == null ? Set.of() : Set.of(condition), problems);
        });
        conditions.forEach((id, c) -> check(c, "Conditions." + id, Set.of(), problems));
        assertThat(problems).isEmpty();
    }

    @Test
    void every_resource_has_the_properties_of_its_type_in_the_cloudformation_specification() {
        List<String> problems = new ArrayList<>();
        cfn.section("Resources").forEach((id, r) -> {
            Map<String, Object> resource = Yamls.map(r);
            problems.addAll(SPEC.problems(id, String.valueOf(resource.get("Type")), Yamls.map(resource.get("Properties"))));
        });
        assertThat(problems).isEmpty();
    }

    @Test
    void a_misspelt_or_missing_property_is_caught() {
        Map<String, Object> container = new java.util.LinkedHashMap<>(Deployments.ecsContainerDefinition(cfn, "ingest"));
        container.put("ReadOnlyRootFilesystem", true);
        container.remove("Image");
        Map<String, Object> properties = new java.util.LinkedHashMap<>(Yamls.map(cfn.resource("IngestTaskDefinition").get("Properties")));
        properties.put("ContainerDefinitions", List.of(container));

        assertThat(SPEC.problems("probe", "AWS::ECS::TaskDefinition", properties))
                .anySatisfy(p -> assertThat(p).contains("ReadOnlyRootFilesystem: no such property"))
                .anySatisfy(p -> assertThat(p).contains("Image: required"));
    }

    @Test
    void every_parameter_and_every_condition_is_used() {
        Set<String> used = new HashSet<>();
        Set<String> usedConditions = new HashSet<>();
        collectUses(cfn.section("Resources"), used, usedConditions);
        collectUses(cfn.section("Outputs"), used, usedConditions);
        collectUses(cfn.section("Conditions"), used, usedConditions);
        assertThat(used).as("parameters referenced").containsAll(cfn.section("Parameters").keySet());
        assertThat(usedConditions).as("conditions used").containsAll(cfn.section("Conditions").keySet());
    }

    @Test
    void a_broken_reference_is_caught() {
        List<String> problems = new ArrayList<>();
        check(Map.of("Fn::Sub", "${NoSuchThing}/x"), "probe", Set.of(), problems);
        check(Map.of("Fn::GetAtt", List.of("LoadBalancer", "NoSuchAttribute")), "probe", Set.of(), problems);
        check(Map.of("Ref", "BlobBucket"), "probe", Set.of(), problems);
        assertThat(problems).hasSize(3);
    }

    @Test
    void the_load_balancer_keeps_websockets_open_and_forwards_to_the_ingest_which_signs_users_in() {
        Duration ping = ServiceConfig.load("ingest").webSocketPingInterval().orElseThrow();
        Map<String, Object> alb = cfn.resource("LoadBalancer");
        String idle = Yamls.list(Yamls.at(alb, "Properties", "LoadBalancerAttributes")).stream().map(Yamls::map)
                .filter(a -> "idle_timeout.timeout_seconds".equals(a.get("Key"))).map(a -> Yamls.str(a.get("Value")))
                .findFirst().orElseThrow(() -> new AssertionError("no idle timeout: the ALB default is 60 s"));
        assertThat(Duration.ofSeconds(Long.parseLong(idle))).isGreaterThanOrEqualTo(ping.multipliedBy(3));

        // Only the ingest is a target, with the service's readiness path, no stickiness
        List<String> targetGroups = cfn.resourcesOfType("AWS::ElasticLoadBalancingV2::TargetGroup");
        assertThat(targetGroups).containsExactly("IngestTargetGroup");
        Map<String, Object> tg = Yamls.map(cfn.resource("IngestTargetGroup").get("Properties"));
        ServiceConfig ingest = ServiceConfig.load("ingest");
        assertThat(tg.get("Port")).isEqualTo(ingest.httpPort());
        assertThat(tg.get("HealthCheckPath")).isEqualTo(ingest.healthPath("ready"));
        assertThat(Yamls.list(tg.get("TargetGroupAttributes"))).contains(Map.of("Key", "stickiness.enabled", "Value", "false"));
        for (String id : cfn.resourcesOfType("AWS::ECS::Service")) {
            List<Object> lbs = Yamls.list(Yamls.at(cfn.resource(id), "Properties", "LoadBalancers"));
            assertThat(lbs).as(id).allSatisfy(lb -> assertThat(Yamls.map(lb).get("ContainerName")).isEqualTo("ingest"));
        }

        // HTTPS forwards (the ingest signs users in: an ALB sign-in would refuse the CLI's bearer
        // tokens, and its identity headers are not what the ingest trusts); plain HTTP only redirects
        for (String id : cfn.resourcesOfType("AWS::ElasticLoadBalancingV2::Listener")) {
            List<Map<String, Object>> actions = Yamls.list(Yamls.at(cfn.resource(id), "Properties", "DefaultActions"))
                    .stream().map(Yamls::map).toList();
            if ("HTTPS".equals(Yamls.at(cfn.resource(id), "Properties", "Protocol"))) {
                assertThat(actions).extracting(a -> a.get("Type")).containsExactly("forward");
            } else {
                assertThat(actions).extracting(a -> a.get("Type")).containsExactly("redirect");
            }
        }
        assertThat(cfn.resourcesOfType("AWS::ElasticLoadBalancingV2::ListenerRule")).isEmpty();
    }

    /** What keeps a stack from starting an ingest that lets everyone in, or nobody. */
    static List<String> signInProblems(Map<String, Object> template) {
        List<String> problems = new java.util.ArrayList<>();
        Map<String, Object> allowed = Yamls.map(Yamls.at(template, "Parameters", "AllowedUsers"));
        if (allowed == null || allowed.containsKey("Default") || !(allowed.get("MinLength") instanceof Integer n) || n < 1) {
            problems.add("the AllowedUsers parameter must be required (no Default, MinLength 1)");
        }
        Map<String, Object> ingest = null;
        for (Object r : Yamls.map(template.get("Resources")).values()) {
            for (Object c : Yamls.list(Yamls.at(r, "Properties", "ContainerDefinitions"))) {
                if ("ingest".equals(Yamls.map(c).get("Name"))) {
                    ingest = Yamls.map(c);
                }
            }
        }
        Map<String, Object> env = new java.util.HashMap<>();
        Yamls.list(ingest == null ? null : ingest.get("Environment")).forEach(e -> env.put(Yamls.str(Yamls.map(e).get("Name")), Yamls.map(e).get("Value")));
        if (!Map.of("Ref", "AllowedUsers").equals(env.get("RANGER_AUTH_ALLOWED_USERS"))) {
            problems.add("the ingest's RANGER_AUTH_ALLOWED_USERS is not the AllowedUsers parameter");
        }
        if (env.get("RANGER_AUTH_ISSUER") == null || env.get("RANGER_AUTH_CLIENT_ID") == null) {
            problems.add("the ingest has no RANGER_AUTH_ISSUER / RANGER_AUTH_CLIENT_ID");
        }
        boolean secret = Yamls.list(ingest == null ? null : ingest.get("Secrets")).stream()
                .anyMatch(e -> "RANGER_AUTH_CLIENT_SECRET".equals(Yamls.map(e).get("Name")));
        if (!secret) {
            problems.add("the ingest gets no RANGER_AUTH_CLIENT_SECRET from Secrets Manager");
        }
        return problems;
    }

    @Test
    void the_stack_requires_sign_in_with_an_allow_list() {
        assertThat(signInProblems(Yamls.loadCloudFormation(Repo.root().resolve(Deployments.ECS_TEMPLATE)))).isEmpty();
    }

    @Test
    void a_stack_without_the_allow_list_is_caught() {
        Map<String, Object> template = Yamls.loadCloudFormation(Repo.root().resolve(Deployments.ECS_TEMPLATE));
        Map<String, Object> parameters = new java.util.LinkedHashMap<>(Yamls.map(template.get("Parameters")));
        Map<String, Object> allowed = new java.util.LinkedHashMap<>(Yamls.map(parameters.get("AllowedUsers")));
        allowed.put("Default", "");
        parameters.put("AllowedUsers", allowed);
        template = new java.util.LinkedHashMap<>(template);
        template.put("Parameters", parameters);
        assertThat(signInProblems(template)).singleElement().asString().contains("AllowedUsers");
        parameters.remove("AllowedUsers");
        assertThat(signInProblems(template)).singleElement().asString().contains("AllowedUsers");
    }

    /**
     * What keeps a stack from running without the key-encryption keys: a required parameter naming a
     * Secrets Manager secret, handed to the ingest and the extractor as RANGER_KEY_ENCRYPTION_KEYS, and
     * readable by the task execution role.
     */
    static List<String> keyEncryptionProblems(Map<String, Object> template) {
        List<String> problems = new java.util.ArrayList<>();
        Map<String, Object> parameter = Yamls.map(Yamls.at(template, "Parameters", "KeyEncryptionKeysSecretArn"));
        if (parameter == null || parameter.containsKey("Default") || !(parameter.get("MinLength") instanceof Integer n) || n < 1) {
            problems.add("the KeyEncryptionKeysSecretArn parameter must be required (no Default, MinLength >= 1)");
        }
        Map<String, Object> ref = Map.of("Ref", "KeyEncryptionKeysSecretArn");
        for (String service : List.of("ingest", "extractor")) {
            boolean given = false;
            for (Object r : Yamls.map(template.get("Resources")).values()) {
                for (Object c : Yamls.list(Yamls.at(r, "Properties", "ContainerDefinitions"))) {
                    if (service.equals(Yamls.map(c).get("Name"))) {
                        given |= Yamls.list(Yamls.map(c).get("Secrets")).stream().map(Yamls::map)
                                .anyMatch(e -> "RANGER_KEY_ENCRYPTION_KEYS".equals(e.get("Name")) && ref.equals(e.get("ValueFrom")));
                    }
                }
            }
            if (!given) {
                problems.add("the " + service + " gets no RANGER_KEY_ENCRYPTION_KEYS from the KeyEncryptionKeysSecretArn secret");
            }
        }
        boolean readable = Yamls.list(Yamls.at(template, "Resources", "TaskExecutionRole", "Properties", "Policies")).stream()
                .flatMap(p -> Yamls.list(Yamls.at(p, "PolicyDocument", "Statement")).stream())
                .anyMatch(st -> String.valueOf(Yamls.map(st).get("Action")).contains("secretsmanager:GetSecretValue")
                        && Yamls.list(Yamls.map(st).get("Resource")).contains(ref));
        if (!readable) {
            problems.add("the task execution role may not read the KeyEncryptionKeysSecretArn secret");
        }
        return problems;
    }

    @Test
    void the_stack_requires_the_key_encryption_keys_for_ingest_and_extractor() {
        assertThat(keyEncryptionProblems(Yamls.loadCloudFormation(Repo.root().resolve(Deployments.ECS_TEMPLATE)))).isEmpty();
    }

    @Test
    void a_stack_without_the_key_encryption_keys_is_caught() {
        Map<String, Object> template = new java.util.LinkedHashMap<>(Yamls.loadCloudFormation(Repo.root().resolve(Deployments.ECS_TEMPLATE)));
        Map<String, Object> parameters = new java.util.LinkedHashMap<>(Yamls.map(template.get("Parameters")));
        Map<String, Object> kek = new java.util.LinkedHashMap<>(Yamls.map(parameters.get("KeyEncryptionKeysSecretArn")));
        kek.put("Default", "");
        parameters.put("KeyEncryptionKeysSecretArn", kek);
        template.put("Parameters", parameters);
        assertThat(keyEncryptionProblems(template)).singleElement().asString().contains("must be required");

        parameters.remove("KeyEncryptionKeysSecretArn");
        Map<String, Object> resources = new java.util.LinkedHashMap<>(Yamls.map(template.get("Resources")));
        resources.replaceAll((id, r) -> withoutKekSecret(r));
        template.put("Resources", resources);
        assertThat(keyEncryptionProblems(template)).hasSize(3).anySatisfy(p -> assertThat(p).contains("must be required"))
                .anySatisfy(p -> assertThat(p).contains("the ingest")).anySatisfy(p -> assertThat(p).contains("the extractor"));
    }

    /** A copy of a resource whose containers no longer get RANGER_KEY_ENCRYPTION_KEYS. */
    @SuppressWarnings("unchecked")
    private static Object withoutKekSecret(Object resource) {
        List<Object> containers = Yamls.list(Yamls.at(resource, "Properties", "ContainerDefinitions"));
        if (containers.isEmpty()) {
            return resource;
        }
        List<Object> edited = new java.util.ArrayList<>();
        for (Object c : containers) {
            Map<String, Object> copy = new java.util.LinkedHashMap<>(Yamls.map(c));
            copy.put("Secrets", Yamls.list(copy.get("Secrets")).stream()
                    .filter(e -> !"RANGER_KEY_ENCRYPTION_KEYS".equals(Yamls.map(e).get("Name"))).toList());
            edited.add(copy);
        }
        Map<String, Object> properties = new java.util.LinkedHashMap<>(Yamls.map(Yamls.map(resource).get("Properties")));
        properties.put("ContainerDefinitions", edited);
        Map<String, Object> copy = new java.util.LinkedHashMap<>(Yamls.map(resource));
        copy.put("Properties", properties);
        return copy;
    }

    @Test
    void the_topics_are_created_once_per_deploy_before_the_services_start() {
        // Given the one task that creates kafka-local's topics, run by a custom resource
        List<ContractTopics.Topic> contract = ContractTopics.all();
        int maxTasks = Integer.parseInt(String.valueOf(cfn.parameterDefault("ExtractorMaxTasks")));
        Map<String, Object> run = Yamls.map(cfn.resource("KafkaTopics").get("Properties"));
        assertThat(run.get("TaskDefinition")).isEqualTo(Map.of("Ref", "KafkaTopicsTaskDefinition"));
        assertThat(String.valueOf(run.get("Images"))).as("re-run on every deploy of new images")
                .contains("IngestImageUri").contains("ExtractorImageUri").contains("SheetsSinkImageUri");
        List<Object> topicContainers = Yamls.list(Yamls.at(cfn.resource("KafkaTopicsTaskDefinition"), "Properties",
                "ContainerDefinitions"));
        assertThat(topicContainers).hasSize(1);
        String script = String.join("\n", Yamls.list(Yamls.map(topicContainers.get(0)).get("Command")).stream()
                .map(String::valueOf).toList());
        List<ContractTopics.Created> created = ContractTopics.parseCreateCommands(script);
        assertThat(created).extracting(ContractTopics.Created::name)
                .containsExactlyInAnyOrderElementsOf(contract.stream().map(ContractTopics.Topic::name).toList());
        for (ContractTopics.Topic topic : contract) {
            ContractTopics.Created c = created.stream().filter(t -> t.name().equals(topic.name())).findFirst().orElseThrow();
            assertThat(c.configs()).as(topic.name()).isEqualTo(topic.configs());
            assertThat(c.replicationFactor()).as(topic.name()).isEqualTo(3);
            if (topic.scaled()) {
                assertThat(c.partitions()).as(topic.name()).isGreaterThanOrEqualTo(maxTasks);
            } else {
                assertThat(c.partitions()).as(topic.name()).isEqualTo(topic.fixedPartitions());
            }
        }

        // Then no service task creates topics, and every service starts after them
        for (String service : Repo.SERVICES) {
            Map<String, Object> app = Deployments.ecsContainerDefinition(cfn, service);
            assertThat(app).as(service).doesNotContainKey("DependsOn");
        }
        for (String id : List.of("IngestService", "ExtractorService", "SheetsSinkService")) {
            assertThat(String.valueOf(cfn.resource(id).get("DependsOn"))).as(id).contains("KafkaTopics");
        }
        for (String id : cfn.resourcesOfType("AWS::ECS::TaskDefinition")) {
            if (!id.equals("KafkaTopicsTaskDefinition")) {
                assertThat(String.valueOf(cfn.resource(id))).as(id).doesNotContain("kafka-topics.sh");
            }
        }
    }

    @Test
    void dead_letters_are_kept_30_days_as_documented() {
        assertThat(Repo.read(Repo.path("deploy", "README.md"))).contains("| `receipts-dlq`, `extractions-dlq` | 1 | operators | kept 30 days |");
        for (ContractTopics.Topic topic : ContractTopics.all()) {
            if (topic.name().endsWith("-dlq")) {
                assertThat(topic.configs()).as(topic.name()).containsEntry("retention.ms", String.valueOf(30L * 24 * 3600 * 1000));
            }
        }
    }

    @Test
    void the_containers_health_check_is_liveness_and_readiness_stays_on_the_target_group() {
        for (String service : Repo.SERVICES) {
            String command = String.valueOf(Yamls.at(Deployments.ecsContainerDefinition(cfn, service), "HealthCheck", "Command"));
            assertThat(command).as(service).contains(ServiceConfig.load(service).healthPath("live"))
                    .doesNotContain("/ready");
        }
        assertThat(Yamls.at(cfn.resource("IngestTargetGroup"), "Properties", "HealthCheckPath"))
                .isEqualTo(ServiceConfig.load("ingest").healthPath("ready"));
    }

    @Test
    void an_autoscaled_service_has_no_desired_count_and_every_service_stops_gracefully() {
        // Every service a scalable target names (extractor and sheets-sink) leaves the count to it.
        List<String> scaled = cfn.resourcesOfType("AWS::ApplicationAutoScaling::ScalableTarget").stream()
                .map(target -> Yamls.at(cfn.resource(target), "Properties", "ResourceId").toString())
                .map(id -> id.replaceAll(".*\\$\\{(\\w+)\\.Name}.*", "$1")).toList();
        assertThat(scaled).containsExactlyInAnyOrder("ExtractorService", "SheetsSinkService");
        for (String service : scaled) {
            assertThat(Yamls.map(cfn.resource(service).get("Properties"))).as(service).doesNotContainKey("DesiredCount");
        }
        for (String service : Repo.SERVICES) {
            Object stop = Deployments.ecsContainerDefinition(cfn, service).get("StopTimeout");
            String timeout = ServiceConfig.load(service).properties.getProperty("quarkus.shutdown.timeout");
            assertThat(((Number) stop).longValue()).as(service).isGreaterThan(ServiceConfig.duration(timeout).toSeconds());
        }
    }

    @Test
    void clients_cannot_choose_their_address_for_the_rate_limit() {
        Object attributes = Yamls.at(cfn.resource("LoadBalancer"), "Properties", "LoadBalancerAttributes");
        assertThat(Yamls.list(attributes)).contains(Map.of("Key", "routing.http.xff_header_processing.mode", "Value", "replace"));
        Object env = Deployments.ecsContainerDefinition(cfn, "ingest").get("Environment");
        assertThat(Yamls.list(env)).contains(Map.of("Name", "RANGER_UPLOAD_TRUSTED_PROXIES", "Value", Map.of("Ref", "VpcCidr")));
    }

    @Test
    void each_service_has_its_own_task_role_with_only_the_s3_actions_it_needs() {
        assertThat(cfn.resourcesOfType("AWS::IAM::Role")).doesNotContain("TaskRole");
        Map<String, String> roles = Map.of("ingest", "IngestTaskRole", "extractor", "ExtractorTaskRole",
                "sheets-sink", "SheetsSinkTaskRole");
        Map<String, List<String>> actions = Map.of(
                "ingest", List.of("s3:DeleteObject", "s3:GetObject", "s3:ListBucket", "s3:PutObject"),
                "extractor", List.of("s3:GetObject"),
                "sheets-sink", List.of());
        for (String service : Repo.SERVICES) {
            String taskDefinition = cfn.resourcesOfType("AWS::ECS::TaskDefinition").stream()
                    .filter(id -> String.valueOf(cfn.resource(id)).contains("Name=" + service + ",")).findFirst().orElseThrow();
            assertThat(Yamls.at(cfn.resource(taskDefinition), "Properties", "TaskRoleArn"))
                    .isEqualTo(Map.of("Fn::GetAtt", List.of(roles.get(service), "Arn")));
            String role = String.valueOf(cfn.evaluate(cfn.resource(roles.get(service))));
            java.util.TreeSet<String> granted = new java.util.TreeSet<>();
            Matcher m = java.util.regex.Pattern.compile("s3:[A-Za-z]+").matcher(role);
            while (m.find()) {
                granted.add(m.group());
            }
            assertThat(granted).as(service).containsExactlyElementsOf(actions.get(service));
        }
    }

    @Test
    void the_extractor_scales_on_lag_within_the_partitions_and_the_providers_rate_limit() {
        Map<String, Object> target = Yamls.map(cfn.resource("ExtractorScalableTarget").get("Properties"));
        assertThat(target.get("MaxCapacity")).isEqualTo(Map.of("Ref", "ExtractorMaxTasks"));
        int maxTasks = Integer.parseInt(String.valueOf(cfn.parameterDefault("ExtractorMaxTasks")));
        int concurrency = Integer.parseInt(String.valueOf(cfn.parameterDefault("ModelConcurrency")));
        Map<String, Object> scaledObject = Deployments.baseObjects("ScaledObject").get("extractor");
        Map<String, Object> annotations = Yamls.map(Yamls.at(scaledObject, "metadata", "annotations"));
        int rpm = Integer.parseInt(String.valueOf(annotations.get("receipt-ranger.io/provider-requests-per-minute")));
        int seconds = Integer.parseInt(String.valueOf(annotations.get("receipt-ranger.io/model-call-seconds")));
        assertThat(maxTasks * concurrency).isLessThanOrEqualTo(rpm * seconds / 60);
        assertThat(Integer.parseInt(String.valueOf(Yamls.at(cfn.section("Parameters"), "ExtractorMaxTasks", "MaxValue"))))
                .as("never more tasks than partitions of receipts").isLessThanOrEqualTo(12);

        Map<String, Object> policy = Yamls.map(cfn.resource("ExtractorLagScaling").get("Properties"));
        String metrics = String.valueOf(Yamls.at(policy, "TargetTrackingScalingPolicyConfiguration", "CustomizedMetricSpecification"));
        ServiceConfig extractor = ServiceConfig.load("extractor");
        assertThat(metrics).contains("SumOffsetLag")
                .contains("Value=" + extractor.properties.getProperty("mp.messaging.incoming.receipts.group.id") + "}")
                .contains("Value=" + extractor.properties.getProperty("mp.messaging.incoming.receipts.topic") + "}");
    }

    @Test
    void the_sink_scales_on_lag_within_the_partitions_and_googles_quota() {
        Map<String, Object> target = Yamls.map(cfn.resource("SinkScalableTarget").get("Properties"));
        assertThat(String.valueOf(target.get("ResourceId"))).contains("SheetsSinkService");
        assertThat(target.get("MaxCapacity")).isEqualTo(Map.of("Ref", "SinkMaxTasks"));
        int maxTasks = Integer.parseInt(String.valueOf(cfn.parameterDefault("SinkMaxTasks")));
        int perTask = Integer.parseInt(String.valueOf(cfn.parameterDefault("SinkWritesPerMinute")));
        assertThat(maxTasks * perTask).as("Google requests a minute at full scale, one service account").isLessThanOrEqualTo(60);
        assertThat(Integer.parseInt(String.valueOf(Yamls.at(cfn.section("Parameters"), "SinkMaxTasks", "MaxValue"))))
                .as("never more tasks than partitions of extractions").isLessThanOrEqualTo(12);
        DeployedContainer sinkContainer = Deployments.ecs().stream().filter(c -> c.service().equals("sheets-sink")).findFirst().orElseThrow();
        assertThat(sinkContainer.env()).containsKeys("RANGER_SHEETS_WRITES_PER_MINUTE", "RANGER_SHEETS_READS_PER_MINUTE")
                .as("a task's name never comes back: dynamic membership").doesNotContainKey("RANGER_INSTANCE_ID");

        Map<String, Object> policy = Yamls.map(cfn.resource("SinkLagScaling").get("Properties"));
        String metrics = String.valueOf(Yamls.at(policy, "TargetTrackingScalingPolicyConfiguration", "CustomizedMetricSpecification"));
        ServiceConfig sink = ServiceConfig.load("sheets-sink");
        assertThat(metrics).contains("SumOffsetLag")
                .contains("Value=" + sink.properties.getProperty("mp.messaging.incoming.extractions.group.id") + "}")
                .contains("Value=" + sink.properties.getProperty("mp.messaging.incoming.extractions.topic") + "}");
        Map<String, Object> service = Yamls.map(cfn.resource("SheetsSinkService").get("Properties"));
        assertThat(Yamls.at(service, "DeploymentConfiguration", "MinimumHealthyPercent")).isEqualTo(100);
    }

    @Test
    void logs_go_to_cloudwatch_and_blobs_expire() {
        for (String id : cfn.resourcesOfType("AWS::ECS::TaskDefinition")) {
            for (Object c : Yamls.list(Yamls.at(cfn.resource(id), "Properties", "ContainerDefinitions"))) {
                assertThat(Yamls.at(c, "LogConfiguration", "LogDriver")).as(id).isEqualTo("awslogs");
            }
        }
        Object rules = Yamls.at(cfn.resource("BlobBucket"), "Properties", "LifecycleConfiguration", "Rules");
        assertThat(Yamls.list(rules)).anySatisfy(rule -> {
            assertThat(Yamls.map(rule).get("Status")).isEqualTo("Enabled");
            assertThat(Yamls.map(rule).get("ExpirationInDays")).isEqualTo(Map.of("Ref", "BlobRetentionDays"));
        });
    }

    @Test
    void by_default_images_go_to_a_private_s3_bucket_that_expires_them() {
        for (DeployedContainer c : Deployments.ecs()) {
            if (c.service().equals("sheets-sink")) {
                assertThat(c.env()).doesNotContainKey("RANGER_BLOB_STORE");
                continue;
            }
            assertThat(c.env().get("RANGER_BLOB_STORE")).isEqualTo(new DeployedContainer.Literal("s3://<BlobBucket>/blobs"));
            assertThat(c.mounts()).as("no EFS volume with S3").doesNotContainKey("/var/lib/ranger/blobs");
        }
        Map<String, Object> bucket = Yamls.map(cfn.resource("BlobBucket").get("Properties"));
        assertThat(Yamls.map(bucket.get("PublicAccessBlockConfiguration")).values()).containsOnly(true);
        assertThat(Yamls.list(Yamls.at(bucket, "LifecycleConfiguration", "Rules"))).anySatisfy(rule ->
                assertThat(Yamls.map(rule).get("Prefix")).isEqualTo("blobs/"));
        String role = String.valueOf(cfn.evaluate(cfn.resource("IngestTaskRole")));
        assertThat(role).contains("s3:GetObject").contains("s3:PutObject").contains("s3:DeleteObject")
                .doesNotContain("elasticfilesystem");
    }

    @Test
    void the_optional_parts_are_wired_when_switched_on() {
        // Given a stack with EFS blobs, an OpenAI key and Google Sheets (every If taking its other branch)
        List<DeployedContainer> containers = Deployments.ecs(Deployments.ECS_WITH_EVERYTHING, Deployments.ECS_WITH_EVERYTHING_LABEL);

        for (DeployedContainer c : containers) {
            switch (c.service()) {
                case "extractor" -> assertThat(c.env().get("OPENAI_API_KEY"))
                        .isEqualTo(new DeployedContainer.SecretRef(Deployments.ECS_WITH_EVERYTHING.get("OpenAiApiKeySecretArn")));
                case "sheets-sink" -> {
                    assertThat(c.env().get("GOOGLE_SHEETS_CREDENTIALS")).isEqualTo(new DeployedContainer.SecretRef(
                            Deployments.ECS_WITH_EVERYTHING.get("GoogleSheetsCredentialsSecretArn")));
                    assertThat(c.env().get("GOOGLE_SHEETS_SPREADSHEET_ID")).isEqualTo(new DeployedContainer.Literal("1AbCdEf"));
                }
                default -> {
                }
            }
            if (!c.service().equals("sheets-sink")) {
                assertThat(c.env().get("RANGER_BLOB_STORE")).isEqualTo(new DeployedContainer.Literal("file:/var/lib/ranger/blobs"));
                assertThat(c.mounts()).as("the EFS volume").containsKey("/var/lib/ranger/blobs");
            }
        }
        Map<String, Object> executionRole = Yamls.map(cfn.withParameters(Deployments.ECS_WITH_EVERYTHING)
                .evaluate(cfn.resource("TaskExecutionRole")));
        assertThat(String.valueOf(executionRole)).as("the execution role may read the operator's secrets")
                .contains(Deployments.ECS_WITH_EVERYTHING.get("OpenAiApiKeySecretArn"))
                .contains(Deployments.ECS_WITH_EVERYTHING.get("GoogleSheetsCredentialsSecretArn"));
    }

    // ------------------------------------------------------------------ structure

    /** Walks a value; {@code holding} are the conditions known true at this point. */
    private void check(Object node, String where, Set<String> holding, List<String> problems) {
        if (node instanceof List<?> list) {
            list.forEach(item -> check(item, where, holding, problems));
            return;
        }
        if (!(node instanceof Map<?, ?> map)) {
            return;
        }
        if (map.size() == 1) {
            Map.Entry<?, ?> only = map.entrySet().iterator().next();
            String key = String.valueOf(only.getKey());
            Object arg = only.getValue();
            switch (key) {
                case "Ref" -> {
                    checkName(String.valueOf(arg), where, holding, problems);
                    return;
                }
                case "Fn::GetAtt" -> {
                    List<Object> parts = Yamls.list(arg);
                    String id = String.valueOf(parts.get(0));
                    String attribute = String.valueOf(parts.get(1));
                    Map<String, Object> resource = Yamls.map(cfn.section("Resources").get(id));
                    if (resource.isEmpty()) {
                        problems.add(where + ": GetAtt of unknown resource " + id);
                        return;
                    }
                    String type = String.valueOf(resource.get("Type"));
                    if (!type.startsWith("Custom::") && !SPEC.attributes(type).contains(attribute)) {
                        problems.add(where + ": GetAtt " + id + "." + attribute + " (" + type + " has " + SPEC.attributes(type) + ")");
                    }
                    checkConditional(id, where, holding, problems);
                    return;
                }
                case "Fn::Sub" -> {
                    String text = arg instanceof List<?> l ? String.valueOf(l.get(0)) : String.valueOf(arg);
                    Map<String, Object> vars = arg instanceof List<?> l ? Yamls.map(l.get(1)) : Map.of();
                    vars.values().forEach(v -> check(v, where, holding, problems));
                    Matcher m = CloudFormation.SUB_VARIABLE.matcher(text);
                    while (m.find()) {
                        String name = m.group(1);
                        if (vars.containsKey(name)) {
                            continue;
                        }
                        if (name.contains(".")) {
                            String[] parts = name.split("\\.", 2);
                            check(Map.of("Fn::GetAtt", List.of(parts[0], parts[1])), where, holding, problems);
                        } else {
                            checkName(name, where, holding, problems);
                        }
                    }
                    return;
                }
                case "Fn::If" -> {
                    List<Object> args = Yamls.list(arg);
                    String condition = String.valueOf(args.get(0));
                    if (!cfn.section("Conditions").containsKey(condition)) {
                        problems.add(where + ": Fn::If on unknown condition " + condition);
                    }
                    Set<String> inThen = new LinkedHashSet<>(holding);
                    inThen.add(condition);
                    check(args.get(1), where, inThen, problems);
                    check(args.get(2), where, holding, problems);
                    return;
                }
                case "Condition" -> {
                    if (!cfn.section("Conditions").containsKey(String.valueOf(arg))) {
                        problems.add(where + ": unknown condition " + arg);
                    }
                    return;
                }
                default -> {
                }
            }
        }
        map.values().forEach(v -> check(v, where, holding, problems));
    }

    private void checkName(String name, String where, Set<String> holding, List<String> problems) {
        if (CloudFormation.PSEUDO_PARAMETERS.contains(name) || cfn.section("Parameters").containsKey(name)) {
            return;
        }
        if (!cfn.section("Resources").containsKey(name)) {
            problems.add(where + ": reference to unknown " + name);
            return;
        }
        checkConditional(name, where, holding, problems);
    }

    private void checkConditional(String id, String where, Set<String> holding, List<String> problems) {
        String condition = Yamls.str(Yamls.map(cfn.section("Resources").get(id)).get("Condition"));
        if (condition != null && !holding.contains(condition)) {
            problems.add(where + ": " + id + " exists only when " + condition + ", which does not hold here");
        }
    }

    private static void collectUses(Object node, Set<String> refs, Set<String> conditions) {
        if (node instanceof List<?> list) {
            list.forEach(item -> collectUses(item, refs, conditions));
        } else if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                String key = String.valueOf(k);
                if (key.equals("Ref")) {
                    refs.add(String.valueOf(v));
                } else if (key.equals("Fn::Sub")) {
                    String text = v instanceof List<?> l ? String.valueOf(l.get(0)) : String.valueOf(v);
                    CloudFormation.SUB_VARIABLE.matcher(text).results().forEach(r -> refs.add(r.group(1).split("\\.")[0]));
                } else if (key.equals("Fn::If")) {
                    conditions.add(String.valueOf(Yamls.list(v).get(0)));
                } else if (key.equals("Condition")) {
                    conditions.add(String.valueOf(v));
                }
                collectUses(v, refs, conditions);
            });
        }
    }
}
