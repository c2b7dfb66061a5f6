package dev.zbatch.job;

import dev.zbatch.input.InputFiles;
import dev.zbatch.input.InputOptions;
import dev.zbatch.input.InputRow;
import dev.zbatch.input.InputRows;
import dev.zbatch.input.RowSource;
import org.springframework.batch.infrastructure.item.support.AbstractItemCountingItemStreamItemReader;

import java.nio.file.Path;
import java.util.function.LongConsumer;

/**
 * Streams the prompt file into the submit step. Spring Batch keeps the count of rows read in the step's
 * execution context; on a restart the file is read again from the top and that many rows are skipped.
 */
class InputRowItemReader extends AbstractItemCountingItemStreamItemReader<InputRow> {

    private final Path file;
    private final InputOptions format;
    private final LongConsumer onEnd;
    private RowSource source;
    private long lastRowNo;

    /** @param onEnd told how many data rows the file has, once it has been read to the end */
    InputRowItemReader(Path file, InputOptions format, LongConsumer onEnd) {
        this.file = file;
        this.format = format;
        this.onEnd = onEnd;
        setName("input");
    }

    @Override
    protected void doOpen() {
        source = InputFiles.open(file, format);
    }

    @Override
    protected InputRow doRead() {
        InputRow row = InputRows.nextOrUnreadable(source);
        if (row == null) {
            onEnd.accept(lastRowNo);
            return null;
        }
        lastRowNo = row.rowNo();
        return row;
    }

    @Override
    protected void doClose() {
        if (source != null) source.close();
        source = null;
    }
}
