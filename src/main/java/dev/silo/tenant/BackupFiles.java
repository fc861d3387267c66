package dev.silo.tenant;

import dev.silo.util.Times;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Paths and listing of tenant backups: {@code <data_dir>/backups/<tenant-id>/<backup-id>.db}.
 * <p>
 * A backup is written under {@code <backup-id>.db.tmp} and renamed once complete, so a
 * file under a final name is always a whole backup, and listings never show the temporary
 * ones. Every method takes a tenant id that {@link TenantId} accepted and blocks on the
 * file system: call it on a worker thread.
 */
public final class BackupFiles {

  private static final String SUFFIX = ".db";
  private static final String TEMPORARY_SUFFIX = ".db.tmp";

  private final Path backupsDir;

  public BackupFiles(Path dataDir) {
    this.backupsDir = dataDir.resolve("backups");
  }

  /** One backup file, as the admin API shows it. */
  public record Backup(String id, String tenantId, long sizeBytes) {

    /** Returns {@code {id, tenant_id, created_at, size_bytes}}. */
    public JsonObject toJson() {
      return new JsonObject()
        .put("id", id)
        .put("tenant_id", tenantId)
        .put("created_at", Times.format(BackupId.createdAt(id)))
        .put("size_bytes", sizeBytes);
    }
  }

  /** Returns the folder of a tenant's backups. */
  public Path directory(String tenantId) {
    return backupsDir.resolve(TenantId.validate(tenantId));
  }

  /** Returns the file of a backup, whether or not it exists. */
  public Path file(String tenantId, String backupId) {
    return directory(tenantId).resolve(backupId + SUFFIX);
  }

  /** Returns the name a backup is written under until it is complete. */
  public Path temporaryFile(String tenantId, String backupId) {
    return directory(tenantId).resolve(backupId + TEMPORARY_SUFFIX);
  }

  /**
   * Lists the backups of a tenant, newest first. Files with other names are ignored, and
   * so is a file deleted while the listing runs.
   */
  public List<Backup> list(String tenantId) throws IOException {
    Path directory = directory(tenantId);
    List<Backup> backups = new ArrayList<>();
    if (!Files.isDirectory(directory)) {
      return backups;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, "*" + SUFFIX)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        String backupId = name.substring(0, name.length() - SUFFIX.length());
        if (!BackupId.isValid(backupId)) {
          continue;
        }
        try {
          backups.add(new Backup(backupId, tenantId, Files.size(entry)));
        } catch (NoSuchFileException e) {
          // Deleted by retention since the directory was read.
        }
      }
    }
    backups.sort(Comparator.comparing(Backup::id).reversed());
    return backups;
  }

  /** Deletes the temporary files that a backup interrupted by a crash left behind. */
  public void deleteTemporaryFiles(String tenantId) throws IOException {
    Path directory = directory(tenantId);
    if (!Files.isDirectory(directory)) {
      return;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, "*" + TEMPORARY_SUFFIX)) {
      for (Path entry : entries) {
        Files.deleteIfExists(entry);
      }
    }
  }
}
