package io.receiptranger.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * deploy/observability and its Kubernetes side: the rules pass {@code promtool check rules} (Debian's
 * prometheus package, installed by .ci/run), the PrometheusRule is the rule file word for word, the
 * ServiceMonitor and the scrape NetworkPolicy reach each service's metrics, the dashboard imports as
 * is. That every query returns data is ObservabilityIT's job (tests/end-to-end, a real Prometheus).
 */
class ObservabilityTest {

    static final Path RULES = Repo.path("deploy", "observability", "alerts.yml");
    static final Path DASHBOARD = Repo.path("deploy", "observability", "grafana-dashboard.json");
    static final Set<String> ALERTS = Set.of("RangerDeadLettersGrowing", "RangerConsumerLagGrowing", "RangerNoReceiptsFinishing",
            "RangerModelErrorRate", "RangerModelCircuitOpen", "RangerSheetsDown", "RangerSheetsFailing", "RangerServiceNotReady");

    @Test
    void the_alert_rules_pass_promtool() throws Exception {
        Process promtool = new ProcessBuilder("promtool", "check", "rules", RULES.toString()).redirectErrorStream(true).start();
        assertThat(promtool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(promtool.exitValue()).as(out).isZero();
        assertThat(out).contains("SUCCESS: " + ALERTS.size() + " rules found");
    }

    @Test
    void every_alert_has_a_severity_a_summary_and_a_runbook() {
        List<Map<String, Object>> rules = rules(Yamls.load(RULES));
        Set<String> names = new HashSet<>();
        for (Map<String, Object> rule : rules) {
            String name = Yamls.str(rule.get("alert"));
            names.add(name);
            assertThat(Yamls.str(Yamls.at(rule, "labels", "severity"))).as(name).isIn("warning", "critical");
            Map<String, Object> annotations = Yamls.map(rule.get("annotations"));
            assertThat(annotations).as(name).containsKeys("summary", "description", "runbook");
            assertThat(Yamls.str(annotations.get("runbook")).lines().count()).as(name + " runbook").isGreaterThanOrEqualTo(1);
        }
        assertThat(names).containsExactlyInAnyOrderElementsOf(ALERTS);
    }

    @Test
    void the_kubernetes_prometheus_rule_is_the_rule_file() {
        Map<String, Object> rule = Deployments.baseObjects("PrometheusRule").get("receipt-ranger");
        assertThat(rule).as("deploy/k8s/base has PrometheusRule receipt-ranger").isNotNull();
        assertThat(Yamls.at(rule, "spec", "groups")).isEqualTo(Yamls.load(RULES).get("groups"));
    }

    @Test
    void the_service_monitor_scrapes_each_services_metrics_port_and_the_network_policy_lets_it_in() {
        Map<String, Object> monitor = Deployments.baseObjects("ServiceMonitor").get("receipt-ranger");
        assertThat(monitor).isNotNull();
        Map<String, Object> endpoint = Yamls.map(Yamls.list(Yamls.at(monitor, "spec", "endpoints")).get(0));
        assertThat(endpoint.get("path")).isEqualTo("/q/metrics");
        List<Object> selected = Yamls.list(Yamls.at(Yamls.list(Yamls.at(monitor, "spec", "selector", "matchExpressions")).get(0), "values"));
        assertThat(selected).containsExactlyInAnyOrderElementsOf(Repo.SERVICES);

        Map<String, Map<String, Object>> services = Deployments.baseObjects("Service");
        Map<String, Object> scrape = Deployments.baseObjects("NetworkPolicy").get("prometheus-scrape");
        assertThat(scrape).as("NetworkPolicy prometheus-scrape").isNotNull();
        List<Object> admitted = Yamls.list(Yamls.at(scrape, "spec", "podSelector", "matchExpressions"));
        assertThat(Yamls.list(Yamls.at(admitted.get(0), "values"))).containsExactlyInAnyOrderElementsOf(Repo.SERVICES);
        Map<String, Object> rule = Yamls.map(Yamls.list(Yamls.at(scrape, "spec", "ingress")).get(0));
        Set<Object> ports = new HashSet<>();
        Yamls.list(rule.get("ports")).forEach(p -> ports.add(Yamls.map(p).get("port")));
        assertThat(Yamls.str(Yamls.at(Yamls.list(rule.get("from")).get(0), "podSelector", "matchLabels", "app.kubernetes.io/name")))
                .as("only the Prometheus pods").isEqualTo("prometheus");
        for (String name : Repo.SERVICES) {
            Map<String, Object> port = Yamls.list(Yamls.at(services.get(name), "spec", "ports")).stream().map(Yamls::map)
                    .filter(p -> endpoint.get("port").equals(p.get("name"))).findFirst()
                    .orElseThrow(() -> new AssertionError("Service " + name + " has no port named " + endpoint.get("port")));
            assertThat(ports).as("the scraper reaches %s", name).contains(port.get("port"));
            assertThat(ServiceConfig.load(name).httpPort()).as("%s listens where it is scraped", name).isEqualTo(port.get("port"));
        }
        assertThat(ports).hasSize(Repo.SERVICES.size());
    }

    @Test
    void the_dashboard_imports_as_is_every_panel_on_the_chosen_prometheus() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        assertThat(dashboard.path("uid").asText()).isEqualTo("receipt-ranger");
        assertThat(dashboard.has("id")).as("no instance-specific id").isFalse();
        JsonNode variable = dashboard.path("templating").path("list").get(0);
        assertThat(variable.path("type").asText()).isEqualTo("datasource");
        assertThat(variable.path("query").asText()).isEqualTo("prometheus");

        List<String> titles = new ArrayList<>();
        Set<Integer> ids = new HashSet<>();
        for (JsonNode panel : dashboard.path("panels")) {
            assertThat(ids.add(panel.path("id").asInt())).as("panel ids are unique").isTrue();
            if (panel.path("type").asText().equals("row")) {
                continue;
            }
            titles.add(panel.path("title").asText());
            assertThat(panel.path("datasource").path("uid").asText()).as(panel.path("title").asText()).isEqualTo("${datasource}");
            assertThat(panel.path("targets")).as(panel.path("title").asText()).isNotEmpty();
            panel.path("targets").forEach(t -> assertThat(t.path("expr").asText()).isNotBlank());
            assertThat(panel.path("gridPos").path("x").asInt() + panel.path("gridPos").path("w").asInt()).isLessThanOrEqualTo(24);
        }
        // What an operator looks for (the list): throughput, terminal stages, latency, model, Sheets, lag, DLQ.
        assertThat(String.join("\n", titles)).contains("uploaded", "terminal stage", "Upload to terminal stage", "Model",
                "Sheets", "Consumer lag", "dead-letter");
    }

    @Test
    void on_ecs_every_alert_is_a_cloudwatch_alarm_to_the_alarm_topic_on_lines_the_services_really_log() {
        Map<String, Object> resources = Yamls.map(Yamls.loadCloudFormation(Repo.path("deploy", "ecs", "receipt-ranger.yaml"))
                .get("Resources"));
        Set<String> alarmed = new HashSet<>();
        Set<String> metricsAlarmedOn = new HashSet<>();
        resources.forEach((name, resource) -> {
            if (!"AWS::CloudWatch::Alarm".equals(Yamls.map(resource).get("Type"))) {
                return;
            }
            Map<String, Object> props = Yamls.map(Yamls.map(resource).get("Properties"));
            String description = Yamls.str(props.get("AlarmDescription"));
            ALERTS.stream().filter(description::startsWith).forEach(alarmed::add);
            assertThat(Yamls.list(props.get("AlarmActions"))).as(name).containsExactly(Map.of("Ref", "AlarmTopic"));
            metricsAlarmedOn.add(Yamls.str(props.get("MetricName")));
            Yamls.list(props.get("Metrics")).forEach(m -> metricsAlarmedOn.add(Yamls.str(Yamls.at(m, "MetricStat", "Metric", "MetricName"))));
        });
        assertThat(alarmed).as("alerts.yml rules with a CloudWatch alarm").containsExactlyInAnyOrderElementsOf(ALERTS);

        Map<String, String> sourcesOfLogGroup = Map.of("IngestLogGroup", "ingest", "ExtractorLogGroup", "extractor",
                "SheetsSinkLogGroup", "sheets-sink");
        java.util.regex.Pattern quoted = java.util.regex.Pattern.compile("\\$\\.message = \"([^\"]+)\"");
        int filters = 0;
        for (Map.Entry<String, Object> entry : resources.entrySet()) {
            Map<String, Object> resource = Yamls.map(entry.getValue());
            if (!"AWS::Logs::MetricFilter".equals(resource.get("Type"))) {
                continue;
            }
            filters++;
            Map<String, Object> props = Yamls.map(resource.get("Properties"));
            String metric = Yamls.str(Yamls.at(Yamls.list(props.get("MetricTransformations")).get(0), "MetricName"));
            assertThat(metricsAlarmedOn).as("%s feeds an alarm", entry.getKey()).contains(metric);
            String service = sourcesOfLogGroup.get(Yamls.str(Yamls.at(props, "LogGroupName", "Ref")));
            assertThat(service).as(entry.getKey() + " reads a service's log group").isNotNull();
            String sources = javaSources(Repo.path("services", service, "src", "main", "java"));
            java.util.regex.Matcher m = quoted.matcher(Yamls.str(props.get("FilterPattern")));
            while (m.find()) {
                // Each literal piece of the pattern is in a log message the service writes.
                for (String piece : m.group(1).split("\\*")) {
                    if (!piece.isBlank()) {
                        assertThat(sources).as("%s: \"%s\" is logged by %s", entry.getKey(), piece, service).contains(piece);
                    }
                }
            }
        }
        assertThat(filters).isGreaterThanOrEqualTo(6);
    }

    private static String javaSources(Path dir) {
        try (var files = java.nio.file.Files.walk(dir)) {
            StringBuilder all = new StringBuilder();
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                all.append(Repo.read(file)).append('\n');
            }
            return all.toString();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> rules(Map<String, Object> file) {
        List<Map<String, Object>> all = new ArrayList<>();
        for (Object group : Yamls.list(file.get("groups"))) {
            Yamls.list(Yamls.map(group).get("rules")).forEach(r -> all.add((Map<String, Object>) r));
        }
        return all;
    }
}
