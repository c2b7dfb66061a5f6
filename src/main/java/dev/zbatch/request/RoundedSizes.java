package dev.zbatch.request;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The rows of an input that ask for a size off the model's grid ({@link ModelSpec#sizeStep}): the provider will
 * probably answer with a smaller image. Counted while the input is read, with the first few, so that the user is
 * told before anything is spent; the request itself is never changed.
 */
public final class RoundedSizes {

    private static final int EXAMPLES = 3;

    private final ModelSpec spec;
    private final List<String> examples = new ArrayList<>();
    private long rows;

    public RoundedSizes(ModelSpec spec) {
        this.spec = spec;
    }

    public synchronized void note(RowPlan plan) {
        int step = spec.sizeStep();
        if (step <= 0 || plan.rejected() || plan.request().imageSize() != null) return;
        int width = plan.request().width();
        int height = plan.request().height();
        if (width % step == 0 && height % step == 0) return;
        rows++;
        if (examples.size() < EXAMPLES) {
            examples.add("line " + plan.row().line() + ": " + width + "x" + height + " → " + down(width, step) + "x"
                    + down(height, step));
        }
    }

    private static int down(int pixels, int step) {
        return Math.max(step, pixels / step * step);
    }

    public synchronized long rows() {
        return rows;
    }

    /** The warning for the user, or null when every size is on the grid. */
    public synchronized String warning() {
        if (rows == 0) return null;
        return String.format(Locale.ROOT, "%d %s for a size off %s %s's grid of %d pixels, and will probably get a "
                        + "smaller image (%s%s); the image is kept whatever size comes back (zbatch.collect.on-mismatch)",
                rows, rows == 1 ? "row asks" : "rows ask", spec.provider(), spec.model(), spec.sizeStep(),
                String.join(", ", examples), rows > examples.size() ? ", …" : "");
    }
}
