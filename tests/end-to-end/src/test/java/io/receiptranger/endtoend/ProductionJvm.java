package io.receiptranger.endtoend;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JVM options a service's container runs with, read from where they are set: the image's
 * {@code quarkus.jib.jvm-arguments} (application.properties) and the container's memory limit
 * (deploy/k8s/base). Outside a container {@code -XX:MaxRAMPercentage} would apply to this machine's
 * memory, so it becomes the {@code -Xmx} it gives inside the limit.
 */
final class ProductionJvm {

    private ProductionJvm() {
    }

    static List<String> ingest() {
        return of("ingest");
    }

    static List<String> of(String service) {
        String properties = read(ServiceProcess.REPO.resolve("services/" + service + "/src/main/resources/application.properties"));
        Matcher arguments = Pattern.compile("(?m)^quarkus\\.jib\\.jvm-arguments=(.*)$").matcher(properties);
        if (!arguments.find()) {
            throw new IllegalStateException(service + ": no quarkus.jib.jvm-arguments");
        }
        long limitMiB = memoryLimitMiB(read(ServiceProcess.REPO.resolve("deploy/k8s/base/" + service + ".yaml")));
        List<String> options = new ArrayList<>();
        for (String option : arguments.group(1).split(",")) {
            String o = option.strip();
            if (o.startsWith("-XX:MaxRAMPercentage=")) {
                double percent = Double.parseDouble(o.substring(o.indexOf('=') + 1));
                options.add("-Xmx" + (long) (limitMiB * percent / 100) + "m");
            } else if (!o.isEmpty()) {
                options.add(o);
            }
        }
        return options;
    }

    private static long memoryLimitMiB(String deployment) {
        Matcher limit = Pattern.compile("limits:\\s*\\n(?:\\s+cpu:.*\\n)?\\s+memory:\\s*(\\d+)(Mi|Gi)").matcher(deployment);
        if (!limit.find()) {
            throw new IllegalStateException("no memory limit in the deployment");
        }
        long value = Long.parseLong(limit.group(1));
        return limit.group(2).equals("Gi") ? value * 1024 : value;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
