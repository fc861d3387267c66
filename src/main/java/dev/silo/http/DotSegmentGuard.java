package dev.silo.http;

import dev.silo.error.ErrorCode;
import dev.silo.error.SiloException;
import io.vertx.ext.web.RoutingContext;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Rejects request paths with {@code .} or {@code ..} segments, also percent-encoded,
 * before routing. The router would otherwise remove them, so {@code /admin/tenants/..}
 * would quietly become {@code /admin}; a client that sends one has made a mistake, or
 * is probing, and gets 400.
 */
final class DotSegmentGuard {

  private static final String TENANTS_PREFIX = "/admin/tenants/";

  private DotSegmentGuard() {
  }

  static void handle(RoutingContext ctx) {
    String path = ctx.request().path();
    String[] segments = path.split("/", -1);
    for (int i = 0; i < segments.length; i++) {
      String segment = decode(segments[i]);
      if (segment.equals(".") || segment.equals("..")) {
        // Segment 3 of /admin/tenants/{id} is a tenant id, so it fails like any other invalid id.
        boolean tenantId = i == 3 && path.startsWith(TENANTS_PREFIX);
        ctx.fail(new SiloException(tenantId ? ErrorCode.INVALID_TENANT_ID : ErrorCode.INVALID_REQUEST,
          "the path must not contain '.' or '..' segments"));
        return;
      }
    }
    ctx.next();
  }

  private static String decode(String segment) {
    if (segment.indexOf('%') < 0) {
      return segment;
    }
    try {
      return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return segment;
    }
  }
}
