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

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> rules(Map<String, Object> file) {
        List<Map<String, Object>> all = new ArrayList<>();
        for (Object group : Yamls.list(file.get("groups"))) {
            Yamls.list(Yamls.map(group).get("rules")).forEach(r -> all.add((Map<String, Object>) r));
        }
        return all;
    }
}
