package io.kubehop.client.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kubehop completion bash|zsh}: picocli's generated completion script for the whole command
 * tree, plus a wrapper that asks {@code kubehop __complete} for pod and container names where those
 * go, as kubectl's cobra scripts ask {@code kubectl __complete}. zsh runs the same script through
 * {@code bashcompinit} (picocli's script loads it).
 */
@Command(
    name = "completion",
    mixinStandardHelpOptions = true,
    description =
        "Output shell completion code for the specified shell (bash or zsh). Pod and container"
            + " names are completed from the cluster.",
    customSynopsis = "  kubehop completion SHELL [options]",
    footer = {
      "  # Load the kubehop completion code for bash into the current shell",
      "  source <(kubehop completion bash)",
      "",
      "  # Write bash completion code to a file and source it from .bash_profile",
      "  kubehop completion bash > ~/.kube/completion.bash.inc",
      "",
      "  # Load the kubehop completion code for zsh into the current shell",
      "  source <(kubehop completion zsh)"
    })
final class CompletionCommand implements Callable<Integer> {

  @Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "SHELL", description = "bash or zsh.")
  String shell;

  @Override
  public Integer call() {
    if (!shell.equals("bash") && !shell.equals("zsh")) {
      throw new CommandException("Unsupported shell type \"" + shell + "\".");
    }
    CommandLine root = spec.root().commandLine();
    String name = root.getCommandName();
    String script = AutoComplete.bash(name, root);
    spec.commandLine().getOut().print(script + dynamic(name));
    spec.commandLine().getOut().flush();
    return 0;
  }

  /**
   * The wrapper: outside options, the words so far go to {@code kubehop __complete}; its lines, if
   * any, are the candidates, else picocli's function completes. Errors print nothing, so a stopped
   * cluster completes nothing extra.
   */
  static String dynamic(String name) {
    String function = "_complete_" + name;
    return """

        # Pod and container names come from the cluster: `%1$s __complete WORDS…` prints them.
        function _%1$s_dynamic() {
          local cur="${COMP_WORDS[COMP_CWORD]}"
          if [[ "${cur}" != -* ]]; then
            local IFS=$'\\n'
            local dynamic=( $("${COMP_WORDS[0]}" __complete "${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null) )
            if (( ${#dynamic[@]} > 0 )); then
              COMPREPLY=( $(compgen -W "${dynamic[*]}" -- "${cur}") )
              return 0
            fi
          fi
          %2$s "$@"
        }
        complete -F _%1$s_dynamic -o default %1$s
        """
        .formatted(name, function);
  }
}
