#pragma once
// Shell completion (bash, zsh, fish) generated from the command line's own definition: the CLI11 app is
// walked at run time, so every subcommand and option anyone adds is completed without editing this file.

#include <CLI/CLI.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace importspy::bindings {

// One option as a shell completes it.
struct CompletionOption {
  std::vector<std::string> names;    // "-s", "--spymodel", ...
  std::string description;
  bool takes_value = false;          // false for flags
  std::vector<std::string> choices;  // from an IsMember validator; empty: any value (completed as a file)
};

// One command: the program itself or a subcommand.
struct CompletionCommand {
  std::string name;
  std::string description;
  std::vector<CompletionOption> options;
  std::vector<CompletionCommand> subcommands;  // hidden ones (empty group) left out
};

// The shells `importspy completion` knows, in the order its help lists them.
inline constexpr std::string_view kCompletionShells[] = {"bash", "zsh", "fish"};

// What the shells need to know of `app`: its options and its visible subcommands, recursively.
CompletionCommand describe_for_completion(const CLI::App& app);

// The completion script of `command` for `shell` ("bash", "zsh" or "fish"); throws std::invalid_argument
// for another shell.
std::string completion_script(const CompletionCommand& command, std::string_view shell);

// Adds `completion SHELL` to `app`; after parsing, `shell` holds the shell asked for.
CLI::App* add_completion_command(CLI::App& app, std::string& shell);

}  // namespace importspy::bindings
