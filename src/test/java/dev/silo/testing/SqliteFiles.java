package dev.silo.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Reads SQLite files directly, for tests that check what Silo wrote to disk. */
public final class SqliteFiles {

  /** Offset of the file-format write version in a SQLite header: 1 for rollback journal, 2 for WAL. */
  public static final int WRITE_VERSION_OFFSET = 18;

  private SqliteFiles() {
  }

  /**
   * Returns the schema of a database: every row of {@code sqlite_master}, then the
   * migrations recorded by Flyway without their install time, user and duration.
   */
  public static List<String> schema(Path database) throws SQLException {
    List<String> schema = new ArrayList<>();
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + database);
         Statement statement = connection.createStatement()) {
      try (ResultSet rows = statement.executeQuery(
        "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name")) {
        while (rows.next()) {
          schema.add(rows.getString(1) + " " + rows.getString(2) + " on " + rows.getString(3) + ": " + rows.getString(4));
        }
      }
      try (ResultSet rows = statement.executeQuery("SELECT installed_rank, version, description, type, script, "
        + "checksum, success FROM flyway_schema_history ORDER BY installed_rank")) {
        while (rows.next()) {
          schema.add("migration " + rows.getInt(1) + " " + rows.getString(2) + " " + rows.getString(3) + " "
            + rows.getString(4) + " " + rows.getString(5) + " " + rows.getInt(6) + " " + rows.getBoolean(7));
        }
      }
    }
    return schema;
  }

  /** Returns the write version byte of the file's header: 1 in rollback-journal mode, 2 in WAL mode. */
  public static int writeVersion(Path database) {
    try (InputStream in = Files.newInputStream(database)) {
      return in.readNBytes(WRITE_VERSION_OFFSET + 1)[WRITE_VERSION_OFFSET];
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs statements on a database file with a plain connection. */
  public static void execute(Path database, String... sql) throws SQLException {
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + database);
         Statement statement = connection.createStatement()) {
      for (String each : sql) {
        statement.execute(each);
      }
    }
  }

  /** Returns the names of the files in a folder, sorted, or an empty list when it does not exist. */
  public static List<String> fileNames(Path folder) {
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(folder)) {
      return files.map(file -> file.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
