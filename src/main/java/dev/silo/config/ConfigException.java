package dev.silo.config;

/** Invalid configuration found at start-up; the message names the key and the rule. */
public final class ConfigException extends RuntimeException {

  public ConfigException(String message) {
    super(message);
  }
}
