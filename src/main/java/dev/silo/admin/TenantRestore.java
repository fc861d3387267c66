package dev.silo.admin;

import dev.silo.error.SiloException;
import dev.silo.system.SystemDatabase;
import dev.silo.system.TenantRecord;
import dev.silo.system.TenantRegistry;
import dev.silo.tenant.BackupFiles;
import dev.silo.tenant.BackupId;
import dev.silo.tenant.SqliteSettings;
import dev.silo.tenant.TenantFiles;
import dev.silo.util.DurableFiles;
import dev.silo.util.Fields;
import dev.silo.util.Times;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;

/**
 * Restores a tenant from one of its backups ({@code backups.restore}). The tenant may be
 * active or suspended, and it keeps its status.
 * <p>
 * First, while the tenant goes on serving, {@link RestoreStaging} copies the backup beside
 * the tenant's file and checks it, migrating it when it is behind. A backup that fails is
 * rejected with {@code backup_invalid} and the tenant keeps its file. Then the tenant's
 * pool is held closed (in-flight requests finish first, later ones get {@code unavailable}),
 * the current file's WAL is checkpointed and its {@code -wal} and {@code -shm} removed, the
 * staging file is renamed over the tenant's file, and the system database gets the
 * restored schema version. Releasing the hold lets the next request open the pool on the
 * restored file.
 * <p>
 * Runs on the admin verticle's context as a task of its {@link SerialQueue}; the file work
 * runs on worker pool threads.
 */
final class TenantRestore {

  private static final Logger LOG = LoggerFactory.getLogger(TenantRestore.class);

  /** Reason for the pool hold, shown in the {@code unavailable} error of requests meanwhile. */
  static final String HOLD_REASON = "restoring from a backup";

  private final Vertx vertx;
  private final SystemDatabase database;
  private final TenantLifecycle lifecycle;
  private final SqliteSettings settings;
  private final TenantFiles files;
  private final BackupFiles backups;
  private final RestoreStaging staging;

  TenantRestore(Vertx vertx, SystemDatabase database, TenantLifecycle lifecycle, SqliteSettings settings,
                RestoreStaging staging, Path dataDir) {
    this.vertx = vertx;
    this.database = database;
    this.lifecycle = lifecycle;
    this.settings = settings;
    this.files = new TenantFiles(dataDir);
    this.backups = new BackupFiles(dataDir);
    this.staging = staging;
  }

  /** Replaces the tenant's data with the backup {@code backup_id} and returns the tenant. */
  Future<JsonObject> restore(JsonObject request) {
    Fields.rejectUnknown(request, Set.of("id", "backup_id"));
    String tenantId = TenantLifecycle.idOf(request);
    String backupId = BackupId.validate(Fields.requiredString(request, "backup_id", BackupId.LENGTH), "backup_id");
    long start = System.nanoTime();
    return vertx.executeBlocking(() -> stage(tenantId, backupId), false)
      .compose(version -> lifecycle.holdPool(tenantId, HOLD_REASON)
        .compose(v -> vertx.executeBlocking(() -> replace(tenantId, version), false))
        .eventually(() -> release(tenantId)))
      .recover(failure -> vertx.executeBlocking(() -> {
          TenantFiles.deleteWithCompanions(files.restoreStaging(tenantId));
          return null;
        }, false)
        .transform(ignored -> Future.failedFuture(failure)))
      .onSuccess(tenant -> {
        LOG.info("Restored tenant {} from backup {} at schema version {} in {} ms", tenantId, backupId,
          tenant.schemaVersion(), TenantLifecycle.millisSince(start));
        lifecycle.publish("tenant.restored", tenantId);
      })
      .map(TenantRecord::toJson);
  }

  /** Copies and checks the backup while the tenant serves, and returns the staged file's schema version. */
  private String stage(String tenantId, String backupId) throws SQLException, IOException {
    lifecycle.requireDatabase(tenantId);
    Path backup = backups.file(tenantId, backupId);
    if (!Files.isRegularFile(backup)) {
      throw SiloException.notFound("backup '" + backupId + "' of tenant '" + tenantId + "' does not exist");
    }
    return staging.prepare(backup, files.restoreStaging(tenantId), tenantId, backupId);
  }

  /** Renames the staged file over the tenant's file. Runs while the pool is held closed. */
  private TenantRecord replace(String tenantId, String version) throws SQLException, IOException {
    Path current = files.database(tenantId);
    // Checkpoints the current WAL into the file first, so that the tenant keeps all of its
    // current data if the process dies before the rename.
    checkpoint(current);
    // A -wal left beside the restored file would be replayed onto it at the next open.
    for (Path companion : TenantFiles.companions(current)) {
      Files.deleteIfExists(companion);
    }
    DurableFiles.replace(files.restoreStaging(tenantId), current);
    database.withConnection(c -> {
      TenantRegistry.updateSchemaVersion(c, tenantId, version, Times.now());
      return null;
    });
    return lifecycle.require(tenantId);
  }

  private void checkpoint(Path file) throws SQLException {
    try (Connection connection = settings.unpooled(file).getConnection();
         Statement statement = connection.createStatement()) {
      statement.execute("PRAGMA wal_checkpoint(TRUNCATE)");
    }
  }

  private Future<Void> release(String tenantId) {
    return lifecycle.releasePool(tenantId)
      .onFailure(e -> LOG.error("Releasing the pool hold of tenant {} failed; its requests fail with "
        + "'unavailable' until the server restarts", tenantId, e));
  }
}
