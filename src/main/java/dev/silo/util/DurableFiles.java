package dev.silo.util;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * File steps whose result survives a crash of the operating system or a power loss, not
 * only a crash of the process, because each flushes what it wrote to the storage device
 * with {@code fsync}. All methods block, so call them on a worker thread.
 */
public final class DurableFiles {

  private DurableFiles() {
  }

  /** Flushes the content of a file to the storage device. */
  public static void sync(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.force(true);
    }
  }

  /**
   * Flushes a directory, so that the files created, renamed or deleted in it keep their
   * names after an operating system crash. Works on Linux and macOS, where a directory
   * can be opened for reading.
   */
  public static void syncDirectory(Path directory) throws IOException {
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }

  /** Creates a directory with its missing parents, and flushes each directory that got a new entry. */
  public static void createDirectories(Path directory) throws IOException {
    Path created = directory.toAbsolutePath();
    Path existing = created;
    while (existing != null && !Files.isDirectory(existing)) {
      existing = existing.getParent();
    }
    Files.createDirectories(created);
    for (Path path = created; path != null && !path.equals(existing); path = path.getParent()) {
      syncDirectory(path.getParent());
    }
  }

  /**
   * Renames {@code source} to {@code target} in one step, replacing {@code target} when it
   * exists, then flushes their directory. Readers of {@code target} see either the old or
   * the new file, never a mix. Both paths must be in the same directory. Sync
   * {@code source} first, so the new name never points at unwritten content.
   */
  public static void replace(Path source, Path target) throws IOException {
    // ATOMIC_MOVE is rename(2) on Linux and macOS, which replaces an existing target.
    Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
    syncDirectory(target.toAbsolutePath().getParent());
  }

  /**
   * Copies {@code source} to {@code temporary}, syncs the copy and renames it to
   * {@code target} (see {@link #replace}). A crash leaves either no {@code target} or a
   * complete one, and at worst a partial {@code temporary}.
   */
  public static void copy(Path source, Path temporary, Path target) throws IOException {
    Files.copy(source, temporary, StandardCopyOption.REPLACE_EXISTING);
    sync(temporary);
    replace(temporary, target);
  }
}
