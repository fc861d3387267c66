package dev.silo.util;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * File operations whose result survives a crash of the process or of the machine: data
 * is forced to the device before a rename publishes it, and the folder is forced after
 * the rename. All methods block: call them on a worker thread.
 * <p>
 * NOTE: forcing a folder opens it as a file channel. That works on Linux, but on Windows
 * Java cannot open a folder, so {@link #fsyncDirectory} fails there.
 */
public final class DurableFiles {

  private DurableFiles() {
  }

  /** Forces the content and metadata of a file to the storage device. */
  public static void fsync(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.force(true);
    }
  }

  /** Forces a folder's entries (created, renamed and removed names) to the storage device. */
  public static void fsyncDirectory(Path directory) throws IOException {
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }

  /**
   * Renames {@code source} to {@code target} in one atomic step, replacing {@code target},
   * after forcing the source's content, and forces the target's folder afterwards. Both
   * paths must be in the same folder, or at least on the same file system.
   */
  public static void publish(Path source, Path target) throws IOException {
    fsync(source);
    Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
    fsyncDirectory(target.toAbsolutePath().getParent());
  }

  /**
   * Copies {@code source} to {@code temporary}, then publishes the copy as {@code target}
   * (see {@link #publish}). A crash leaves either no {@code target} or a complete one,
   * and at worst a partial {@code temporary}.
   */
  public static void copy(Path source, Path temporary, Path target) throws IOException {
    Files.copy(source, temporary, StandardCopyOption.REPLACE_EXISTING);
    publish(temporary, target);
  }
}
