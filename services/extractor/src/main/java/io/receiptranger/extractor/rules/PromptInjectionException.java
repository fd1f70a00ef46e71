package io.receiptranger.extractor.rules;

/** Exclusion criteria that the screen refused; carries the full verdict. */
public class PromptInjectionException extends Exception {

    private final PromptInjectionDetector.Risk risk;

    public PromptInjectionException(PromptInjectionDetector.Risk risk) {
        super(risk.message(), null, false, false);
        this.risk = risk;
    }

    public PromptInjectionDetector.Risk risk() {
        return risk;
    }
}
