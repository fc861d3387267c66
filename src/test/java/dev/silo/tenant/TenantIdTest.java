package dev.silo.tenant;

import dev.silo.error.ErrorCode;
import dev.silo.error.SiloException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TenantIdTest {

  @ParameterizedTest
  @ValueSource(strings = {"acme", "a-1", "abc", "startup-2026", "z0z"})
  void acceptsValidIds(String id) {
    assertThat(TenantId.validate(id)).isEqualTo(id);
    assertThat(TenantId.isValid(id)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "ab", "..", ".hidden", "../system", "%2e%2e", "a?mode=ro", "a#b", "a/b", "a\\b",
    "ACME", "Acme", "1abc", "-abc", "abc-", "a_b", "a b", "a.b", "acm\u0435", "\uff41cme", "ac\u0000me",
    "system", "admin", "api", "health", "metrics", "template"})
  void rejectsInvalidIds(String id) {
    assertThat(TenantId.isValid(id)).isFalse();
    assertThatThrownBy(() -> TenantId.validate(id))
      .isInstanceOfSatisfying(SiloException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_TENANT_ID));
  }

  @ParameterizedTest
  @ValueSource(ints = {64, 300})
  void rejectsOverlongIds(int length) {
    String id = "a".repeat(length);
    assertThatThrownBy(() -> TenantId.validate(id))
      .isInstanceOfSatisfying(SiloException.class, e -> assertThat(e.getMessage()).contains("3 to 63 characters"));
  }

  @ParameterizedTest
  @ValueSource(ints = {3, 63})
  void acceptsBoundaryLengths(int length) {
    String id = "a".repeat(length);
    assertThat(TenantId.isValid(id)).isTrue();
  }

  @org.junit.jupiter.api.Test
  void rejectsNull() {
    assertThatThrownBy(() -> TenantId.validate(null)).isInstanceOf(SiloException.class);
  }

  @org.junit.jupiter.api.Test
  void messageEscapesControlAndNonAsciiCharacters() {
    assertThatThrownBy(() -> TenantId.validate("ab\u0007\u0435"))
      .hasMessageContaining("ab\\u0007\\u0435");
  }
}
