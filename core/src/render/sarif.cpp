#include <map>
#include <nlohmann/json.hpp>

#include "dependency_json.hpp"
#include "importspy/render/batch.hpp"
#include "importspy/report/chain_groups.hpp"
#include "importspy/report/violation_codes.hpp"
#include "importspy/util/ascii.hpp"

namespace importspy {
namespace {

using json = nlohmann::json;

// Target errors are reported as results too, so that code scanning shows an unreadable module.
struct ErrorRule {
  std::string_view id, summary;
};
constexpr ErrorRule kErrorRules[] = {
    {"source-error", "The module's source cannot be read, parsed or imported."},
    {"contract-invalid", "The contract cannot be loaded."},
    {"not-found", "The target names no file or module."},
    {"no-python-files", "The directory or pattern names no Python file."},
    {"no-contract", "No contract applies to the module."},
    {"internal-error", "ImportSpy itself failed on this target (please report it)."},
    {"settings-invalid", "The project settings cannot be read; nothing was checked."},
    {"usage-error", "The command line asks for nothing that can be checked; nothing was checked."},
    {"lock-invalid", "The lock file cannot be used; nothing was checked."},
};

// A relative, '/'-separated path as a URI reference: reserved and non-ASCII bytes percent-encoded.
std::string uri_of(const std::string& path) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  const bool absolute = !path.empty() && path.front() == '/';
  if (absolute) out = "file://";
  for (unsigned char c : path) {
    if (ascii::is_alnum(c) || c == '/' || c == '-' || c == '.' || c == '_' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

json location(const std::string& file, int line, int column = 0) {
  json physical = {{"artifactLocation", {{"uri", uri_of(file)}}}};
  if (line > 0) physical["region"] = {{"startLine", line}};
  if (line > 0 && column > 0) physical["region"]["startColumn"] = column;
  return json::array({{{"physicalLocation", std::move(physical)}}});
}

}  // namespace

std::string render_sarif(const BatchResult& batch, const std::string& tool_version) {
  json rules = json::array();
  std::map<std::string, int, std::less<>> rule_index;
  for (const auto& entry : all_violation_codes()) {
    rule_index[std::string(entry.code)] = static_cast<int>(rules.size());
    rules.push_back({{"id", entry.code},
                     {"name", entry.code},
                     {"shortDescription", {{"text", entry.summary}}},
                     {"defaultConfiguration", {{"level", "error"}}},
                     {"properties", {{"category", to_string(entry.category)}, {"context", to_string(entry.context)}}}});
  }
  for (const auto& entry : kErrorRules) {
    rule_index[std::string(entry.id)] = static_cast<int>(rules.size());
    rules.push_back({{"id", entry.id}, {"name", entry.id}, {"shortDescription", {{"text", entry.summary}}}, {"defaultConfiguration", {{"level", "error"}}}});
  }
  json results = json::array();
  for (const auto& target : batch.results) {
    if (target.error) {
      const std::string file = target.error->file.empty() ? target.target : target.error->file;
      const std::string kind = rule_index.count(target.error->code) ? target.error->code : "source-error";
      results.push_back({{"ruleId", kind}, {"ruleIndex", rule_index[kind]}, {"level", "error"},
                         {"message", {{"text", target.target + ": " + target.error->message + (target.error->hint.empty() ? "" : ". Fix: " + target.error->hint)}}}, {"locations", location(file, target.error->line, target.error->column)}});
      continue;
    }
    for (const auto& v : target.report->warnings) {
      results.push_back({{"ruleId", v.code}, {"ruleIndex", rule_index[v.code]}, {"level", "warning"},
                         {"message", {{"text", v.message + (v.hint.empty() ? "" : ". Fix: " + v.hint)}}},
                         {"locations", location(target.contract, v.contract_mark.line, v.contract_mark.column)},
                         {"properties", {{"target", target.target}, {"contract", target.contract}, {"path", v.path}}}});
    }
    for (const auto& v : target.report->violations) {
      json flows = json::array();  // each chain a code flow, a location per import, with its group of merged chains
      std::vector<std::size_t> group_of(v.chains.size(), 0);
      const std::vector<ChainGroup> groups = group_chains(v.chains);
      for (std::size_t g = 0; g < groups.size(); ++g) {
        for (std::size_t c : groups[g].chains) group_of[c] = g;
      }
      if (!v.chains.empty()) {
        for (std::size_t c = 0; c < v.chains.size(); ++c) {
          const auto& chain = v.chains[c];
          json steps = json::array();
          for (std::size_t k = 0; k < chain.size(); ++k) {
            const ChainStep& step = chain[k];
            json where = step.file.empty() ? json{{"message", {{"text", step.module + " (outside the package)"}}}}
                                           : json{{"physicalLocation", location(step.file, step.line)[0]["physicalLocation"]},
                                                  {"message", {{"text", k + 1 < chain.size() ? step.module + " imports " + chain[k + 1].module +
                                                                                    (step.lines.size() > 1 ? " (lines " + lines_text(step) + ")" : "")
                                                                              : step.module}}}};
            steps.push_back({{"location", std::move(where)}});
          }
          flows.push_back({{"threadFlows", json::array({{{"locations", std::move(steps)}}})}, {"properties", {{"chainGroup", group_of[c]}}}});
        }
      }
      if (v.code.starts_with("architecture-") && !v.chains.empty()) {  // at the first import of the first chain
        const ChainStep& first = v.chains[0][0];
        json result = {{"ruleId", v.code},
                       {"ruleIndex", rule_index[v.code]},
                       {"level", "error"},
                       {"message", {{"text", v.message + (v.hint.empty() ? "" : ". Fix: " + v.hint)}}},
                       {"locations", first.file.empty() ? location(target.contract, v.contract_mark.line) : location(first.file, first.line)},
                       {"codeFlows", std::move(flows)},
                       {"properties", {{"target", target.target}, {"contract", target.contract}, {"path", v.path},
                                       {"expected", v.expected ? json(*v.expected) : json(nullptr)},
                                       {"actual", v.actual ? json(*v.actual) : json(nullptr)}}}};
        result["properties"]["chainGroups"] = chain_groups_json(v);
        if (!target.contract.empty()) result["relatedLocations"] = json::array({{{"id", 0}, {"physicalLocation", location(target.contract, v.contract_mark.line)[0]["physicalLocation"]}, {"message", {{"text", "rule in the contract"}}}}});
        results.push_back(std::move(result));
        continue;
      }
      // What the module lacks or gets wrong is shown in the module (module_line: the definition, the
      // class of a missing member, else line 1), with the rule as a related location; what the
      // environment lacks, at the rule in the contract.
      const int line = module_line(v, target.file);
      const bool in_module = line > 0;
      json result = {{"ruleId", v.code},
                     {"ruleIndex", rule_index[v.code]},
                     {"level", "error"},
                     {"message", {{"text", v.message + (v.hint.empty() ? "" : ". Fix: " + v.hint)}}},
                     {"locations", in_module ? location(target.file, line) : location(target.contract, v.contract_mark.line)},
                     {"properties", {{"target", target.target}, {"contract", target.contract}, {"path", v.path},
                                     {"expected", v.expected ? json(*v.expected) : json(nullptr)},
                                     {"actual", v.actual ? json(*v.actual) : json(nullptr)}}}};
      if (!flows.empty()) result["codeFlows"] = std::move(flows);
      if (in_module && !target.contract.empty()) result["relatedLocations"] = json::array({{{"id", 0}, {"physicalLocation", location(target.contract, v.contract_mark.line)[0]["physicalLocation"]}, {"message", {{"text", "rule in the contract"}}}}});
      results.push_back(std::move(result));
    }
  }
  json run = {{"tool", {{"driver", {{"name", "importspy"}, {"version", tool_version}, {"informationUri", "https://pypi.org/project/importspy/"}, {"rules", std::move(rules)}}}}},
              {"results", std::move(results)},
              {"invocations", json::array({{{"executionSuccessful", batch.errors() == 0}}})}};
  if (batch.shard) run["properties"] = {{"shard", std::to_string(batch.shard->index) + "/" + std::to_string(batch.shard->count)}};
  json document = {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"}, {"version", "2.1.0"}, {"runs", json::array({std::move(run)})}};
  return document.dump(2, ' ', false, json::error_handler_t::replace);
}

}  // namespace importspy
