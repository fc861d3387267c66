package dev.silo.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Threads and file descriptors of a Linux process, read from {@code /proc/<pid>/task} and
 * {@code /proc/<pid>/fd}: the test JVM's own ({@link #self()}) or a child process's.
 */
public final class ProcessResources {

  private final Path proc;

  private ProcessResources(Path proc) {
    this.proc = proc;
  }

  /** Returns the resources of the test JVM. */
  public static ProcessResources self() {
    return new ProcessResources(Path.of("/proc/self"));
  }

  /** Returns the resources of another process of the same user. */
  public static ProcessResources of(long pid) {
    return new ProcessResources(Path.of("/proc", Long.toString(pid)));
  }

  /** Returns the number of threads. */
  public int threads() {
    return count(proc.resolve("task"));
  }

  /** Returns the number of open file descriptors. */
  public int fileDescriptors() {
    return count(proc.resolve("fd"));
  }

  /**
   * Returns the targets of the open file descriptors that lie in {@code folder}, one entry
   * per descriptor, so a file open twice appears twice.
   */
  public List<Path> openFilesIn(Path folder) {
    Path absolute = folder.toAbsolutePath().normalize();
    List<Path> open = new ArrayList<>();
    try (Stream<Path> descriptors = Files.list(proc.resolve("fd"))) {
      for (Path descriptor : (Iterable<Path>) descriptors::iterator) {
        try {
          Path target = Files.readSymbolicLink(descriptor);
          if (target.startsWith(absolute)) {
            open.add(target);
          }
        } catch (NoSuchFileException e) {
          // Closed between the listing and the read.
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + proc.resolve("fd"), e);
    }
    return open;
  }

  /** Returns how many descriptors are open on {@code file}. */
  public long openCount(Path file) {
    Path absolute = file.toAbsolutePath().normalize();
    return openFilesIn(absolute.getParent()).stream().filter(absolute::equals).count();
  }

  private static int count(Path folder) {
    try (Stream<Path> entries = Files.list(folder)) {
      return (int) entries.count();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + folder, e);
    }
  }
}
