package io.receiptranger.extractor.keys;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.receiptranger.extractor.config.ExtractorConfig;

/**
 * Chooses each receipt's {@link ModelRoute} from its owner: the owner's saved key first (decrypted
 * here, at the moment the receipt is read); else the deployment's key when the operator shares it
 * with this owner ({@code RANGER_DEPLOYMENT_KEY_OWNERS}); else, when the deployment has a key but does
 * not share it, a FAILED receipt that says to add a key; without a deployment key, offline OCR.
 */
@ApplicationScoped
public class ModelRoutes {

    /** The reason of a receipt whose owner has no key and may not use the deployment's. */
    public static final String ADD_A_KEY = "This account has no model key and the deployment's key is not shared with"
            + " it: add your own OpenAI-compatible key under Settings (Model key), then upload the receipt again.";

    private final SavedModelKeys saved;
    private final KeyRing ring;
    private final boolean deploymentKey;
    private final String deploymentModel;
    private final List<String> sharedWith;

    @Inject
    public ModelRoutes(SavedModelKeys saved, ExtractorConfig config) {
        this(saved, config.keyEncryptionKeys().filter(s -> !s.isBlank()).map(KeyRing::parse).orElse(KeyRing.none()),
                config.model().apiKey().filter(k -> !k.isBlank() && !k.equals("not-set")).isPresent(),
                config.model().name(), config.deploymentKeyOwners());
    }

    ModelRoutes(SavedModelKeys saved, KeyRing ring, boolean deploymentKey, String deploymentModel, String sharedWith) {
        this.saved = saved;
        this.ring = ring;
        this.deploymentKey = deploymentKey;
        this.deploymentModel = deploymentModel;
        this.sharedWith = Arrays.stream(sharedWith.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .map(s -> s.toLowerCase(Locale.ROOT)).toList();
    }

    /**
     * The route for this owner's receipt now.
     *
     * @throws UndecryptableKeyException when the owner's saved key cannot be decrypted (its sentence is the reason)
     * @throws SettingsUnavailableException when the owners' settings cannot be read up to date
     */
    public ModelRoute forOwner(String owner) {
        saved.awaitCaughtUp();
        Optional<SettingsRecord> own = saved.forOwner(owner);
        if (own.isPresent()) {
            SettingsRecord record = own.get();
            return ModelRoute.own(record.baseUrl(), record.model(), ring.decrypt(owner, record.encryptedKey()));
        }
        if (!deploymentKey) {
            return ModelRoute.offline();
        }
        return shares(owner) ? ModelRoute.deployment(deploymentModel) : ModelRoute.refused(ADD_A_KEY);
    }

    /** {@code *} everyone, {@code none} nobody, {@code @example.com} a domain, otherwise exact owner ids. */
    boolean shares(String owner) {
        String id = owner.toLowerCase(Locale.ROOT);
        for (String entry : sharedWith) {
            if (entry.equals("*") || entry.equals(id) || (entry.startsWith("@") && id.endsWith(entry))) {
                return true;
            }
        }
        return false;
    }
}
