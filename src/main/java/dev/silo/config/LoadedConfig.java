package dev.silo.config;

import java.util.List;

/**
 * Configuration returned by {@link ConfigLoader#load}, with the names that start-up warns about.
 *
 * @param options      the checked configuration
 * @param unknownNames {@code SILO_*} environment variables and {@code silo.*} system
 *                     properties that set no key, likely typos that start-up warns about
 */
public record LoadedConfig(SiloOptions options, List<String> unknownNames) {

  public LoadedConfig {
    unknownNames = List.copyOf(unknownNames);
  }
}
