package dev.zbatch.input;

import java.io.Closeable;
import java.util.List;

/** A stream of rows from one prompt file, read lazily: memory does not grow with the file. */
public interface RowSource extends Closeable {

    /** The column names, in file order (for JSONL: the keys seen in the first row). */
    List<String> columns();

    /** The next row, or null at the end of the file. */
    InputRow next();

    @Override
    void close();
}
