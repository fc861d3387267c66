package dev.silo.tenant;

import dev.silo.util.Blocking;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.output.MigrateResult;
import org.sqlite.SQLiteDataSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Migrates tenant databases with Flyway from the configured locations.
 * <p>
 * Flyway takes no lock on SQLite, so two migrations of one file at once corrupt its
 * history table. Only the admin verticle calls {@link #migrate(Path)}; other verticles send it
 * a request. All methods block: call them on a worker thread.
 */
public final class TenantMigrator {

  private final SqliteSettings settings;
  private final List<String> locations;
  private final String targetVersion;
  private final String schemaKey;

  /** Reads the migrations at {@code locations} once to learn the target version and schema key. */
  public TenantMigrator(SqliteSettings settings, List<String> locations) {
    this.settings = settings;
    this.locations = List.copyOf(locations);
    MigrationInfo[] migrations = readMigrations();
    this.targetVersion = Arrays.stream(migrations)
      .map(MigrationInfo::getVersion)
      .filter(Objects::nonNull)
      .max(MigrationVersion::compareTo)
      .map(MigrationVersion::getVersion)
      .orElse("0");
    this.schemaKey = "v" + targetVersion + "-" + checksum(this.locations, migrations);
  }

  /** Returns the newest version among the migrations, or {@code "0"} when there are none. */
  public String targetVersion() {
    return targetVersion;
  }

  /**
   * Returns a key that names the schema these migrations build, such as {@code v1-0123456789abcdef}:
   * the target version and a hash of the locations and of every migration's version,
   * description, type, script name and Flyway checksum. Editing a SQL migration changes
   * its checksum and so the key, even when its version stays the same.
   * <p>
   * NOTE: Flyway computes no checksum for Java migrations, so the key covers only their
   * class names. Changing a Java migration's code without renaming it keeps the key.
   */
  public String schemaKey() {
    return schemaKey;
  }

  /** Returns whether {@code version} is older than the target version. */
  public boolean isBehind(String version) {
    return compare(version, targetVersion) < 0;
  }

  /** Compares two schema versions as Flyway orders them. */
  public static int compare(String left, String right) {
    return MigrationVersion.fromVersion(left).compareTo(MigrationVersion.fromVersion(right));
  }

  /**
   * Creates the file when missing and applies every pending migration.
   *
   * @return the schema version after the migration
   */
  public String migrate(Path database) {
    Blocking.requireNotEventLoop();
    MigrateResult result = flyway(settings.unpooled(database)).migrate();
    return result.targetSchemaVersion != null ? result.targetSchemaVersion : currentVersion(database);
  }

  /** Returns the version a database file is at, or {@code "0"} before its first migration. */
  public String currentVersion(Path database) {
    MigrationInfo current = flyway(settings.unpooled(database)).info().current();
    return current == null || current.getVersion() == null ? "0" : current.getVersion().getVersion();
  }

  /**
   * Returns the schema version of a complete database file whose every applied migration
   * succeeded and is one of the configured migrations, or empty when the file is not a
   * readable SQLite database, fails {@code PRAGMA quick_check}, has no migration applied,
   * or records a failed or unknown migration. Leaves the file's journal mode as it is.
   */
  public Optional<String> verifiedVersion(Path database) {
    if (!Files.isRegularFile(database)) {
      return Optional.empty();
    }
    SQLiteDataSource dataSource = settings.inspection(database);
    try {
      if (!passesQuickCheck(dataSource)) {
        return Optional.empty();
      }
      MigrationInfoService info = flyway(dataSource).info();
      MigrationInfo current = info.current();
      boolean allKnown = Arrays.stream(info.applied())
        .allMatch(migration -> migration.getState().isResolved() && !migration.getState().isFailed());
      if (current == null || current.getVersion() == null || !allKnown) {
        return Optional.empty();
      }
      return Optional.of(current.getVersion().getVersion());
    } catch (SQLException | FlywayException e) {
      return Optional.empty();
    }
  }

  private static boolean passesQuickCheck(SQLiteDataSource dataSource) throws SQLException {
    try (Connection connection = dataSource.getConnection();
         Statement statement = connection.createStatement();
         ResultSet result = statement.executeQuery("PRAGMA quick_check")) {
      return result.next() && "ok".equals(result.getString(1));
    }
  }

  private MigrationInfo[] readMigrations() {
    SQLiteDataSource empty = new SQLiteDataSource();
    // Each connection to ":memory:" is a new empty database, so every migration shows as pending.
    empty.setUrl("jdbc:sqlite::memory:");
    return flyway(empty).info().pending();
  }

  /** Returns the first 64 bits of a SHA-256 over the locations and the migrations, in hex. */
  private static String checksum(List<String> locations, MigrationInfo[] migrations) {
    StringBuilder text = new StringBuilder(String.join(",", locations)).append('\n');
    for (MigrationInfo migration : migrations) {
      text.append(migration.getVersion() == null ? "repeatable" : migration.getVersion().getVersion())
        .append('|').append(migration.getDescription())
        .append('|').append(migration.getType())
        .append('|').append(migration.getScript())
        .append('|').append(migration.getChecksum())
        .append('\n');
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime provides SHA-256", e);
    }
  }

  private Flyway flyway(javax.sql.DataSource dataSource) {
    return Flyway.configure(TenantMigrator.class.getClassLoader())
      .dataSource(dataSource)
      .locations(locations.toArray(String[]::new))
      .failOnMissingLocations(true)
      .loggers("slf4j")
      .load();
  }
}
