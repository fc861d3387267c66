package dev.silo.http;

import io.vertx.core.http.HttpMethod;

/**
 * One row of the route table: an HTTP method and path served by an event-bus action.
 *
 * @param successStatus the status of a successful reply; a reply without body gets 204
 */
record ApiRoute(HttpMethod method, String path, Target target, String action, int successStatus) {

  /** Returns whether the route changes data, which the {@code support} role may not do. */
  boolean writes() {
    return method != HttpMethod.GET && method != HttpMethod.HEAD;
  }
}
