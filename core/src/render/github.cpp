#include "importspy/render/batch.hpp"
#include "importspy/report/chain_groups.hpp"

namespace importspy {
namespace {

// The escaping GitHub's workflow commands require: data may not hold raw newlines or '%'; property
// values may not hold ':' or ',' either.
std::string escape_data(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '%') out += "%25";
    else if (c == '\r') out += "%0D";
    else if (c == '\n') out += "%0A";
    else out.push_back(c);
  }
  return out;
}

std::string escape_property(std::string_view text) {
  std::string out;
  for (char c : escape_data(text)) {
    if (c == ':') out += "%3A";
    else if (c == ',') out += "%2C";
    else out.push_back(c);
  }
  return out;
}

std::string annotation(const std::string& file, int line, const std::string& title, const std::string& message, int column = 0,
                       std::string_view level = "error") {
  std::string out = "::" + std::string(level) + " file=" + escape_property(file);
  if (line > 0) out += ",line=" + std::to_string(line);
  if (line > 0 && column > 0) out += ",col=" + std::to_string(column);
  return out + ",title=" + escape_property(title) + "::" + escape_data(message) + "\n";
}

}  // namespace

std::string render_github(const BatchResult& batch) {
  std::string out;
  for (const auto& result : batch.results) {
    if (result.error) {
      out += annotation(result.error->file.empty() ? result.target : result.error->file, result.error->line, "importspy " + result.error->code,
                        result.error->message + (result.error->hint.empty() ? "" : " (fix: " + result.error->hint + ")"), result.error->column);
      continue;
    }
    for (const auto& w : result.report->warnings) {
      out += annotation(result.contract, w.contract_mark.line, "importspy " + w.code, w.message + (w.hint.empty() ? "" : " (fix: " + w.hint + ")"),
                        w.contract_mark.column, "warning");
    }
    for (const auto& v : result.report->violations) {
      if (v.code.starts_with("architecture-") && !v.chains.empty() && !v.chains[0][0].file.empty()) {  // an architecture rule: at the chain's first import, every step in the message
        std::string steps;  // each group of merged chains: its modules, then each import once with its lines
        const std::vector<ChainGroup> groups = group_chains(v.chains);
        std::size_t shown = 0;
        for (std::size_t g = 0; g < groups.size() && g < Violation::kChainsShown; ++g) {
          shown += groups[g].chains.size();
          steps += "\n" + group_text(groups[g]);
          for (const ChainLink& link : groups[g].links) {
            if (link.from.file.empty()) continue;
            steps += "\n  " + link.from.file + ":" + std::to_string(link.from.line) + ": " + link.from.module + " imports " + link.to;
            if (link.from.lines.size() > 1) steps += " (lines " + lines_text(link.from) + ")";
          }
        }
        if (shown < v.chains.size()) steps += "\nand " + std::to_string(v.chains.size() - shown) + " more";
        const std::string rule = result.contract.empty() ? "" : "\n(rule: " + result.contract + ":" + std::to_string(v.contract_mark.line) + ")";
        out += annotation(v.chains[0][0].file, v.chains[0][0].line, "importspy " + v.code,
                          v.message + steps + (v.hint.empty() ? "" : "\nfix: " + v.hint) + rule);
        continue;
      }
      // In the module, as SARIF places it (module_line); the rule's place in the contract is in the message.
      const int line = module_line(v, result.file);
      std::string rule;
      if (line > 0 && !result.contract.empty()) rule = " (rule: " + result.contract + (v.contract_mark.line > 0 ? ":" + std::to_string(v.contract_mark.line) : "") + ")";
      out += annotation(line > 0 ? result.file : result.contract, line > 0 ? line : v.contract_mark.line, "importspy " + v.code,
                        v.message + (v.hint.empty() ? "" : " (fix: " + v.hint + ")") + rule);
    }
  }
  return out;
}

}  // namespace importspy
