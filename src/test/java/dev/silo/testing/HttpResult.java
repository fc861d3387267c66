package dev.silo.testing;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.http.HttpHeaders;

/** Status, headers and body of one HTTP response in a test. */
public record HttpResult(int status, HttpHeaders headers, String body) {

  public JsonObject json() {
    Object value = Json.decodeValue(body);
    if (!(value instanceof JsonObject)) {
      throw new AssertionError("expected a JSON object, got: " + body);
    }
    return (JsonObject) value;
  }

  /** Returns {@code items} of a list reply. */
  public JsonArray items() {
    return json().getJsonArray("items");
  }

  /** Returns {@code error.code} of an error reply. */
  public String errorCode() {
    return json().getJsonObject("error").getString("code");
  }

  @Override
  public String toString() {
    return status + " " + body;
  }
}
