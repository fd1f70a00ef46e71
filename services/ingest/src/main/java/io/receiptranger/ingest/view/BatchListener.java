package io.receiptranger.ingest.view;

/** Told what happens to one batch, in order, under the batch's lock (so it must not block). */
public interface BatchListener {

    void snapshot(BatchSnapshot snapshot);

    /** A receipt changed: its new view (stage, detail, and the fields once extracted). */
    void changed(String batchId, ReceiptView receipt);

    void complete(BatchSnapshot snapshot);
}
