package dev.silo.system;

import dev.silo.util.Times;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Set;

/**
 * Makes sure an admin can log in after the first start.
 * <p>
 * With {@code SILO_ADMIN_TOKEN} set, that secret becomes a token of the initial admin.
 * Without it, the secret is read from {@code <data_dir>/admin.token}, or generated into
 * that file (mode 0600) on the first start. The path is logged; the secret never is.
 */
public final class AdminTokenBootstrap {

  private static final Logger LOG = LoggerFactory.getLogger(AdminTokenBootstrap.class);

  public static final String TOKEN_FILE = "admin.token";

  private AdminTokenBootstrap() {
  }

  /** Registers the initial admin token. Blocking: call it on a worker thread. */
  public static void run(SystemDatabase database, Path dataDir, String configuredSecret)
    throws SQLException, IOException {
    String secret;
    if (!configuredSecret.isEmpty()) {
      secret = configuredSecret;
      LOG.info("Initial admin token taken from configuration (admin_token)");
    } else {
      Path file = dataDir.resolve(TOKEN_FILE);
      if (Files.isRegularFile(file)) {
        secret = Files.readString(file, StandardCharsets.UTF_8).trim();
        LOG.info("Initial admin token read from {}", file.toAbsolutePath());
      } else {
        secret = Tokens.newSecret();
        writeSecret(file, secret);
        LOG.info("Generated the initial admin token into {} (mode 0600)", file.toAbsolutePath());
      }
    }
    database.inTransaction(connection -> {
      String at = Times.now();
      if (!Users.exists(connection, Users.INITIAL_ADMIN_ID)) {
        Users.insert(connection, Users.INITIAL_ADMIN_ID, "initial admin", Role.ADMIN, at);
      }
      Optional<String> revokedAt = Tokens.revokedAt(connection, secret);
      if (revokedAt.isEmpty()) {
        Tokens.insert(connection, secret, "initial", Users.INITIAL_ADMIN_ID, null, at);
      } else if (!revokedAt.get().isEmpty()) {
        // A revoked token stays revoked even though the configuration still names it.
        LOG.warn("The initial admin token was revoked at {}; it stays revoked. Use another admin token, "
          + "or set a new admin_token and restart", revokedAt.get());
      }
      return null;
    });
  }

  private static void writeSecret(Path file, String secret) throws IOException {
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(Set.of(
        java.nio.file.attribute.PosixFilePermission.OWNER_READ,
        java.nio.file.attribute.PosixFilePermission.OWNER_WRITE)));
    }
    Files.writeString(file, secret + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
      StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
  }
}
