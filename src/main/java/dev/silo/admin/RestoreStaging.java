package dev.silo.admin;

import dev.silo.error.ErrorCode;
import dev.silo.error.SiloException;
import dev.silo.tenant.SqliteSettings;
import dev.silo.tenant.TenantFiles;
import dev.silo.tenant.TenantMigrator;
import dev.silo.util.DurableFiles;
import org.flywaydb.core.api.FlywayException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Copies a backup to a staging file and makes sure the copy can replace a tenant's file:
 * it passes {@code PRAGMA integrity_check}, has Flyway's schema history, is not newer than
 * this server's target version, and is migrated to that version when it is behind.
 * Every check runs on the copy, so the backup file itself is never opened by SQLite and
 * stays as it was written. A failed check raises {@code backup_invalid}.
 * <p>
 * Blocking: call it on a worker thread, and only from the admin verticle, the one place
 * that runs Flyway.
 */
final class RestoreStaging {

  private static final Logger LOG = LoggerFactory.getLogger(RestoreStaging.class);

  /** Maximum number of problems that {@code PRAGMA integrity_check} reports. */
  private static final int MAX_PROBLEMS = 20;

  private final SqliteSettings settings;
  private final TenantMigrator migrator;

  RestoreStaging(SqliteSettings settings, TenantMigrator migrator) {
    this.settings = settings;
    this.migrator = migrator;
  }

  /**
   * Copies {@code backup} to {@code staging}, checks and migrates the copy, and flushes it
   * to disk.
   *
   * @return the schema version of the staged copy, which is the target version
   */
  String prepare(Path backup, Path staging, String tenantId, String backupId) throws IOException, SQLException {
    TenantFiles.deleteWithCompanions(staging);
    Files.copy(backup, staging);
    checkIntegrity(staging, tenantId, backupId);
    String version = readVersion(staging, tenantId, backupId);
    if (migrator.isBehind(version)) {
      version = migrate(staging, version, tenantId, backupId);
    }
    // SQLite deletes the WAL when its last connection closes. A WAL that is still there
    // contains changes that the rename would separate from the file, so stop rather than lose them.
    for (Path companion : TenantFiles.companions(staging)) {
      if (Files.exists(companion)) {
        throw new IOException("the staged copy of backup " + backupId + " still has " + companion.getFileName()
          + " after its connections closed");
      }
    }
    DurableFiles.sync(staging);
    return version;
  }

  private void checkIntegrity(Path staging, String tenantId, String backupId) {
    List<String> problems = new ArrayList<>();
    try (Connection connection = settings.unpooled(staging).getConnection();
         Statement statement = connection.createStatement();
         ResultSet rows = statement.executeQuery("PRAGMA integrity_check(" + MAX_PROBLEMS + ")")) {
      while (rows.next()) {
        problems.add(rows.getString(1));
      }
    } catch (SQLException e) {
      LOG.warn("Backup {} of tenant {} cannot be read as an SQLite database", backupId, tenantId, e);
      String code = e instanceof SQLiteException sqlite ? " (" + sqlite.getResultCode().name() + ")" : "";
      throw invalid(tenantId, backupId, "cannot be read as an SQLite database" + code + ".");
    }
    if (!problems.equals(List.of("ok"))) {
      LOG.warn("Backup {} of tenant {} failed PRAGMA integrity_check: {}", backupId, tenantId, problems);
      throw invalid(tenantId, backupId, "failed PRAGMA integrity_check. The server log lists the problems.");
    }
  }

  private String readVersion(Path staging, String tenantId, String backupId) {
    String version;
    try {
      version = migrator.currentVersion(staging);
    } catch (FlywayException e) {
      LOG.warn("Reading the schema history of backup {} of tenant {} failed", backupId, tenantId, e);
      throw invalid(tenantId, backupId, "has a Flyway schema history that cannot be read.");
    }
    if ("0".equals(version)) {
      throw invalid(tenantId, backupId, "has no Flyway schema history, so it is not a Silo tenant database.");
    }
    if (TenantMigrator.compare(version, migrator.targetVersion()) > 0) {
      throw invalid(tenantId, backupId, "is at schema version " + version + ", newer than this server's "
        + migrator.targetVersion() + ". Restore it with a server that has its migrations.");
    }
    return version;
  }

  private String migrate(Path staging, String version, String tenantId, String backupId) {
    long start = System.nanoTime();
    try {
      String migrated = migrator.migrate(staging);
      LOG.info("Migrated backup {} of tenant {} from schema version {} to {} in {} ms", backupId, tenantId, version,
        migrated, TenantLifecycle.millisSince(start));
      return migrated;
    } catch (RuntimeException e) {
      LOG.error("Migrating backup {} of tenant {} from schema version {} failed", backupId, tenantId, version, e);
      throw invalid(tenantId, backupId, "is at schema version " + version + ", and its "
        + MigrationErrors.describe(e, migrator.targetVersion()));
    }
  }

  private static SiloException invalid(String tenantId, String backupId, String problem) {
    return new SiloException(ErrorCode.BACKUP_INVALID, "backup '" + backupId + "' of tenant '" + tenantId + "' "
      + problem + " The tenant keeps its current data.");
  }
}
