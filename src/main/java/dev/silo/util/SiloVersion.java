package dev.silo.util;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The version of this build of Silo, from the Maven project version written in at build time. */
public final class SiloVersion {

  private static final String RESOURCE = "/silo-version.properties";
  private static final String VERSION = read();

  private SiloVersion() {
  }

  /** Returns the version, such as {@code 0.1.0-SNAPSHOT}. */
  public static String get() {
    return VERSION;
  }

  private static String read() {
    try (InputStream in = SiloVersion.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the class path; build Silo with Maven");
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + RESOURCE + " failed", e);
    }
  }
}
