package dev.silo.tenant;

import dev.silo.util.DurableFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Creates the database files of new tenants from a template: a database that Flyway
 * migrated to the target schema once, at start-up, stored as
 * {@code <data_dir>/templates/tenant-<schema key>.db} (see {@link TenantMigrator#schemaKey()}).
 * Provisioning copies it, which is faster than running Flyway for every tenant, and
 * falls back to Flyway when no template could be built.
 * <p>
 * The template is in rollback-journal mode with no {@code -wal} file, so a plain copy
 * contains the whole database. The first pooled connection switches a copy to WAL.
 * <p>
 * Every file reaches its final name by an atomic rename after an fsync, so a crash
 * leaves either a complete file or a temporary one ({@code .tmp}). All methods block:
 * call them on a worker thread.
 */
public final class TenantTemplate {

  private static final Logger LOG = LoggerFactory.getLogger(TenantTemplate.class);

  /** Offset of the file-format write version in a SQLite header: 1 for rollback journal, 2 for WAL. */
  private static final int WRITE_VERSION_OFFSET = 18;
  private static final int ROLLBACK_JOURNAL = 1;

  private final TenantMigrator migrator;
  private final Path file;
  /** Whether {@link #file} can be copied; turns false when the file disappears while the server runs. */
  private volatile boolean usable;

  private TenantTemplate(TenantMigrator migrator, Path file, boolean usable) {
    this.migrator = migrator;
    this.file = file;
    this.usable = usable;
  }

  /**
   * Reuses the template of the migrator's schema key when it is complete and at the target
   * version, and builds it otherwise. Deletes the other files of the templates folder:
   * templates of other schema keys and temporary files of an interrupted build, which
   * hold no tenant data. When building fails, it logs the error and returns a template
   * that creates databases with Flyway.
   */
  public static TenantTemplate prepare(Path dataDir, TenantMigrator migrator) {
    long start = System.nanoTime();
    Path directory = dataDir.resolve("templates");
    Path file = directory.resolve("tenant-" + migrator.schemaKey() + ".db");
    try {
      DurableFiles.createDirectories(directory);
      deleteOtherFiles(directory, file);
      if (isComplete(file, migrator)) {
        LOG.info("Reusing tenant template {} at schema version {}", file, migrator.targetVersion());
      } else {
        buildWithFlyway(migrator, directory.resolve(file.getFileName() + ".tmp"), file);
        LOG.info("Built tenant template {} at schema version {} in {} ms", file, migrator.targetVersion(),
          (System.nanoTime() - start) / 1_000_000);
      }
      return new TenantTemplate(migrator, file, true);
    } catch (IOException | SQLException | RuntimeException e) {
      LOG.error("Building the tenant template {} failed, so provisioning runs Flyway for every new tenant", file, e);
      return new TenantTemplate(migrator, file, false);
    }
  }

  /** Returns the template file, or empty when none could be built. */
  public Optional<Path> file() {
    return usable ? Optional.of(file) : Optional.empty();
  }

  /**
   * Creates a tenant database at {@code target}: copies the template to {@code temporary},
   * or runs Flyway on {@code temporary} when there is no template, then renames it to
   * {@code target}. Neither path may exist.
   *
   * @return the schema version of the new database
   */
  public String createDatabase(Path temporary, Path target) throws IOException, SQLException {
    DurableFiles.createDirectories(target.toAbsolutePath().getParent());
    if (usable && !Files.isRegularFile(file)) {
      usable = false;
      LOG.warn("Tenant template {} is missing, so provisioning runs Flyway for every new tenant until the next start",
        file);
    }
    if (usable) {
      DurableFiles.copy(file, temporary, target);
      return migrator.targetVersion();
    }
    return buildWithFlyway(migrator, temporary, target);
  }

  /** Migrates a new file at {@code temporary}, seals it (see {@link SqliteSettings#seal}) and renames it to {@code target}. */
  private static String buildWithFlyway(TenantMigrator migrator, Path temporary, Path target)
    throws IOException, SQLException {
    for (Path leftover : TenantFiles.withCompanions(temporary)) {
      Files.deleteIfExists(leftover);
    }
    String version = migrator.migrate(temporary);
    SqliteSettings.seal(temporary);
    DurableFiles.sync(temporary);
    DurableFiles.replace(temporary, target);
    return version;
  }

  /** Returns whether {@code file} is a complete template at the target version, in rollback-journal mode. */
  private static boolean isComplete(Path file, TenantMigrator migrator) throws IOException {
    if (!Files.isRegularFile(file)) {
      return false;
    }
    boolean complete = writeVersion(file) == ROLLBACK_JOURNAL
      && TenantFiles.companions(file).stream().noneMatch(Files::exists)
      && migrator.verifiedVersion(file).filter(migrator.targetVersion()::equals).isPresent();
    if (!complete) {
      LOG.warn("Tenant template {} is incomplete or not at schema version {}; building it again", file,
        migrator.targetVersion());
    }
    return complete;
  }

  private static int writeVersion(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] header = in.readNBytes(WRITE_VERSION_OFFSET + 1);
      return header.length > WRITE_VERSION_OFFSET ? header[WRITE_VERSION_OFFSET] : -1;
    }
  }

  private static void deleteOtherFiles(Path directory, Path keep) throws IOException {
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
      for (Path entry : entries) {
        if (!entry.equals(keep) && Files.isRegularFile(entry)) {
          Files.delete(entry);
          LOG.info("Deleted {}, a tenant template of another schema or an unfinished build", entry);
        }
      }
    }
  }
}
