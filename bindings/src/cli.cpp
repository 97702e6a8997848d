#include "cli.hpp"
#include <nanobind/stl/string.h>

#include <CLI/CLI.hpp>
#include <nanobind/nanobind.h>

#include <cstdlib>

#include "errors.hpp"
#include "importspy/checker.hpp"
#include "importspy/contract_cache.hpp"
#include "importspy/render.hpp"
#include "environment_probe.hpp"
#include "targets.hpp"

namespace importspy::bindings {
namespace {

namespace nb = nanobind;

constexpr int kExitCompliant = 0;
constexpr int kExitViolations = 1;
constexpr int kExitError = 2;

void write(const char* stream, const std::string& text) {
  nb::object out = nb::module_::import_("sys").attr(stream);
  out.attr("write")(text);
  out.attr("flush")();
}

bool stdout_is_terminal() {
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color && *no_color) return false;
  try {
    return nb::cast<bool>(nb::module_::import_("sys").attr("stdout").attr("isatty")());
  } catch (const nb::python_error&) {
    return false;
  }
}

struct Options {
  std::string module;
  std::string contract;
  std::string mode = "static";
  std::string format = "text";
  std::string log_level;
};

int run_check(const Options& options) {
  const bool json = options.format == "json";
  const bool color = !json && stdout_is_terminal();
  if (!options.log_level.empty()) enable_logging(nb::str(options.log_level.c_str()));
  std::shared_ptr<const Contract> contract;
  try {
    contract = default_contract_cache().load(options.contract);
  } catch (const ContractError& error) {
    if (json) {
      write("stdout", render_json(error) + "\n");
    } else {
      write("stderr", render_text(error, {color, true}));
    }
    return kExitError;
  }
  ModuleFacts facts;
  try {
    facts = facts_for_target(nb::str(options.module.c_str(), options.module.size()), parse_mode(options.mode));
  } catch (const SourceError& error) {
    std::string where = error.file();
    if (error.line() > 0) where += ":" + std::to_string(error.line()) + ":" + std::to_string(error.column());
    write("stderr", where + ": error: " + error.what() + "\n");
    return kExitError;
  }
  const EnvironmentFacts environment = probe_environment(referenced_environment_names(*contract));
  const Report report = check(*contract, environment, facts);
  write("stdout", json ? render_json(report) + "\n" : render_text(report, {color, true}));
  return report.ok() ? kExitCompliant : kExitViolations;
}

void add_check_options(CLI::App& app, Options& options, bool module_required) {
  auto* module = app.add_option("module", options.module, "Module to check: a .py file or a dotted module name");
  if (module_required) module->required();
  app.add_option("-s,--spymodel,--contract", options.contract, "Contract file (YAML)");
  app.add_option("--mode", options.mode, "static: read the source, never execute it (default); runtime: import the module")
      ->check(CLI::IsMember({"static", "runtime"}));
  app.add_option("--format", options.format, "Output format")->check(CLI::IsMember({"text", "json"}));
  app.add_option("-l,--log-level", options.log_level, "Log level: DEBUG, INFO, WARNING or ERROR")
      ->check(CLI::IsMember({"DEBUG", "INFO", "WARNING", "ERROR"}, CLI::ignore_case));
}

}  // namespace

int run_cli(const std::vector<std::string>& arguments) {
  CLI::App app{"ImportSpy: check a Python module against its import contract.\n"
               "Exit status: 0 compliant, 1 violations, 2 usage, contract or source error."};
  app.name("importspy");
  Options legacy, check_options;
  bool show_version = false;
  app.add_flag("-v,--version", show_version, "Print the version and exit");
  add_check_options(app, legacy, false);
  CLI::App* check_command = app.add_subcommand("check", "Check a module against a contract");
  add_check_options(*check_command, check_options, true);
  check_command->get_option("--spymodel")->required();
  app.require_subcommand(0, 1);

  std::vector<std::string> reversed(arguments.rbegin(), arguments.rend());
  try {
    app.parse(reversed);
  } catch (const CLI::CallForHelp&) {
    write("stdout", (app.got_subcommand(check_command) ? check_command->help() : app.help()));
    return kExitCompliant;
  } catch (const CLI::ParseError& error) {
    write("stderr", std::string("importspy: error: ") + error.what() + "\nRun `importspy --help` for usage.\n");
    return kExitError;
  }
  if (show_version) {
    write("stdout", std::string("importspy ") + IMPORTSPY_VERSION + "\n");
    return kExitCompliant;
  }
  if (app.got_subcommand(check_command)) return run_check(check_options);
  if (legacy.module.empty() || legacy.contract.empty()) {
    write("stderr", std::string("importspy: error: ") + (legacy.module.empty() ? "no module given" : "no contract given (-s CONTRACT)") +
                        "\nUsage: importspy check MODULE -s CONTRACT   (or: importspy -s CONTRACT MODULE)\n");
    return kExitError;
  }
  return run_check(legacy);
}

}  // namespace importspy::bindings
