package io.receiptranger.deployment;

import java.util.List;
import java.util.Map;

/**
 * One service's container as a deployment (compose, Kubernetes, ECS) runs it, reduced to what the
 * services' own configuration can be checked against.
 *
 * @param deployment   "compose", "kubernetes" or "ecs"
 * @param service      ingest, extractor or sheets-sink
 * @param image        the image reference (for ECS the parameter it comes from)
 * @param env          every variable the container gets, literal or from a secret store
 * @param ports        container ports
 * @param healthChecks "port path" pairs that probes or health checks call
 * @param mounts       mount path → read-only
 * @param user         the uid it runs as ("" when the image decides)
 * @param readOnlyRoot whether the root filesystem is read-only
 */
record DeployedContainer(String deployment, String service, String image, Map<String, Env> env, List<Integer> ports,
        List<String> healthChecks, Map<String, Boolean> mounts, String user, boolean readOnlyRoot) {

    /** Where a variable's value comes from. */
    sealed interface Env permits Literal, SecretRef {
    }

    /** Written in the manifest (or in a ConfigMap, or interpolated from the operator's environment). */
    record Literal(String value) implements Env {
    }

    /** Resolved from a secret store at start: Kubernetes Secret, Secrets Manager, an unset shell variable. */
    record SecretRef(String reference) implements Env {
    }

    @Override
    public String toString() {
        return deployment + "/" + service;
    }
}
