package io.kubehop.client.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Lays out every command's {@code --help} as kubectl's cobra templates do: the description, then
 * {@code Examples:} (a command's picocli footer), {@code Options:} one per paragraph ({@code
 * --name=default:} and a tab-indented description), the command list, {@code Usage:}, and the
 * pointer to {@code kubehop options} for the options every command shares. Applied to the whole
 * tree, so commands added later get it too.
 */
final class HelpLayout {

  static final String EXAMPLES = "examples";
  static final String OPTIONS = "kubectlOptions";
  static final String TRAILER = "trailer";

  private static final int UNWRAPPED = 1000;

  private HelpLayout() {
    throw new AssertionError("No instances.");
  }

  static void apply(CommandLine cl) {
    cl.getHelpSectionMap().put(EXAMPLES, HelpLayout::examples);
    cl.getHelpSectionMap().put(OPTIONS, help -> options(help.commandSpec(), false));
    cl.getHelpSectionMap().put(TRAILER, HelpLayout::trailer);
    cl.setHelpSectionKeys(
        List.of(
            CommandLine.Model.UsageMessageSpec.SECTION_KEY_DESCRIPTION,
            EXAMPLES,
            OPTIONS,
            CommandLine.Model.UsageMessageSpec.SECTION_KEY_COMMAND_LIST_HEADING,
            CommandLine.Model.UsageMessageSpec.SECTION_KEY_COMMAND_LIST,
            CommandLine.Model.UsageMessageSpec.SECTION_KEY_SYNOPSIS_HEADING,
            CommandLine.Model.UsageMessageSpec.SECTION_KEY_SYNOPSIS,
            TRAILER));
    // cobra does not wrap: one paragraph is one line, however long.
    cl.setUsageHelpWidth(UNWRAPPED);
    CommandSpec spec = cl.getCommandSpec();
    spec.usageMessage().synopsisHeading("%nUsage:%n");
    spec.usageMessage().commandListHeading("%nCommands:%n");
    if (spec.usageMessage().customSynopsis().length == 0) {
      spec.usageMessage().customSynopsis("  " + spec.qualifiedName() + " [flags] [options]");
    }
    cl.getSubcommands().values().forEach(HelpLayout::apply);
  }

  private static String examples(CommandLine.Help help) {
    String[] lines = help.commandSpec().usageMessage().footer();
    if (lines.length == 0) {
      return "";
    }
    return "\nExamples:\n" + String.join("\n", lines) + "\n";
  }

  /**
   * kubectl's option list; {@code shared} selects the options every command takes (the {@code
   * ClusterOptions} mixin), which {@code kubehop options} lists, instead of the command's own.
   */
  static String options(CommandSpec spec, boolean shared) {
    Set<String> global = globalNames(spec);
    List<OptionSpec> options = new ArrayList<>();
    for (OptionSpec option : spec.options()) {
      if (!option.hidden() && global.contains(option.longestName()) == shared) {
        options.add(option);
      }
    }
    if (options.isEmpty()) {
      return "";
    }
    options.sort(Comparator.comparing(o -> o.longestName().replaceFirst("^-+", "")));
    StringBuilder text = new StringBuilder(shared ? "" : "\nOptions:\n");
    for (OptionSpec option : options) {
      List<String> names = new ArrayList<>(List.of(option.names()));
      names.sort(Comparator.comparingInt(String::length));
      text.append("    ")
          .append(String.join(", ", names))
          .append('=')
          .append(defaultValue(option))
          .append(":\n\t")
          .append(String.join(" ", option.description()))
          .append("\n\n");
    }
    return text.substring(0, text.length() - 1);
  }

  private static Set<String> globalNames(CommandSpec spec) {
    CommandSpec mixin = spec.mixins().get("options");
    if (mixin == null) {
      mixin = spec.root().mixins().get("options");
    }
    return mixin == null
        ? Set.of()
        : mixin.options().stream().map(OptionSpec::longestName).collect(Collectors.toSet());
  }

  private static String defaultValue(OptionSpec option) {
    if (option.defaultValue() != null) {
      return option.defaultValue();
    }
    Class<?> type = option.type();
    return type == boolean.class || type == Boolean.class ? "false" : "''";
  }

  private static String trailer(CommandLine.Help help) {
    CommandSpec spec = help.commandSpec();
    String root = spec.root().name();
    return (spec.parent() == null
            ? "\nUse \"" + root + " <command> --help\" for more information about a given command."
            : "")
        + "\nUse \""
        + root
        + " options\" for a list of global command-line options (applies to all commands).\n";
  }
}
