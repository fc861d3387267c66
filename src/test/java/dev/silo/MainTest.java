package dev.silo;

import dev.silo.config.SiloOptions;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MainTest {

  @Test
  void helpListsKeysAndCommands() {
    String help = Main.help();

    assertThat(help).contains("Usage: java -jar silo.jar [-conf FILE]");
    SiloOptions.KEYS.forEach(key -> assertThat(help).contains(key.name(), key.environmentVariable()));
    assertThat(help).contains("tenants create|list|get|suspend|resume|delete", "tokens create TENANT", "migrate",
      "backup create|list TENANT", "restore TENANT BACKUP_ID");
  }
}
