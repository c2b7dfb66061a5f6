package dev.zbatch.cost;

import dev.zbatch.request.RoundedSizes;

import dev.zbatch.reconcile.Delta;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;

/**
 * What a run of a job would do, found without running it: its rows, what it would reject, the images it would
 * make, what they would cost and how long they would take.
 *
 * @param job                 the job's name
 * @param input               the prompt file (absolute)
 * @param rows                data rows in the file
 * @param validRows           rows the run would send (or copy from an identical earlier row)
 * @param rejectedRows        rows the run would enter as REJECTED: invalid, or repeating an earlier row's id
 * @param firstRejections     the first few of them, in file order
 * @param rejectionsFile      where all of them are listed, or null when there are none
 * @param images              images the valid rows ask for
 * @param duplicateRows       valid rows whose request (fixed seed included) an earlier valid row makes already:
 *                            the run copies that row's images instead of generating them again
 * @param duplicateImages     the images of those rows
 * @param price               the price per image and where it comes from
 * @param pace                the rate, window and latency the time rests on
 * @param seconds             the time the run would take from the command on, by {@link Pace#secondsFromCommandFor} of {@link #requests()}
 * @param delta               the input against the ledger of an earlier run in the same output folder: what is new,
 *                            changed, unchanged and removed, and what would be sent; null when there is no ledger
 * @param accounts            how the rows would split over the run's accounts
 */
public record Estimate(
        String job,
        Path input,
        String provider,
        String model,
        long rows,
        long validRows,
        long rejectedRows,
        List<RejectedRow> firstRejections,
        Path rejectionsFile,
        long images,
        long duplicateRows,
        long duplicateImages,
        long cachedRows,
        long cachedImages,
        Price price,
        Pace pace,
        double seconds,
        Delta delta,
        RoundedSizes roundedSizes,
        AccountShares accounts) {

    /** How many rejections {@link #firstRejections()} holds at most. */
    public static final int FIRST_REJECTIONS = 5;

    public Estimate {
        firstRejections = List.copyOf(firstRejections);
    }

    /** Requests the run would send: valid rows that are not duplicates, nor in the content cache. */
    public long requests() {
        return validRows - duplicateRows - cachedRows;
    }

    /** Images the run would pay for. */
    public long imagesToGenerate() {
        return images - duplicateImages - cachedImages;
    }

    /** What the images already in the content cache save (USD, exact). */
    public BigDecimal cacheSavingsUsd() {
        return price.of(cachedImages);
    }

    /** What the run would cost (USD, exact). */
    public BigDecimal costUsd() {
        return price.of(imagesToGenerate());
    }

    /** What copying the duplicates' images instead of generating them saves (USD, exact). */
    public BigDecimal duplicateSavingsUsd() {
        return price.of(duplicateImages);
    }
}
