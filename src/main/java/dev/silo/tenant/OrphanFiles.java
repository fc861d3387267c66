package dev.silo.tenant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The folder {@code <data_dir>/orphans/}, where Silo moves files it will not serve but
 * must not delete: files of an unregistered tenant id, and temporary files that a crash
 * left behind. An operator inspects them and deletes them.
 * <p>
 * A moved file gets a stamp (milliseconds since the epoch) after the tenant id, so
 * {@code tenants/acme.db} and {@code tenants/acme.db-wal} become
 * {@code orphans/acme.1764875000000.db} and {@code orphans/acme.1764875000000.db-wal}: the
 * files of one move keep one stamp, and SQLite still finds the WAL of the moved database.
 * All methods block: call them on a worker thread.
 */
public final class OrphanFiles {

  private static final Logger LOG = LoggerFactory.getLogger(OrphanFiles.class);

  private final Path orphansDir;

  public OrphanFiles(Path dataDir) {
    this.orphansDir = dataDir.resolve("orphans");
  }

  public Path orphansDir() {
    return orphansDir;
  }

  /**
   * Moves those of {@code files} that exist into the orphans folder and logs each move
   * with the tenant id and {@code reason}. Every file name must start with the tenant id.
   *
   * @return the new paths of the moved files
   */
  public List<Path> moveAside(String tenantId, List<Path> files, String reason) throws IOException {
    List<Path> existing = files.stream().filter(Files::exists).toList();
    if (existing.isEmpty()) {
      return List.of();
    }
    Files.createDirectories(orphansDir);
    long stamp = System.currentTimeMillis();
    // A rename replaces an existing target, so a stamp already taken would lose a file.
    while (anyExists(targets(tenantId, existing, stamp))) {
      stamp++;
    }
    List<Path> targets = targets(tenantId, existing, stamp);
    for (int i = 0; i < existing.size(); i++) {
      Files.move(existing.get(i), targets.get(i), StandardCopyOption.ATOMIC_MOVE);
      LOG.warn("Moved file {} of tenant {} to {}: {}", existing.get(i), tenantId, targets.get(i), reason);
    }
    return targets;
  }

  /**
   * Moves a file whose name belongs to no tenant id into the orphans folder, as
   * {@code <name>.<stamp>}, and logs the move with {@code reason}.
   */
  public Path moveAside(Path file, String reason) throws IOException {
    Files.createDirectories(orphansDir);
    long stamp = System.currentTimeMillis();
    while (Files.exists(orphansDir.resolve(file.getFileName() + "." + stamp))) {
      stamp++;
    }
    Path target = orphansDir.resolve(file.getFileName() + "." + stamp);
    Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
    LOG.warn("Moved file {} to {}: {}", file, target, reason);
    return target;
  }

  private List<Path> targets(String tenantId, List<Path> files, long stamp) {
    List<Path> targets = new ArrayList<>();
    for (Path file : files) {
      String name = file.getFileName().toString();
      if (!name.startsWith(tenantId)) {
        throw new IllegalArgumentException("file " + file + " does not belong to tenant " + tenantId);
      }
      targets.add(orphansDir.resolve(tenantId + "." + stamp + name.substring(tenantId.length())));
    }
    return targets;
  }

  private static boolean anyExists(List<Path> paths) {
    return paths.stream().anyMatch(Files::exists);
  }
}
