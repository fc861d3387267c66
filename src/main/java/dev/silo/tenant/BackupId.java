package dev.silo.tenant;

import dev.silo.error.SiloException;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoUnit;
import java.util.regex.Pattern;

/**
 * Backup ids: {@code bak_} followed by the UTC creation time to the millisecond, for
 * example {@code bak_20261204T190315123Z}. The ids of one tenant sort by creation time as
 * plain text, and contain only characters that are safe in file names.
 */
public final class BackupId {

  /** Length of every valid id. */
  public static final int LENGTH = 23;

  private static final String PREFIX = "bak_";
  private static final Pattern SHAPE = Pattern.compile("bak_\\d{8}T\\d{9}Z");
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmssSSS'Z'")
    .withZone(ZoneOffset.UTC)
    .withResolverStyle(ResolverStyle.STRICT);

  private BackupId() {
  }

  /**
   * Returns the id of a backup made at {@code now}, which sorts after {@code newest}, the
   * tenant's newest id or {@code null}. When {@code now} is not later than {@code newest},
   * because two backups fell in one millisecond or the clock went back, the id is
   * {@code newest} plus one millisecond.
   */
  public static String next(Instant now, String newest) {
    Instant time = now.truncatedTo(ChronoUnit.MILLIS);
    if (newest != null && !time.isAfter(createdAt(newest))) {
      time = createdAt(newest).plusMillis(1);
    }
    return PREFIX + TIME.format(time);
  }

  /** Returns whether {@code id} is a well-formed backup id of a real point in time. */
  public static boolean isValid(String id) {
    if (id == null || !SHAPE.matcher(id).matches()) {
      return false;
    }
    try {
      TIME.parse(id.substring(PREFIX.length()));
      return true;
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  /**
   * Returns {@code id} when it is valid.
   *
   * @param field the request field that carried it, named in the error
   * @throws SiloException with {@code invalid_request} when it is not
   */
  public static String validate(String id, String field) {
    if (!isValid(id)) {
      throw SiloException.invalid("field '" + field + "' must be a backup id such as bak_20261204T190315123Z");
    }
    return id;
  }

  /** Returns the creation time that a valid id encodes. */
  public static Instant createdAt(String id) {
    return Instant.from(TIME.parse(id.substring(PREFIX.length())));
  }
}
