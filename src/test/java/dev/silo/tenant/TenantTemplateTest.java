package dev.silo.tenant;

import dev.silo.testing.SqliteFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TenantTemplateTest {

  private static final SqliteSettings SETTINGS = new SqliteSettings("NORMAL", 5000);

  @TempDir
  Path dataDir;

  private final TenantMigrator migrator = new TenantMigrator(SETTINGS, List.of("classpath:db/tenant"));

  @Test
  void templateIsSealedAtTargetVersion() {
    TenantTemplate template = TenantTemplate.prepare(dataDir, migrator);

    Path file = dataDir.resolve("templates").resolve("tenant-" + migrator.schemaKey() + ".db");
    assertThat(template.file()).contains(file);
    assertThat(migrator.verifiedVersion(file)).contains("1");
    assertThat(SqliteFiles.writeVersion(file)).as("rollback-journal mode").isEqualTo(1);
    assertThat(SqliteFiles.fileNames(file.getParent())).containsExactly(file.getFileName().toString());
  }

  @Test
  void templateOfSameKeyIsReused() throws IOException {
    Path file = TenantTemplate.prepare(dataDir, migrator).file().orElseThrow();
    Object identity = Files.readAttributes(file, BasicFileAttributes.class).fileKey();

    TenantTemplate.prepare(dataDir, migrator);

    assertThat(Files.readAttributes(file, BasicFileAttributes.class).fileKey()).isEqualTo(identity);
  }

  @Test
  void staleTemplatesAndUnfinishedBuildsAreDeleted() throws IOException {
    Path templates = Files.createDirectories(dataDir.resolve("templates"));
    Files.write(templates.resolve("tenant-v1-0000000000000000.db"), new byte[4096]);
    Files.write(templates.resolve("tenant-" + migrator.schemaKey() + ".db.tmp"), new byte[100]);
    Files.write(templates.resolve("tenant-" + migrator.schemaKey() + ".db.tmp-wal"), new byte[100]);

    TenantTemplate template = TenantTemplate.prepare(dataDir, migrator);

    assertThat(SqliteFiles.fileNames(templates)).containsExactly("tenant-" + migrator.schemaKey() + ".db");
    assertThat(migrator.verifiedVersion(template.file().orElseThrow())).contains("1");
  }

  @Test
  void damagedTemplateOfSameKeyIsRebuilt() throws IOException {
    Path templates = Files.createDirectories(dataDir.resolve("templates"));
    Path file = templates.resolve("tenant-" + migrator.schemaKey() + ".db");
    Files.write(file, new byte[8192]);

    TenantTemplate template = TenantTemplate.prepare(dataDir, migrator);

    assertThat(template.file()).contains(file);
    assertThat(migrator.verifiedVersion(file)).contains("1");
  }

  @Test
  void templateInWalModeIsRebuilt() throws Exception {
    Path file = TenantTemplate.prepare(dataDir, migrator).file().orElseThrow();
    SqliteFiles.execute(file, "PRAGMA journal_mode=WAL");
    assertThat(SqliteFiles.writeVersion(file)).isEqualTo(2);

    TenantTemplate.prepare(dataDir, migrator);

    assertThat(SqliteFiles.writeVersion(file)).isEqualTo(1);
  }

  @Test
  void createDatabaseCopiesTemplate() throws Exception {
    TenantTemplate template = TenantTemplate.prepare(dataDir, migrator);
    TenantFiles files = new TenantFiles(dataDir);

    String version = template.createDatabase(files.temporary("acme"), files.database("acme"));

    assertThat(version).isEqualTo("1");
    assertThat(Files.mismatch(files.database("acme"), template.file().orElseThrow())).isEqualTo(-1);
    assertThat(SqliteFiles.fileNames(files.tenantsDir())).containsExactly("acme.db");
  }

  @Test
  void createDatabaseWithoutTemplateRunsFlyway() throws Exception {
    // A file where the templates folder belongs makes the build fail.
    Files.write(dataDir.resolve("templates"), new byte[0]);
    TenantTemplate template = TenantTemplate.prepare(dataDir, migrator);
    TenantFiles files = new TenantFiles(dataDir);

    String version = template.createDatabase(files.temporary("acme"), files.database("acme"));

    assertThat(template.file()).isEmpty();
    assertThat(version).isEqualTo("1");
    assertThat(migrator.verifiedVersion(files.database("acme"))).contains("1");
    assertThat(SqliteFiles.writeVersion(files.database("acme"))).as("rollback-journal mode").isEqualTo(1);
    assertThat(SqliteFiles.fileNames(files.tenantsDir())).containsExactly("acme.db");
  }

  @Test
  void createDatabaseAfterTemplateIsGoneRunsFlyway() throws Exception {
    TenantTemplate template = TenantTemplate.prepare(dataDir, migrator);
    Files.delete(template.file().orElseThrow());
    TenantFiles files = new TenantFiles(dataDir);

    String version = template.createDatabase(files.temporary("acme"), files.database("acme"));

    assertThat(version).isEqualTo("1");
    assertThat(template.file()).isEmpty();
    assertThat(migrator.verifiedVersion(files.database("acme"))).contains("1");
    assertThat(SqliteFiles.fileNames(files.tenantsDir())).containsExactly("acme.db");
  }

  @Test
  void copyHasSchemaOfMigratedFile() throws Exception {
    TenantTemplate template = TenantTemplate.prepare(dataDir, migrator);
    TenantFiles files = new TenantFiles(dataDir);
    template.createDatabase(files.temporary("copied"), files.database("copied"));
    Path migrated = dataDir.resolve("migrated.db");
    migrator.migrate(migrated);

    assertThat(SqliteFiles.schema(files.database("copied"))).isEqualTo(SqliteFiles.schema(migrated))
      .anyMatch(line -> line.startsWith("table products"))
      .anyMatch(line -> line.startsWith("migration 1 1 tenant SQL V1__tenant.sql"));
  }
}
