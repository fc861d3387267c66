package dev.silo.http;

import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The OpenAPI 3 document of the HTTP API, a classpath resource served at
 * {@code GET /openapi.json}. A test compares its paths with the router's routes.
 */
final class OpenApiDocument {

  /** Request path of the served document. */
  static final String PATH = "/openapi.json";

  private static final String RESOURCE = "openapi.json";

  private OpenApiDocument() {
  }

  /** Reads the document from the classpath. Blocking: call it on a worker thread. */
  static Buffer load() {
    try (InputStream in = OpenApiDocument.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the classpath resource " + RESOURCE + " is missing from the build");
      }
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the classpath resource " + RESOURCE, e);
    }
  }
}
