package dev.silo.tenant;

import dev.silo.testing.SqliteFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TenantMigratorTest {

  private static final SqliteSettings SETTINGS = new SqliteSettings("NORMAL", 5000);
  private static final String DEFAULT_LOCATION = "classpath:db/tenant";
  /** SQLite's default page size, which the tenant files keep. */
  private static final int PAGE_SIZE = 4096;

  @TempDir
  Path dir;

  @Test
  void schemaKeyNamesTargetVersion() {
    TenantMigrator migrator = migrator(DEFAULT_LOCATION);

    assertThat(migrator.targetVersion()).isEqualTo("1");
    assertThat(migrator.schemaKey()).matches("v1-[0-9a-f]{16}");
  }

  @Test
  void schemaKeyStaysForSameMigrations() throws IOException {
    Path migrations = writeMigration("first", "V2__add_note.sql", "ALTER TABLE products ADD COLUMN note TEXT;\n");

    String first = migrator(DEFAULT_LOCATION, "filesystem:" + migrations).schemaKey();
    String second = migrator(DEFAULT_LOCATION, "filesystem:" + migrations).schemaKey();

    assertThat(second).isEqualTo(first);
  }

  @Test
  void schemaKeyChangesWithEditedMigration() throws IOException {
    Path migrations = writeMigration("edited", "V2__add_note.sql", "ALTER TABLE products ADD COLUMN note TEXT;\n");
    TenantMigrator before = migrator(DEFAULT_LOCATION, "filesystem:" + migrations);

    Files.writeString(migrations.resolve("V2__add_note.sql"), "ALTER TABLE products ADD COLUMN remark TEXT;\n");
    TenantMigrator after = migrator(DEFAULT_LOCATION, "filesystem:" + migrations);

    assertThat(after.targetVersion()).isEqualTo(before.targetVersion()).isEqualTo("2");
    assertThat(after.schemaKey()).startsWith("v2-").isNotEqualTo(before.schemaKey());
  }

  @Test
  void schemaKeyChangesWithLocations() throws IOException {
    String sql = "ALTER TABLE products ADD COLUMN note TEXT;\n";
    Path one = writeMigration("one", "V2__add_note.sql", sql);
    Path other = writeMigration("other", "V2__add_note.sql", sql);

    String first = migrator(DEFAULT_LOCATION, "filesystem:" + one).schemaKey();
    String second = migrator(DEFAULT_LOCATION, "filesystem:" + other).schemaKey();

    assertThat(second).isNotEqualTo(first);
  }

  @Test
  void targetVersionIgnoresRepeatableMigrations() throws IOException {
    Path migrations = writeMigration("repeatable", "R__product_names.sql",
      "CREATE VIEW IF NOT EXISTS product_names AS SELECT name FROM products;\n");

    TenantMigrator migrator = migrator(DEFAULT_LOCATION, "filesystem:" + migrations);

    assertThat(migrator.targetVersion()).isEqualTo("1");
  }

  @Test
  void verifiedVersionOfMigratedFile() {
    TenantMigrator migrator = migrator(DEFAULT_LOCATION);
    Path database = dir.resolve("acme.db");
    migrator.migrate(database);

    assertThat(migrator.verifiedVersion(database)).contains("1");
  }

  @Test
  void verifiedVersionRejectsMissingAndForeignFiles() throws Exception {
    TenantMigrator migrator = migrator(DEFAULT_LOCATION);
    Path garbage = dir.resolve("garbage.db");
    Files.write(garbage, new byte[4096]);
    Path empty = dir.resolve("empty.db");
    SqliteFiles.execute(empty, "CREATE TABLE t (x INTEGER)");

    assertThat(migrator.verifiedVersion(dir.resolve("missing.db"))).isEmpty();
    assertThat(migrator.verifiedVersion(garbage)).isEmpty();
    assertThat(migrator.verifiedVersion(empty)).isEmpty();
    assertThat(dir.resolve("missing.db")).doesNotExist();
  }

  @Test
  void verifiedVersionRejectsTruncatedFile() throws Exception {
    TenantMigrator migrator = migrator(DEFAULT_LOCATION);
    Path complete = dir.resolve("complete.db");
    migrator.migrate(complete);
    SqliteSettings.seal(complete);
    Path truncated = dir.resolve("truncated.db");
    byte[] bytes = Files.readAllBytes(complete);
    Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));

    assertThat(migrator.verifiedVersion(truncated)).isEmpty();
  }

  @Test
  void verifiedVersionRejectsDamagedTable() throws Exception {
    TenantMigrator migrator = migrator(DEFAULT_LOCATION);
    Path database = dir.resolve("damaged.db");
    migrator.migrate(database);
    SqliteSettings.seal(database);
    int rootPage;
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + database);
         Statement statement = connection.createStatement();
         ResultSet row = statement.executeQuery("SELECT rootpage FROM sqlite_master WHERE name = 'products'")) {
      rootPage = row.getInt(1);
    }
    // Zeroes the products table's root page, while Flyway's history table stays readable.
    try (FileChannel file = FileChannel.open(database, StandardOpenOption.WRITE)) {
      file.write(ByteBuffer.wrap(new byte[PAGE_SIZE]), (long) (rootPage - 1) * PAGE_SIZE);
    }

    assertThat(migrator.verifiedVersion(database)).isEmpty();
  }

  @Test
  void verifiedVersionRejectsFailedMigration() throws Exception {
    TenantMigrator migrator = migrator(DEFAULT_LOCATION);
    Path database = dir.resolve("failed.db");
    migrator.migrate(database);
    SqliteFiles.execute(database, "UPDATE flyway_schema_history SET success = 0 WHERE version = '1'");

    assertThat(migrator.verifiedVersion(database)).isEmpty();
  }

  @Test
  void verifiedVersionRejectsUnknownMigration() throws IOException {
    Path migrations = writeMigration("newer", "V2__add_note.sql", "ALTER TABLE products ADD COLUMN note TEXT;\n");
    Path database = dir.resolve("newer.db");
    migrator(DEFAULT_LOCATION, "filesystem:" + migrations).migrate(database);

    assertThat(migrator(DEFAULT_LOCATION).verifiedVersion(database)).isEmpty();
  }

  @Test
  void verifiedVersionKeepsJournalMode() throws Exception {
    TenantMigrator migrator = migrator(DEFAULT_LOCATION);
    Path database = dir.resolve("sealed.db");
    migrator.migrate(database);
    SqliteSettings.seal(database);

    assertThat(migrator.verifiedVersion(database)).contains("1");
    assertThat(SqliteFiles.writeVersion(database)).isEqualTo(1);
    assertThat(SqliteFiles.fileNames(dir)).containsExactly("sealed.db");
  }

  private static TenantMigrator migrator(String... locations) {
    return new TenantMigrator(SETTINGS, List.of(locations));
  }

  private Path writeMigration(String folder, String fileName, String sql) throws IOException {
    Path migrations = Files.createDirectories(dir.resolve(folder));
    Files.writeString(migrations.resolve(fileName), sql);
    return migrations;
  }
}
