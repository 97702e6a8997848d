#include <array>

#include "importspy/render/report.hpp"
#include "importspy/report/chain_groups.hpp"

namespace importspy {
namespace {

struct Palette {
  std::string_view red, yellow, bold, dim, green, reset;
};

Palette palette(bool color) {
  if (!color) return {"", "", "", "", "", ""};
  return {"\x1b[31m", "\x1b[33m", "\x1b[1m", "\x1b[2m", "\x1b[32m", "\x1b[0m"};
}

// A relative path is shown as given (`plugins/a.py`); an absolute one by its file name.
std::string shown_name(const std::string& path) {
  const bool absolute = path.starts_with('/') || (path.size() > 2 && path[1] == ':');
  const size_t slash = path.find_last_of("/\\");
  return !absolute || slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string plural(size_t n, std::string_view word) { return std::to_string(n) + " " + std::string(word) + (n == 1 ? "" : "s"); }

// An architecture violation's chains, merged (chain_groups.hpp): each group's modules, then each import of
// it once, `file:line: a imports b`, with every line when there are several.
std::string chains_text(const Violation& v, const Palette& c) {
  std::string out;
  const std::vector<ChainGroup> groups = group_chains(v.chains);
  std::size_t shown = 0;
  for (std::size_t g = 0; g < groups.size() && g < Violation::kChainsShown; ++g) {
    const ChainGroup& group = groups[g];
    shown += group.chains.size();
    if (group.steps.size() < 2) continue;
    if (groups.size() > 1 || group.chains.size() > 1 || group.steps.size() > 2) {
      out += "      " + std::string(c.bold) + chain_numbers(group) + std::string(c.reset) + ": " + group_text(group) + "\n";
    }
    for (const ChainLink& link : group.links) {
      const std::vector<int> lines = step_lines(link.from);
      const std::string place = link.from.file.empty() ? link.from.module : link.from.file + ":" + std::to_string(lines.empty() ? 0 : lines.front());
      out += "        " + std::string(c.dim) + place + std::string(c.reset) + ": " + link.from.module + " imports " + link.to;
      if (lines.size() > 1) out += std::string(c.dim) + " (lines " + lines_text(link.from) + ")" + std::string(c.reset);
      out += "\n";
    }
  }
  if (shown < v.chains.size()) {
    out += "      " + std::string(c.dim) + "and " + plural(v.chains.size() - shown, "more chain") + " (every chain: --format json or sarif)" + std::string(c.reset) + "\n";
  }
  return out;
}

std::string warnings_text(const Report& report, const std::string& contract, const Palette& c) {
  std::string out;
  for (const Violation& w : report.warnings) {
    out += "  " + std::string(c.yellow) + "warning" + std::string(c.reset) + " " + w.code + " " + w.path + ": " + w.message;
    if (w.contract_mark.line > 0) out += std::string(c.dim) + " (" + contract + ":" + std::to_string(w.contract_mark.line) + ")" + std::string(c.reset);
    out += "\n      " + std::string(c.dim) + "hint: " + w.hint + std::string(c.reset) + "\n";
  }
  return out;
}

}  // namespace

std::string render_text(const Report& report, const TextOptions& options) {
  const Palette c = palette(options.color);
  const std::string module = report.module_filename.empty() ? "the module" : shown_name(report.module_filename);
  const std::string contract = report.contract_source.empty() ? "the contract" : report.contract_source;
  if (report.ok()) return std::string(c.green) + module + " satisfies " + contract + std::string(c.reset) + "\n" + warnings_text(report, contract, c);

  std::string out = std::string(c.bold) + module + " violates " + contract + std::string(c.reset) + "\n";
  static constexpr std::array kOrder = {Context::runtime, Context::environment, Context::module, Context::class_};
  std::string summary;
  std::size_t contexts = 0;
  std::string_view only_context;
  for (Context context : kOrder) {
    size_t count = 0;
    for (const auto& v : report.violations) {
      if (v.context != context) continue;
      if (count++ == 0) out += "\n" + std::string(c.bold) + std::string(to_string(context)) + std::string(c.reset) + "\n";
      out += "  " + std::string(c.red) + v.code + std::string(c.reset) + " " + std::string(c.bold) + v.path + std::string(c.reset) + ": " + v.message;
      if (v.contract_mark.line > 0) out += std::string(c.dim) + " (" + contract + ":" + std::to_string(v.contract_mark.line) + ")" + std::string(c.reset);
      out += "\n";
      out += chains_text(v, c);
      if (options.show_hints && !v.hint.empty()) out += "      " + std::string(c.dim) + "hint: " + v.hint + std::string(c.reset) + "\n";
    }
    if (count) {
      summary += (summary.empty() ? "" : ", ") + std::to_string(count) + " " + std::string(to_string(context));
      ++contexts;
      only_context = to_string(context);
    }
  }
  // "Found 2 module violations." for one context; "Found 3 violations (2 module, 1 class)." for several.
  const std::string found = contexts == 1 ? plural(report.violations.size(), std::string(only_context) + " violation")
                                          : plural(report.violations.size(), "violation") + " (" + summary + ")";
  if (!report.warnings.empty()) out += "\n" + warnings_text(report, contract, c);
  if (options.show_summary) out += "\n" + std::string(c.yellow) + "Found " + found + "." + std::string(c.reset) + "\n";
  return out;
}

std::string render_text(const ContractError& error, const TextOptions& options) {
  const Palette c = palette(options.color);
  std::string out = std::string(c.bold) + error.file();
  if (error.line() > 0) out += ":" + std::to_string(error.line()) + ":" + std::to_string(error.column());
  out += std::string(c.reset) + ": " + std::string(c.red) + "invalid contract" + std::string(c.reset) + ": " + error.message() + "\n";
  if (!error.hint().empty()) out += "  " + std::string(c.dim) + "hint: " + error.hint() + std::string(c.reset) + "\n";
  return out;
}

}  // namespace importspy
