package io.receiptranger.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Each service's {@code ## Container image} block: image names from the root pom (images.*,
 * which the Quarkus Maven plugin passes to the build as project properties), the base image built
 * from deploy/images, the non-root user, the JVM sized from the container's memory limit.
 */
class ContainerImageConfigTest {

    static final java.util.List<String> SERVICES = Repo.SERVICES;

    @ParameterizedTest
    @FieldSource("SERVICES")
    void the_image_name_comes_from_the_root_pom(String service) {
        ServiceConfig config = ServiceConfig.load(service);

        assertThat(config.containerImageKeys()).as("%s has a ## Container image block", service).isNotEmpty();
        String image = ContainerImages.resolved(config, "quarkus.container-image.registry") + "/"
                + ContainerImages.resolved(config, "quarkus.container-image.group") + "/"
                + ContainerImages.resolved(config, "quarkus.container-image.name");
        assertThat(image).isEqualTo(Repo.imageRepository(service));
        assertThat(ContainerImages.resolved(config, "quarkus.container-image.tag")).isEqualTo(Repo.imageTag());
        assertThat(config.properties.getProperty("quarkus.container-image.group")).contains("${images.group");

        // Without Maven (an IDE, a test run) the defaults give the same names.
        String version = Repo.pomProperties().get("images.tag");
        assertThat(ContainerImages.withDefaults(config, "quarkus.container-image.registry", version) + "/"
                + ContainerImages.withDefaults(config, "quarkus.container-image.group", version) + "/"
                + ContainerImages.withDefaults(config, "quarkus.container-image.name", version))
                .isEqualTo(Repo.imageRepository(service));
        assertThat(ContainerImages.withDefaults(config, "quarkus.container-image.tag", version)).isEqualTo(Repo.imageTag());
    }

    @ParameterizedTest
    @FieldSource("SERVICES")
    void the_base_image_is_the_one_deploy_images_builds(String service) {
        ServiceConfig config = ServiceConfig.load(service);
        String base = ContainerImages.resolved(config, "quarkus.jib.base-jvm-image");
        String dockerfile = Repo.read(Repo.path("deploy", "images", service, "Dockerfile"));

        assertThat(base).startsWith(Repo.imageRepository(service) + "-base:");
        assertThat(dockerfile).as("the Dockerfile says how to build %s", base).contains("docker build -t " + base + " deploy/images/" + service);
        String version = Repo.pomProperties().get("images.tag");
        assertThat(ContainerImages.withDefaults(config, "quarkus.jib.base-jvm-image", version)).isEqualTo(base);
    }

    @ParameterizedTest
    @FieldSource("SERVICES")
    void it_runs_as_the_base_images_user_with_memory_from_the_container_limit(String service) {
        ServiceConfig config = ServiceConfig.load(service);

        assertThat(config.properties.getProperty("quarkus.jib.user")).isEqualTo(DeploymentsMatchServicesTest.IMAGE_UID);
        assertThat(ContainerImages.jvmArguments(config))
                .anySatisfy(a -> assertThat(a).matches("-XX:MaxRAMPercentage=\\d+(\\.\\d+)?"))
                .contains("-Djava.util.logging.manager=org.jboss.logmanager.LogManager")
                .noneSatisfy(a -> assertThat(a).startsWith("-Xmx"));
        assertThat(config.properties.getProperty("quarkus.jib.ports")).isEqualTo(String.valueOf(config.httpPort()));
        assertThat(config.properties.getProperty("quarkus.jib.working-directory")).isEqualTo("/deployments");
    }
}
