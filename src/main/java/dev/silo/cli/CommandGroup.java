package dev.silo.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** A command that only groups subcommands, such as {@code tenants}: run alone, it is a usage error. */
abstract class CommandGroup implements Callable<Integer> {

  @ParentCommand
  SiloCli root;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "missing subcommand: one of "
      + String.join(", ", spec.subcommands().keySet().stream().filter(name -> !name.equals("help")).toList()));
  }
}
