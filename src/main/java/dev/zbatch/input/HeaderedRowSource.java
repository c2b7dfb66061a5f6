package dev.zbatch.input;

/** A row source whose columns come from a header row (CSV, TSV). */
interface HeaderedRowSource {

    /** The physical line of the header row (1 unless blank lines precede it). */
    long headerLine();
}
