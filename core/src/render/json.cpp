#include <nlohmann/json.hpp>

#include "importspy/render/report.hpp"
#include "dependency_json.hpp"

namespace importspy {
namespace {

using json = nlohmann::json;

json optional_json(const std::optional<std::string>& s) { return s ? json(*s) : json(nullptr); }

// The strings come from contracts and modules and need not be valid UTF-8 (a module may hold any bytes);
// replacing bad bytes keeps the output valid JSON instead of failing the whole report.
std::string dump(const json& document) { return document.dump(2, ' ', false, json::error_handler_t::replace); }

}  // namespace

std::string render_json(const Report& report) {
  json violations = json::array();
  for (const auto& v : report.violations) {
    violations.push_back({{"code", v.code},
                          {"category", to_string(v.category)},
                          {"context", to_string(v.context)},
                          {"path", v.path},
                          {"expected", optional_json(v.expected)},
                          {"actual", optional_json(v.actual)},
                          {"message", v.message},
                          {"hint", v.hint}});
    add_dependency_fields(violations.back(), v);
  }
  json document{{"ok", report.ok()}, {"violations", std::move(violations)}};
  if (!report.warnings.empty()) {
    json warnings = json::array();
    for (const auto& w : report.warnings) {
      warnings.push_back({{"code", w.code}, {"path", w.path}, {"message", w.message}, {"hint", w.hint}, {"line", w.contract_mark.line}});
    }
    document["warnings"] = std::move(warnings);
  }
  return dump(document);
}

std::string render_json(const ContractError& error) {
  return dump(json{{"ok", false},
                   {"error",
                    {{"code", ContractError::code},
                     {"message", error.message()},
                     {"file", error.file()},
                     {"line", error.line()},
                     {"column", error.column()},
                     {"hint", error.hint()}}}});
}

}  // namespace importspy
