package dev.silo.admin;

import dev.silo.system.SystemDatabase;
import dev.silo.system.TenantRecord;
import dev.silo.system.TenantRegistry;
import dev.silo.system.TenantStatus;
import dev.silo.tenant.OrphanFiles;
import dev.silo.tenant.TenantFiles;
import dev.silo.tenant.TenantMigrator;
import dev.silo.util.Times;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Brings the tenants table and the tenants folder back in line after a crash. Runs once
 * at start-up, before the admin verticle and the HTTP server, so nothing changes tenants
 * meanwhile.
 * <ul>
 *   <li>A tenant still {@code provisioning} whose database file is complete and at a
 *   version of the configured migrations is finished: it becomes {@code active}. The
 *   rename into place is the last file step of provisioning, so only marking it active
 *   was missing.</li>
 *   <li>Any other {@code provisioning} tenant is removed, and its files, such as a partial
 *   temporary copy, are moved to {@code orphans/}. Its provisioning request never got a
 *   reply, so the client may send it again.</li>
 *   <li>Files in {@code tenants/} that belong to no registered tenant, temporary files of
 *   provisioning and staging files of a restore, and names Silo does not create are
 *   moved to {@code orphans/}.</li>
 * </ul>
 * Nothing is deleted. Blocking: call it on a worker thread.
 */
public final class TenantReconciler {

  private static final Logger LOG = LoggerFactory.getLogger(TenantReconciler.class);

  private static final String INTERRUPTED_TEMPORARY = "temporary file of an interrupted provisioning or restore";

  /**
   * The changes of one run.
   *
   * @param finished   tenants that were {@code provisioning} and are now {@code active}
   * @param removed    tenants that were {@code provisioning} and are now deleted
   * @param movedAside the new paths, under {@code orphans/}, of the files moved there
   */
  public record Report(List<String> finished, List<String> removed, List<Path> movedAside) {
  }

  private final SystemDatabase database;
  private final TenantFiles files;
  private final OrphanFiles orphans;
  private final TenantMigrator migrator;

  public TenantReconciler(SystemDatabase database, Path dataDir, TenantMigrator migrator) {
    this.database = database;
    this.files = new TenantFiles(dataDir);
    this.orphans = new OrphanFiles(dataDir);
    this.migrator = migrator;
  }

  /** Reconciles the tenants table with the tenants folder and returns what changed. */
  public Report run() throws SQLException, IOException {
    long start = System.nanoTime();
    Report report = new Report(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    for (TenantRecord tenant : database.withConnection(c -> TenantRegistry.withStatus(c, TenantStatus.PROVISIONING))) {
      reconcileProvisioning(tenant.id(), report);
    }
    Set<String> registered = new HashSet<>();
    for (TenantStatus status : List.of(TenantStatus.ACTIVE, TenantStatus.SUSPENDED)) {
      database.withConnection(c -> TenantRegistry.withStatus(c, status)).forEach(tenant -> registered.add(tenant.id()));
    }
    moveAsideUnregisteredFiles(registered, report);
    registered.stream().filter(id -> !files.exists(id)).sorted().forEach(id ->
      LOG.error("Tenant {} is registered but its database file {} is missing", id, files.database(id)));
    LOG.info("Reconciled tenants with their files in {} ms: {} provisioning finished, {} removed, {} files moved to {}",
      (System.nanoTime() - start) / 1_000_000, report.finished().size(), report.removed().size(),
      report.movedAside().size(), orphans.orphansDir().toAbsolutePath());
    return report;
  }

  private void reconcileProvisioning(String id, Report report) throws SQLException, IOException {
    Optional<String> version = migrator.verifiedVersion(files.database(id));
    if (version.isPresent()) {
      report.movedAside().addAll(orphans.moveAside(id, TenantFiles.withCompanions(files.temporary(id)),
        INTERRUPTED_TEMPORARY));
      String at = Times.now();
      database.inTransaction(c -> {
        TenantRegistry.updateSchemaVersion(c, id, version.get(), at);
        TenantRegistry.updateStatus(c, id, TenantStatus.ACTIVE, null, at);
        return null;
      });
      report.finished().add(id);
      LOG.warn("Finished provisioning tenant {}, interrupted after its file was complete, at schema version {}",
        id, version.get());
    } else {
      report.movedAside().addAll(orphans.moveAside(id, files.allFiles(id),
        "provisioning was interrupted before the database file was complete"));
      database.withConnection(c -> {
        TenantRegistry.delete(c, id);
        return null;
      });
      report.removed().add(id);
      LOG.warn("Removed tenant {}, whose provisioning was interrupted before its file was complete", id);
    }
  }

  /** Moves files of unregistered ids, temporary files and unknown names out of the tenants folder. */
  private void moveAsideUnregisteredFiles(Set<String> registered, Report report) throws IOException {
    if (!Files.isDirectory(files.tenantsDir())) {
      return;
    }
    Map<String, List<Path>> byOwner = new TreeMap<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(files.tenantsDir())) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        Optional<String> owner = TenantFiles.ownerOf(name);
        if (!Files.isRegularFile(entry)) {
          LOG.warn("Left {} in place: the tenants folder should contain only files", entry);
        } else if (owner.isEmpty()) {
          report.movedAside().add(orphans.moveAside(entry, "the name belongs to no tenant id"));
        } else if (!registered.contains(owner.get()) || !TenantFiles.isDatabaseFile(name)) {
          byOwner.computeIfAbsent(owner.get(), id -> new ArrayList<>()).add(entry);
        }
      }
    }
    for (Map.Entry<String, List<Path>> owned : byOwner.entrySet()) {
      String reason = registered.contains(owned.getKey()) ? INTERRUPTED_TEMPORARY : "no tenant with this id is registered";
      report.movedAside().addAll(orphans.moveAside(owned.getKey(), owned.getValue(), reason));
    }
  }
}
