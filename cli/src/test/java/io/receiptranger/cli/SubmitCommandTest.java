package io.receiptranger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.receiptranger.cli.submit.Outcome;
import io.receiptranger.cli.submit.Photo;
import io.receiptranger.cli.submit.Result;

/** How a run is cut into uploads and how its names are kept apart. */
class SubmitCommandTest {

    static Photo photo(String path, long bytes) {
        return new Photo(Path.of(path), path, Integer.toHexString(path.hashCode()), bytes);
    }

    @Test
    void photosGoInBatchesOfAtMostTheBatchSizeAndTheByteCap() {
        SubmitCommand submit = new SubmitCommand();
        submit.batchSize = 20;
        List<Photo> photos = new ArrayList<>();
        for (int i = 0; i < 45; i++) {
            photos.add(photo("p" + i + ".jpg", 1000));
        }
        assertThat(submit.batches(photos)).extracting(List::size).containsExactly(20, 20, 5);

        long big = SubmitCommand.MAX_BATCH_BYTES / 2;
        assertThat(submit.batches(List.of(photo("a.jpg", big), photo("b.jpg", big), photo("c.jpg", 10))))
                .extracting(List::size).containsExactly(2, 1);
    }

    @Test
    void twoFilesOfTheSameNameInOneBatchAreSentUnderDistinctNames() {
        Map<String, Photo> taken = new HashMap<>();
        Photo first = photo("2025/IMG_0001.JPG", 1);
        Photo second = photo("2026/img_0001.jpg", 1);
        String a = SubmitCommand.uploadName(first, taken);
        taken.put(a.toLowerCase(), first);
        String b = SubmitCommand.uploadName(second, taken);

        assertThat(a).isEqualTo("IMG_0001.JPG");
        assertThat(b).isEqualTo("img_0001 (2).jpg");
        assertThat(SubmitCommand.uploadName(photo("x\u001b[2J.png", 1), Map.of())).isEqualTo("x[2J.png");
    }

    @Test
    void aDuplicateNamesTheReceiptItRepeatsByItsFileWhenItIsOfThisRun() {
        Result r = new Result(photo("b.jpg", 1), Outcome.DUPLICATE, "already in the local ledger for October 2025 (receipt r-1)", null);

        assertThat(SubmitCommand.withNames(r, Map.of("r-1", "a.jpg")).detail())
                .isEqualTo("already in the local ledger for October 2025 (a.jpg)");
        assertThat(SubmitCommand.withNames(r, Map.of("r-2", "c.jpg")).detail()).endsWith("(receipt r-1)");
    }
}
