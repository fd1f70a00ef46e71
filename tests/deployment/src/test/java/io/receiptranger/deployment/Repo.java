package io.receiptranger.deployment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The repository under test: its root (system property {@code repo.root}) and the root pom's facts. */
final class Repo {

    /** The three services, in the order of CONTRACT.md §1. */
    static final List<String> SERVICES = List.of("ingest", "extractor", "sheets-sink");

    private static final Pattern POM_PROPERTY = Pattern.compile("<([A-Za-z0-9_.-]+)>([^<]*)</\\1>");

    private Repo() {
    }

    static Path root() {
        String configured = System.getProperty("repo.root");
        Path dir = configured != null ? Path.of(configured) : Path.of("").toAbsolutePath();
        dir = dir.toAbsolutePath().normalize();
        while (dir != null && !Files.isDirectory(dir.resolve("deploy"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no repository root with deploy/ above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    static Path path(String first, String... more) {
        return root().resolve(Path.of(first, more));
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The root pom's {@code <properties>}, with {@code ${project.version}} resolved. */
    static Map<String, String> pomProperties() {
        String pom = read(path("pom.xml"));
        String version = between(pom.substring(pom.indexOf("</parent>") + 1), "<version>", "</version>");
        String properties = between(pom, "<properties>", "</properties>");
        Map<String, String> result = new LinkedHashMap<>();
        Matcher m = POM_PROPERTY.matcher(properties);
        while (m.find()) {
            result.put(m.group(1), m.group(2).trim().replace("${project.version}", version));
        }
        return result;
    }

    /** {@code registry/group/service} from the root pom. */
    static String imageRepository(String service) {
        Map<String, String> props = pomProperties();
        return props.get("images.registry") + "/" + props.get("images.group") + "/" + service;
    }

    static String imageTag() {
        return pomProperties().get("images.tag");
    }

    private static String between(String text, String start, String end) {
        int from = text.indexOf(start);
        int to = text.indexOf(end, from);
        if (from < 0 || to < 0) {
            throw new IllegalStateException("no " + start + " in the root pom");
        }
        return text.substring(from + start.length(), to);
    }
}
