package dev.silo.system;

import java.sql.Connection;
import java.sql.SQLException;

/** The {@code users} table of staff users. Blocking calls. */
public final class Users {

  /** Id of the admin user created at first start, who owns the initial admin token. */
  public static final String INITIAL_ADMIN_ID = "usr_initial_admin";

  private Users() {
  }

  public static String insert(Connection connection, String name, Role role, String at) throws SQLException {
    String id = "usr_" + Tokens.randomString(9);
    insert(connection, id, name, role, at);
    return id;
  }

  public static void insert(Connection connection, String id, String name, Role role, String at) throws SQLException {
    Jdbc.update(connection, "INSERT INTO users (id, name, role, created_at) VALUES (?, ?, ?, ?)",
      id, name, role.value(), at);
  }

  public static boolean exists(Connection connection, String id) throws SQLException {
    return Jdbc.queryOne(connection, "SELECT 1 FROM users WHERE id = ?", row -> 1, id).isPresent();
  }
}
