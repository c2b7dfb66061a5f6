package dev.zbatch.cost;

import dev.zbatch.config.ZbatchProperties;
import dev.zbatch.input.InputFiles;
import dev.zbatch.input.InputRow;
import dev.zbatch.input.InputRows;
import dev.zbatch.input.RowSource;
import dev.zbatch.job.RunPaths;
import dev.zbatch.provider.ModelCatalog;
import dev.zbatch.request.RequestBuilder;

import java.nio.file.Path;

/**
 * The dry run: reads the whole input with the run's own reader, template and validation, and works out what the
 * run would reject, make, cost and take. No network, no provider, no ledger: the only file it writes is
 * {@code <output>/estimate-rejected.csv}, when some row would be rejected. Memory does not grow with the file
 * beyond a few bytes per distinct id and fixed-seed request.
 */
public final class Estimator {

    private Estimator() {
    }

    /**
     * @throws dev.zbatch.config.ConfigException     when the provider, model, a job default or a limit is unusable
     * @throws dev.zbatch.input.InputException       when the input cannot be read to its end (file, line, field)
     */
    public static Estimate estimate(ZbatchProperties properties) {
        RunPaths paths = RunPaths.from(properties);
        ZbatchProperties.Input input = properties.input();
        RequestBuilder requests = new RequestBuilder(ModelCatalog.spec(properties), properties.defaults(),
                input.promptColumn(), input.template(), input.idColumn(), input.maxPromptChars());
        Price price = PriceTable.priceOf(properties);
        Pace pace = Pace.of(properties);

        RowTally tally;
        Path rejectionsFile;
        try (RowSource source = InputFiles.open(paths.input(), paths.format());
             RejectionsFile rejections = new RejectionsFile(paths.outputDir())) {
            InputRows.requireColumns(source, paths.input(), requests.requiredColumns());
            tally = new RowTally(properties.provider(), properties.model(), rejections);
            for (InputRow row = InputRows.nextOrUnreadable(source); row != null;
                 row = InputRows.nextOrUnreadable(source)) {
                tally.add(requests.plan(row));
            }
            rejectionsFile = rejections.finish();
        }
        return new Estimate(paths.jobName(), paths.input(), properties.provider(), properties.model(),
                tally.rows, tally.validRows, tally.rejectedRows, tally.firstRejections(), rejectionsFile,
                tally.images, tally.duplicateRows, tally.duplicateImages, price, pace,
                pace.secondsFor(tally.validRows - tally.duplicateRows));
    }
}
