package io.receiptranger.extractor.keys;

/**
 * How one owner's receipt is read: with the owner's own endpoint and key ({@link Kind#OWN}), the
 * deployment's ({@link Kind#DEPLOYMENT}), offline OCR ({@link Kind#OFFLINE}: no deployment key), or not at
 * all ({@link Kind#REFUSED}: the operator does not share the deployment's key with this owner, who has
 * none; {@link #reason()} says what to do). {@link #toString()} never shows the key.
 */
public record ModelRoute(Kind kind, String baseUrl, String model, String apiKey, String reason) {

    public enum Kind { OWN, DEPLOYMENT, OFFLINE, REFUSED }

    public static ModelRoute own(String baseUrl, String model, String apiKey) {
        return new ModelRoute(Kind.OWN, baseUrl, model, apiKey, "");
    }

    public static ModelRoute deployment(String model) {
        return new ModelRoute(Kind.DEPLOYMENT, null, model, null, "");
    }

    public static ModelRoute offline() {
        return new ModelRoute(Kind.OFFLINE, null, null, null, "");
    }

    public static ModelRoute refused(String reason) {
        return new ModelRoute(Kind.REFUSED, null, null, null, reason);
    }

    @Override
    public String toString() {
        return "ModelRoute[" + kind + (baseUrl == null ? "" : ", " + baseUrl) + (model == null ? "" : ", " + model) + "]";
    }
}
