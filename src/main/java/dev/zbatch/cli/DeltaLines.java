package dev.zbatch.cli;

import dev.zbatch.cost.Pace;
import dev.zbatch.cost.Price;
import dev.zbatch.reconcile.Delta;

import java.math.RoundingMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The first lines of a run: what the input holds against the ledger, and what will be made and what it costs. */
final class DeltaLines {

    private DeltaLines() {
    }

    static List<String> of(Delta d, Path input, Price price, Pace pace) {
        List<String> lines = new ArrayList<>();
        StringBuilder first = new StringBuilder("input " + input.getFileName() + ": " + d.rows() + " rows: "
                + d.added() + " new, " + d.changed() + " changed, " + d.unchanged() + " unchanged");
        if (d.removed() > 0) first.append("; ").append(d.removed()).append(" no longer in the input (kept, see removed.jsonl)");
        lines.add(first.toString());
        if (d.held()) {
            lines.add(d.changed() + " changed rows held: they would make " + d.changedWithImages() + " of the "
                    + d.withImagesBefore() + " existing images again");
        }
        if (d.toSend() == 0) {
            lines.add("nothing to send: every row of the input has been sent before");
        } else {
            lines.add("to send: " + d.toSend() + (d.toSend() == 1 ? " row, " : " rows, ") + d.imagesToSend()
                    + (d.imagesToSend() == 1 ? " image, $" : " images, $")
                    + price.of(d.imagesToSend()).setScale(2, RoundingMode.HALF_UP).toPlainString()
                    + (price.estimated() ? " (estimated)" : "") + ", about "
                    + Pace.human(pace.secondsFor(d.toSend())));
        }
        return lines;
    }
}
