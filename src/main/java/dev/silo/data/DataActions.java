package dev.silo.data;

import dev.silo.bus.ActionHandler;
import dev.silo.system.SystemDatabase;

import java.util.HashMap;
import java.util.Map;

/** The action table of {@code silo.data}: action name to handler. */
public final class DataActions {

  private DataActions() {
  }

  /** Builds the table; handlers are stateless and shared by all data verticle instances. */
  public static Map<String, ActionHandler> create(SystemDatabase systemDatabase) {
    Map<String, ActionHandler> actions = new HashMap<>();
    return Map.copyOf(actions);
  }
}
