package dev.silo.tenant;

import dev.silo.util.Blocking;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.output.MigrateResult;
import org.sqlite.SQLiteDataSource;

import java.nio.file.Path;
import java.util.List;

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

  /** Reads the migrations at {@code locations} once to learn the target version. */
  public TenantMigrator(SqliteSettings settings, List<String> locations) {
    this.settings = settings;
    this.locations = List.copyOf(locations);
    this.targetVersion = readTargetVersion();
  }

  /** Returns the newest version among the migrations, or {@code "0"} when there are none. */
  public String targetVersion() {
    return targetVersion;
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

  private String readTargetVersion() {
    SQLiteDataSource empty = new SQLiteDataSource();
    // Each connection to ":memory:" is a new empty database, so every migration shows as pending.
    empty.setUrl("jdbc:sqlite::memory:");
    MigrationInfo[] pending = flyway(empty).info().pending();
    if (pending.length == 0) {
      return "0";
    }
    return pending[pending.length - 1].getVersion().getVersion();
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
