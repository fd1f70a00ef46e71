package io.receiptranger.extractor.ai;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import dev.langchain4j.model.output.structured.Description;

/**
 * What the vision model returns (OpenAI structured output, strict JSON schema). Every field is
 * present and never null, strings are empty when unknown: strict schemas accept no optional
 * fields. The field names are part of the end-to-end test's fake reply: do not rename them.
 * Nothing here is trusted: {@code ReadingMapper} validates and normalises it.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ReceiptReading(
        @JsonProperty("isValidReceipt")
        @Description("true only if the image clearly shows a receipt, invoice, bill or purchase confirmation")
        boolean isValidReceipt,
        @JsonProperty("validationError")
        @Description("short reason when isValidReceipt is false, e.g. 'Image shows a landscape photo, not a receipt'; empty otherwise")
        String validationError,
        @JsonProperty("total")
        @Description("final total paid including tax, tip, gratuity and service charges, as a decimal like 25.50; empty when unknown")
        String total,
        @JsonProperty("subtotal")
        @Description("printed subtotal before tax and tip, decimal; empty when not printed")
        String subtotal,
        @JsonProperty("tax")
        @Description("tax amount, decimal; empty when not printed")
        String tax,
        @JsonProperty("tip")
        @Description("tip or gratuity, printed or handwritten, decimal; empty when none")
        String tip,
        @JsonProperty("currency")
        @Description("ISO 4217 currency code such as USD; empty when unknown")
        String currency,
        @JsonProperty("date")
        @Description("purchase date as MM/DD/YYYY; empty when unreadable or after today; never guessed")
        String date,
        @JsonProperty("vendor")
        @Description("merchant name as printed; empty when unknown")
        String vendor,
        @JsonProperty("categories")
        @Description("zero or more of the allowed category labels")
        List<String> categories,
        @JsonProperty("paymentMethods")
        @Description("payment methods such as Cash, Card, Check, Gift Card")
        List<String> paymentMethods,
        @JsonProperty("cardLast4")
        @Description("last four digits of the card used, only the last four; empty when not shown")
        String cardLast4,
        @JsonProperty("excludeFromTable")
        @Description("true only when the receipt matches one of the user's exclusion criteria")
        boolean excludeFromTable,
        @JsonProperty("exclusionReason")
        @Description("short reason naming the matched exclusion criterion; empty otherwise")
        String exclusionReason) {
}
