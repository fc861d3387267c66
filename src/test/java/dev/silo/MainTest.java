package dev.silo;

import dev.silo.config.SiloOptions;
import dev.silo.util.SiloVersion;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class MainTest {

  @Test
  void versionIsProjectVersion() throws Exception {
    String pom = Files.readString(Path.of("pom.xml"));
    String projectVersion = pom.replaceFirst("(?s).*?<artifactId>silo</artifactId>\\s*<version>([^<]+)</version>.*", "$1");

    assertThat(SiloVersion.get()).isEqualTo(projectVersion).doesNotContain("${");
  }

  @Test
  void helpListsKeysAndCommands() {
    String help = Main.help();

    assertThat(help).contains("Usage: java -jar silo.jar [-conf FILE]");
    SiloOptions.KEYS.forEach(key -> assertThat(help).contains(key.name(), key.environmentVariable()));
    assertThat(help).contains("tenants create|list|get|suspend|resume|delete", "tokens create TENANT", "migrate",
      "backup create|list TENANT", "restore TENANT BACKUP_ID");
  }
}
