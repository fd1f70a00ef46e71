package io.receiptranger.endtoend;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The example events that every service's tests read and write follow the contract's schemas,
 * and the schemas refuse what CONTRACT.md §2 forbids.
 */
class ContractSchemasTest {

    static Stream<Arguments> examples() {
        return Stream.of(
                Arguments.of("receipt-submitted.schema.json", "receipt-submitted.example.json"),
                Arguments.of("receipt-submitted.schema.json", "receipt-submitted.minimal.json"),
                Arguments.of("receipt-extracted.schema.json", "receipt-extracted.example.json"),
                Arguments.of("receipt-extracted.schema.json", "receipt-extracted.failed.json"),
                Arguments.of("receipt-status.schema.json", "receipt-status.example.json"),
                Arguments.of("owner-settings.schema.json", "owner-settings.model-key-saved.json"),
                Arguments.of("owner-settings.schema.json", "owner-settings.model-key-deleted.json"),
                Arguments.of("owner-settings.schema.json", "owner-settings.spreadsheet-connected.json"),
                Arguments.of("owner-settings.schema.json", "owner-settings.spreadsheet-disconnected.json"),
                Arguments.of("owner-settings.schema.json", "owner-settings.review-setting-saved.json"),
                Arguments.of("receipt-corrected.schema.json", "receipt-corrected.example.json"),
                Arguments.of("receipt-corrected.schema.json", "receipt-corrected.undo.json"),
                Arguments.of("receipt-corrected.schema.json", "receipt-corrected.dismiss.json"),
                Arguments.of("receipt-submitted.schema.json", "receipt-reread-requested.example.json"),
                Arguments.of("receipt-extracted.schema.json", "receipt-extracted.reread.json"),
                Arguments.of("receipt-status.schema.json", "receipt-status.reread.json"));
    }

    @ParameterizedTest(name = "{1} follows {0}")
    @MethodSource("examples")
    void everyExampleFollowsItsSchema(String schema, String example) {
        assertThat(ContractSchemas.violations(schema, ContractSchemas.read(example))).isEmpty();
    }

    @Test
    void aSubmittedReceiptWithoutAnImageOrWithABadIdIsRefused() {
        ObjectNode noImage = (ObjectNode) ContractSchemas.read("receipt-submitted.minimal.json");
        noImage.remove("image");
        ObjectNode badId = (ObjectNode) ContractSchemas.read("receipt-submitted.minimal.json");
        badId.put("receiptId", "../etc/passwd");

        assertThat(ContractSchemas.violations("receipt-submitted.schema.json", noImage)).isNotEmpty();
        assertThat(ContractSchemas.violations("receipt-submitted.schema.json", badId)).isNotEmpty();
    }

    @Test
    void anExtractionWithAFloatAmountOrAnUnknownCategoryIsRefused() {
        ObjectNode floatTotal = (ObjectNode) ContractSchemas.read("receipt-extracted.example.json");
        ((ObjectNode) floatTotal.get("receipt")).put("total", "25.5");
        ObjectNode unknownCategory = (ObjectNode) ContractSchemas.read("receipt-extracted.example.json");
        ((ObjectNode) unknownCategory.get("receipt")).putArray("categories").add("Snacks");
        ObjectNode fullCardNumber = (ObjectNode) ContractSchemas.read("receipt-extracted.example.json");
        ((ObjectNode) fullCardNumber.get("receipt")).put("cardLast4", "4111111111111111");

        assertThat(ContractSchemas.violations("receipt-extracted.schema.json", floatTotal)).isNotEmpty();
        assertThat(ContractSchemas.violations("receipt-extracted.schema.json", unknownCategory)).isNotEmpty();
        assertThat(ContractSchemas.violations("receipt-extracted.schema.json", fullCardNumber)).isNotEmpty();
    }

    @Test
    void aCorrectionWithAnUnknownCategoryOrAnUndoWithoutItsTargetIsRefused() {
        ObjectNode snacks = (ObjectNode) ContractSchemas.read("receipt-corrected.example.json");
        snacks.putArray("categories").add("Snacks");
        ObjectNode undo = (ObjectNode) ContractSchemas.read("receipt-corrected.undo.json");
        undo.remove("undoes");
        ObjectNode floatAmount = (ObjectNode) ContractSchemas.read("receipt-corrected.example.json");
        floatAmount.put("amount", "twelve");

        assertThat(ContractSchemas.violations("receipt-corrected.schema.json", snacks)).isNotEmpty();
        assertThat(ContractSchemas.violations("receipt-corrected.schema.json", undo)).isNotEmpty();
        assertThat(ContractSchemas.violations("receipt-corrected.schema.json", floatAmount)).isNotEmpty();
    }

    @Test
    void aDismissalWithoutTheRereadItSetsAsideIsRefused() {
        ObjectNode dismiss = (ObjectNode) ContractSchemas.read("receipt-corrected.dismiss.json");
        dismiss.remove("rereadId");

        assertThat(ContractSchemas.violations("receipt-corrected.schema.json", dismiss)).isNotEmpty();
    }

    @Test
    void aStatusWithAStageOutsideTheContractIsRefused() {
        ObjectNode status = (ObjectNode) ContractSchemas.read("receipt-status.example.json");
        status.put("stage", "DONE");

        assertThat(ContractSchemas.violations("receipt-status.schema.json", status)).isNotEmpty();
    }

    @Test
    void aSavedModelKeyInClearOrWithoutCiphertextIsRefused() {
        ObjectNode inClear = (ObjectNode) ContractSchemas.read("owner-settings.model-key-saved.json");
        inClear.put("apiKey", "sk-live-in-clear-0000");
        ObjectNode noCiphertext = (ObjectNode) ContractSchemas.read("owner-settings.model-key-saved.json");
        noCiphertext.remove("encryptedKey");
        ObjectNode badSheet = (ObjectNode) ContractSchemas.read("owner-settings.spreadsheet-connected.json");
        badSheet.put("spreadsheetId", "../x");

        assertThat(ContractSchemas.violations("owner-settings.schema.json", inClear)).isNotEmpty();
        assertThat(ContractSchemas.violations("owner-settings.schema.json", noCiphertext)).isNotEmpty();
        assertThat(ContractSchemas.violations("owner-settings.schema.json", badSheet)).isNotEmpty();
    }
}
