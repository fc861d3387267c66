package dev.silo.tenant;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

class StatementCacheTest {

  @TempDir
  Path dir;

  private Connection connection;
  private StatementCache cache;

  @BeforeEach
  void open() throws SQLException {
    connection = new SqliteSettings("NORMAL", 0).unpooled(dir.resolve("cache.db")).getConnection();
    cache = new StatementCache(connection);
  }

  @AfterEach
  void close() throws SQLException {
    connection.close();
  }

  @Test
  void sameSqlSameStatement() throws SQLException {
    PreparedStatement first = cache.prepare("SELECT ?");
    PreparedStatement second = cache.prepare("SELECT ?");

    assertThat(second).isSameAs(first);
    assertThat(cache.prepare("SELECT ? + 1")).isNotSameAs(first);
  }

  @Test
  void reuseClearsParameters() throws SQLException {
    PreparedStatement statement = cache.prepare("SELECT ?");
    statement.setInt(1, 42);
    try (ResultSet rows = statement.executeQuery()) {
      assertThat(rows.getInt(1)).isEqualTo(42);
    }

    PreparedStatement again = cache.prepare("SELECT ?");
    try (ResultSet rows = again.executeQuery()) {
      rows.getInt(1);
      assertThat(rows.wasNull()).isTrue();
    }
  }

  @Test
  void overflowClosesLeastRecentlyUsed() throws SQLException {
    PreparedStatement recentlyUsed = cache.prepare("SELECT 0");
    PreparedStatement dropped = cache.prepare("SELECT 1");
    for (int i = 2; i <= StatementCache.MAX_STATEMENTS; i++) {
      // Using "SELECT 0" again makes "SELECT 1" the least recently used.
      cache.prepare("SELECT 0");
      cache.prepare("SELECT " + i);
    }

    assertThat(cache.size()).isEqualTo(StatementCache.MAX_STATEMENTS);
    assertThat(dropped.isClosed()).isTrue();
    assertThat(recentlyUsed.isClosed()).isFalse();
    assertThat(cache.prepare("SELECT 1")).isNotSameAs(dropped);
  }
}
