package dev.silo.system;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on {@code <data_dir>/silo.lock}, held while a server runs, so two
 * servers never share one data folder: each would run its own admin verticle, and two
 * Flyway runs on one tenant file corrupt its history.
 * <p>
 * The operating system releases the lock when the process dies, so a crash leaves no
 * stale lock behind.
 */
public final class DataDirLock implements AutoCloseable {

  public static final String FILE_NAME = "silo.lock";

  private final FileChannel channel;
  private final FileLock lock;

  private DataDirLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the lock, creating the data folder when missing. Blocking.
   *
   * @throws IllegalStateException when another server has it
   */
  public static DataDirLock acquire(Path dataDir) throws IOException {
    Files.createDirectories(dataDir);
    Path file = dataDir.resolve(FILE_NAME);
    FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      channel.close();
      throw new IllegalStateException("data folder " + dataDir.toAbsolutePath() + " is in use by another Silo server"
        + " (it has locked " + FILE_NAME + "); stop that server or set a different data_dir");
    }
    return new DataDirLock(channel, lock);
  }

  /** Releases the lock. */
  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      channel.close();
    }
  }
}
