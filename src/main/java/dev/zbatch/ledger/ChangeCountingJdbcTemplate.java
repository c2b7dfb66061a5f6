package dev.zbatch.ledger;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.ParameterizedPreparedStatementSetter;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The ledger's statements. Each statement that changes a row or an image runs in a transaction (its caller's, or
 * one of its own) that, when the statement changed anything, also takes a number from the sequence
 * {@code zb_row_changes} before it commits: a rendering of the manifests tells from that sequence whether
 * anything changed since the last one ({@link Ledger#renderingMark}). The sequence is not transactional, so a
 * number taken for a change that was then rolled back only makes the next rendering write what it need not have.
 */
final class ChangeCountingJdbcTemplate extends JdbcTemplate {

    private static final Pattern CHANGES_ROWS = Pattern.compile(
            "^\\s*(UPDATE|INSERT\\s+INTO|DELETE\\s+FROM|MERGE\\s+INTO)\\s+zb_(row|image)\\b", Pattern.CASE_INSENSITIVE);
    static final String NEXT_CHANGE = "VALUES NEXT VALUE FOR zb_row_changes";

    private final TransactionTemplate inOneTransaction;

    ChangeCountingJdbcTemplate(DataSource dataSource, TransactionTemplate inOneTransaction) {
        super(dataSource);
        this.inOneTransaction = inOneTransaction;
    }

    static boolean changesRows(String sql) {
        return CHANGES_ROWS.matcher(sql).find();
    }

    private <T> T counted(String sql, Supplier<T> statement, Predicate<T> changedAny) {
        if (!changesRows(sql)) return statement.get();
        return inOneTransaction.execute(status -> {
            T result = statement.get();
            if (changedAny.test(result)) queryForObject(NEXT_CHANGE, Long.class);
            return result;
        });
    }

    /** Batch counts may be {@link java.sql.Statement#SUCCESS_NO_INFO}: anything but 0 may have changed a row. */
    private static boolean any(int[] counts) {
        return Arrays.stream(counts).anyMatch(n -> n != 0);
    }

    @Override
    public int update(String sql) {
        return counted(sql, () -> super.update(sql), n -> n != 0);
    }

    @Override
    public int update(String sql, Object... args) {
        return counted(sql, () -> super.update(sql, args), n -> n != 0);
    }

    @Override
    public int[] batchUpdate(String sql, List<? extends Object[]> batchArgs) {
        return counted(sql, () -> super.batchUpdate(sql, batchArgs), ChangeCountingJdbcTemplate::any);
    }

    @Override
    public <T> int[][] batchUpdate(String sql, Collection<T> batchArgs, int batchSize,
                                   ParameterizedPreparedStatementSetter<T> pss) {
        return counted(sql, () -> super.batchUpdate(sql, batchArgs, batchSize, pss),
                counts -> Arrays.stream(counts).anyMatch(ChangeCountingJdbcTemplate::any));
    }
}
