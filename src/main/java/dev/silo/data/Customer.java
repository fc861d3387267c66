package dev.silo.data;

import dev.silo.util.Fields;
import io.vertx.core.json.JsonObject;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Set;

/**
 * A customer of a tenant: {@code {id, company_name, contact_name, city, country}}. The id
 * is a text code chosen by the client, such as {@code ALFKI}.
 */
record Customer(String id, String companyName, String contactName, String city, String country) {

  static final int MAX_ID_LENGTH = 64;
  static final int MAX_TEXT_LENGTH = 200;

  /** The fields a customer request may have. */
  static final Set<String> FIELDS = Set.of("id", "company_name", "contact_name", "city", "country");

  /** The columns that {@link #rowToJson} reads, in the order of {@link #values}. */
  static final String COLUMNS = "id, company_name, contact_name, city, country";

  /** Reads and validates a customer from a request. Only {@code id} and {@code company_name} are required. */
  static Customer fromJson(JsonObject json) {
    Fields.rejectUnknown(json, FIELDS);
    return new Customer(
      Fields.requiredString(json, "id", MAX_ID_LENGTH),
      Fields.requiredString(json, "company_name", MAX_TEXT_LENGTH),
      Fields.optionalString(json, "contact_name", MAX_TEXT_LENGTH),
      Fields.optionalString(json, "city", MAX_TEXT_LENGTH),
      Fields.optionalString(json, "country", MAX_TEXT_LENGTH));
  }

  static JsonObject rowToJson(ResultSet row) throws SQLException {
    return new Customer(row.getString("id"), row.getString("company_name"), row.getString("contact_name"),
      row.getString("city"), row.getString("country")).toJson();
  }

  Object[] values() {
    return new Object[] {id, companyName, contactName, city, country};
  }

  JsonObject toJson() {
    return new JsonObject()
      .put("id", id)
      .put("company_name", companyName)
      .put("contact_name", contactName)
      .put("city", city)
      .put("country", country);
  }
}
