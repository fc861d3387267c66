package dev.silo.admin;

import dev.silo.error.ErrorCode;
import dev.silo.error.SiloException;
import dev.silo.system.SystemDatabase;
import dev.silo.system.TenantRegistry;
import dev.silo.tenant.BackupFiles;
import dev.silo.tenant.BackupFiles.Backup;
import dev.silo.tenant.BackupId;
import dev.silo.tenant.SqliteSettings;
import dev.silo.tenant.TenantFiles;
import dev.silo.util.Blocking;
import dev.silo.util.DurableFiles;
import dev.silo.util.Page;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * Creates and lists tenant backups ({@code backups.create}, {@code backups.list}).
 * <p>
 * A backup is {@code VACUUM INTO} a new file, run on a connection of its own to the
 * tenant's database. It reads in one transaction, so the copy is a consistent snapshot that
 * includes the commits still in the WAL, and writers go on meanwhile because WAL readers do
 * not block them. SQLite's online backup API copies in steps instead, and starts over when
 * another connection writes between two steps, so under steady writes it might not finish.
 * <p>
 * Runs on the admin verticle's context. {@code backups.create} is a task of its
 * {@link SerialQueue}, so it never overlaps a restore, deletion or migration of the tenant.
 * The copy runs on a worker pool thread, so read-only admin actions are served meanwhile.
 */
final class BackupAdmin {

  private static final Logger LOG = LoggerFactory.getLogger(BackupAdmin.class);

  private final Vertx vertx;
  private final SystemDatabase database;
  private final TenantLifecycle lifecycle;
  private final SqliteSettings settings;
  private final TenantFiles files;
  private final BackupFiles backups;
  private final int retention;

  /** @param retention the number of backups kept per tenant */
  BackupAdmin(Vertx vertx, SystemDatabase database, TenantLifecycle lifecycle, SqliteSettings settings, Path dataDir,
              int retention) {
    this.vertx = vertx;
    this.database = database;
    this.lifecycle = lifecycle;
    this.settings = settings;
    this.files = new TenantFiles(dataDir);
    this.backups = new BackupFiles(dataDir);
    this.retention = retention;
  }

  /** Backs up a tenant, active or suspended, then deletes its backups beyond the retention. */
  Future<JsonObject> create(JsonObject request) {
    String tenantId = TenantLifecycle.idOf(request);
    long start = System.nanoTime();
    return vertx.executeBlocking(() -> createBlocking(tenantId), false)
      .onSuccess(backup -> {
        LOG.info("Backed up tenant {} to {} ({} bytes) in {} ms", tenantId, backup.id(), backup.sizeBytes(),
          TenantLifecycle.millisSince(start));
        lifecycle.publish("tenant.backed_up", tenantId);
      })
      .map(Backup::toJson);
  }

  /**
   * Lists a tenant's backups, newest first, in pages. The backups of a deleted tenant stay
   * listed, and an id with neither a tenant nor backups fails with {@code tenant_not_found}.
   */
  Future<JsonObject> list(JsonObject request) {
    String tenantId = TenantLifecycle.idOf(request);
    return Blocking.call(() -> {
      int limit = Page.limit(request);
      String after = Page.afterText(request, BackupId.LENGTH);
      if (after != null) {
        BackupId.validate(after, "after");
      }
      List<Backup> all = backups.list(tenantId);
      if (all.isEmpty() && database.withConnection(c -> TenantRegistry.find(c, tenantId)).isEmpty()) {
        throw new SiloException(ErrorCode.TENANT_NOT_FOUND, "tenant '" + tenantId + "' does not exist");
      }
      List<JsonObject> rows = all.stream()
        .filter(backup -> after == null || backup.id().compareTo(after) < 0)
        .limit(limit + 1L)
        .map(Backup::toJson)
        .toList();
      return Page.of(rows, limit, row -> row.getString("id"));
    });
  }

  private Backup createBlocking(String tenantId) throws SQLException, IOException {
    lifecycle.requireDatabase(tenantId);
    DurableFiles.createDirectories(backups.directory(tenantId));
    backups.deleteTemporaryFiles(tenantId);
    List<Backup> existing = backups.list(tenantId);
    String backupId = BackupId.next(Instant.now(), existing.isEmpty() ? null : existing.get(0).id());
    Path temporary = backups.temporaryFile(tenantId, backupId);
    Path file = backups.file(tenantId, backupId);
    try {
      vacuumInto(files.database(tenantId), temporary);
      // VACUUM INTO does not fsync its output, and the rename must not reach the disk before the content.
      DurableFiles.sync(temporary);
      DurableFiles.replace(temporary, file);
    } catch (SQLException | IOException | RuntimeException e) {
      Files.deleteIfExists(temporary);
      throw e;
    }
    deleteBeyondRetention(tenantId);
    return new Backup(backupId, tenantId, Files.size(file));
  }

  private void vacuumInto(Path source, Path target) throws SQLException {
    try (Connection connection = settings.unpooled(source).getConnection();
         PreparedStatement vacuum = connection.prepareStatement("VACUUM INTO ?")) {
      vacuum.setString(1, target.toAbsolutePath().toString());
      vacuum.execute();
    }
  }

  private void deleteBeyondRetention(String tenantId) throws IOException {
    List<Backup> all = backups.list(tenantId);
    for (Backup old : all.subList(Math.min(retention, all.size()), all.size())) {
      Files.deleteIfExists(backups.file(tenantId, old.id()));
      LOG.info("Deleted backup {} of tenant {}, because backup_retention keeps the newest {}", old.id(), tenantId,
        retention);
    }
  }
}
