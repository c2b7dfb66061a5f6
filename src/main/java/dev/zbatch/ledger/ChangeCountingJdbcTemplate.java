package dev.zbatch.ledger;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.ParameterizedPreparedStatementSetter;

import javax.sql.DataSource;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The ledger's statements. Each statement that changes a row or an image of the run is counted in the run's
 * record ({@code zb_run.row_changes}) just before it runs, in the same transaction when there is one: the
 * manifests compare that count with the one they were written at ({@link Ledger#reportedAt}). A count
 * whose change was then rolled back only makes the next rendering write what it need not have.
 */
final class ChangeCountingJdbcTemplate extends JdbcTemplate {

    private static final Pattern CHANGES_ROWS = Pattern.compile(
            "^\\s*(UPDATE|INSERT\\s+INTO|DELETE\\s+FROM|MERGE\\s+INTO)\\s+zb_(row|image)\\b", Pattern.CASE_INSENSITIVE);

    private final long runId;

    ChangeCountingJdbcTemplate(DataSource dataSource, long runId) {
        super(dataSource);
        this.runId = runId;
    }

    static boolean changesRows(String sql) {
        return CHANGES_ROWS.matcher(sql).find();
    }

    private void count(String sql) {
        if (runId != 0 && changesRows(sql)) {
            super.update("UPDATE zb_run SET row_changes = row_changes + 1 WHERE run_id = ?", runId);
        }
    }

    @Override
    public int update(String sql) {
        count(sql);
        return super.update(sql);
    }

    @Override
    public int update(String sql, Object... args) {
        count(sql);
        return super.update(sql, args);
    }

    @Override
    public int[] batchUpdate(String sql, List<? extends Object[]> batchArgs) {
        count(sql);
        return super.batchUpdate(sql, batchArgs);
    }

    @Override
    public <T> int[][] batchUpdate(String sql, Collection<T> batchArgs, int batchSize,
                                   ParameterizedPreparedStatementSetter<T> pss) {
        count(sql);
        return super.batchUpdate(sql, batchArgs, batchSize, pss);
    }
}
