package dev.zbatch.ledger.migration;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

/**
 * Spring Batch's own tables, from the script shipped inside the spring-batch-core jar in use, so that the
 * schema always matches the library. (Boot only initialises it for embedded databases; ours is a file.)
 */
public class V1__Spring_batch_schema extends BaseJavaMigration {

    @Override
    public void migrate(Context context) {
        new ResourceDatabasePopulator(new ClassPathResource("org/springframework/batch/core/schema-h2.sql"))
                .populate(context.getConnection());
    }
}
