package io.receiptranger.cli;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

import io.receiptranger.cli.ingest.IngestClient;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Where the ingest is and who is calling: the options every command that talks to it shares. */
public class IngestOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--ingest", paramLabel = "URL", defaultValue = "${env:RANGER_INGEST_URL:-http://localhost:8080}",
            description = "The ingest to talk to (env RANGER_INGEST_URL; default: ${DEFAULT-VALUE}).")
    String ingest;

    @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:RANGER_TOKEN}", showDefaultValue = Visibility.NEVER,
            description = "A personal API token, sent as 'Authorization: Bearer' (env RANGER_TOKEN, which keeps it out of the "
                    + "process list). Needed where the ingest requires sign-in.")
    String token;

    IngestClient client() {
        return new IngestClient(base(), Optional.ofNullable(token), Duration.ofSeconds(30));
    }

    URI base() {
        String url = ingest == null ? "" : ingest.trim();
        try {
            URI uri = URI.create(url.endsWith("/") ? url : url + "/");
            if (uri.getHost() != null && ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))) {
                return uri;
            }
        } catch (IllegalArgumentException e) {
            // said below
        }
        throw new ParameterException(command.commandLine(),
                "--ingest must be an http:// or https:// address, like http://localhost:8080, not \"" + url + "\"");
    }
}
