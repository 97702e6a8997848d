// importspy-core: checks a contract against a facts document (JSON), with no Python involved.
// It is the engine's own command line, used by the bundled example and by engine-level tests;
// the user-facing `importspy` command comes with the Python package.

#include <CLI/CLI.hpp>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include "importspy/check/checker.hpp"
#include "importspy/contract/cache.hpp"
#include "importspy/facts/json.hpp"
#include "importspy/render/report.hpp"
#include "importspy/report/violation_codes.hpp"

#ifdef _WIN32
#include <io.h>
#define isatty _isatty
#define fileno _fileno
#else
#include <unistd.h>
#endif

namespace {

constexpr int kExitCompliant = 0;
constexpr int kExitViolations = 1;
constexpr int kExitUsage = 2;

bool stdout_wants_color() {
  const char* no_color = std::getenv("NO_COLOR");
  return isatty(fileno(stdout)) && !(no_color && *no_color);
}

int run_check(const std::string& contract_path, const std::string& facts_path, const std::string& format) {
  using namespace importspy;
  const bool json = format == "json";
  std::shared_ptr<const Contract> contract;
  try {
    contract = default_contract_cache().load(contract_path);
  } catch (const ContractError& error) {
    std::cout << (json ? render_json(error) + "\n" : render_text(error, {stdout_wants_color(), true}));
    return kExitUsage;
  }
  FactsDocument facts;
  try {
    std::ifstream in(facts_path, std::ios::binary);
    if (!in) {
      std::cerr << facts_path << ": cannot open the facts file\n";
      return kExitUsage;
    }
    std::stringstream buffer;
    buffer << in.rdbuf();
    facts = parse_facts_json(buffer.str(), facts_path);
  } catch (const FactsError& error) {
    std::cerr << error.what() << "\n";
    return kExitUsage;
  }
  if (!facts.environment) {
    std::cerr << facts_path << ": the facts document has no \"environment\" object; the contract's deployments need one\n";
    return kExitUsage;
  }
  const Report report = check(*contract, *facts.environment, facts.module);
  std::cout << (json ? render_json(report) + "\n" : render_text(report, {stdout_wants_color(), true}));
  return report.ok() ? kExitCompliant : kExitViolations;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"importspy-core: check an ImportSpy contract against recorded module and environment facts"};
  app.require_subcommand(1);

  std::string contract_path, facts_path, format = "text";
  auto* check_cmd = app.add_subcommand("check", "Check a contract against a facts document; exit 0 compliant, 1 violations, 2 usage or contract error");
  check_cmd->add_option("-s,--contract", contract_path, "Contract file (YAML)")->required();
  check_cmd->add_option("-f,--facts", facts_path, "Facts document (JSON, see docs/facts-format.md)")->required();
  check_cmd->add_option("--format", format, "Output format")->check(CLI::IsMember({"text", "json"}));

  auto* codes_cmd = app.add_subcommand("codes", "List every violation code with its category and context");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int status = app.exit(e);
    return status == 0 ? 0 : kExitUsage;
  }
  if (*codes_cmd) {
    for (const auto& entry : importspy::all_violation_codes()) {
      std::cout << entry.code << "\t" << importspy::to_string(entry.category) << "\t" << importspy::to_string(entry.context) << "\t" << entry.summary << "\n";
    }
    return kExitCompliant;
  }
  return run_check(contract_path, facts_path, format);
}
