#include "importspy/render/batch.hpp"

#include <nlohmann/json.hpp>

#include "dependency_json.hpp"

namespace importspy {
namespace {

using json = nlohmann::json;

std::string plural(std::size_t n, std::string_view word) { return std::to_string(n) + " " + std::string(word) + (n == 1 ? "" : "s"); }

std::string error_place(const TargetError& error) {
  std::string place = error.file;
  if (error.line > 0) place += ":" + std::to_string(error.line) + ":" + std::to_string(error.column);
  return place;
}

json optional_json(const std::optional<std::string>& s) { return s ? json(*s) : json(nullptr); }

}  // namespace

std::string render_printed(const TargetResult& result) {
  if (result.printed.empty()) return {};
  std::string out = result.target + " printed while it was imported:\n";
  const auto lines = [&](std::string_view stream, std::string_view text) {
    while (!text.empty()) {
      const std::size_t end = text.find('\n');
      out += "  " + std::string(stream) + " | " + std::string(text.substr(0, end)) + "\n";
      if (end == std::string_view::npos) break;
      text.remove_prefix(end + 1);
    }
  };
  lines("stdout", result.printed.out);
  lines("stderr", result.printed.err);
  return out;
}

int module_line(const Violation& violation, const std::string& module_file) {
  if (module_file.empty() || (violation.context != Context::module && violation.context != Context::class_)) return 0;
  return violation.source_line > 0 ? violation.source_line : 1;
}

std::string render_batch_text(const BatchResult& batch, const TextOptions& options) {
  const std::string_view red = options.color ? "\x1b[31m" : "", bold = options.color ? "\x1b[1m" : "", reset = options.color ? "\x1b[0m" : "";
  const std::string_view green = options.color ? "\x1b[32m" : "";
  std::string out;
  for (const auto& result : batch.results) {
    out += render_printed(result);
    if (result.error) {
      out += std::string(bold) + (result.error->file.empty() ? result.target : error_place(*result.error)) + std::string(reset) + ": " + std::string(red) +
             "error" + std::string(reset) + ": " + result.error->message + "\n";
      if (!result.error->hint.empty()) out += "  hint: " + result.error->hint + "\n";
    } else if (result.report && !result.report->ok()) {
      Report shown = *result.report;
      shown.module_filename = result.target;
      if (!result.contract.empty()) shown.contract_source = result.contract;
      out += render_text(shown, options) + "\n";
    } else if (result.report && options.show_compliant) {
      out += std::string(green) + result.target + " satisfies " + result.contract + std::string(reset) + (result.cached ? " (cached)" : "") + "\n";
    }
  }
  if (!options.show_summary) return out;
  const std::size_t total = batch.results.size(), errors = batch.errors(), violating = batch.violating();
  out += "Checked " + plural(total, "module") + ": " + std::to_string(total - errors - violating) + " compliant, " + std::to_string(violating) +
         " with violations (" + plural(batch.violation_count(), "violation") + "), " + plural(errors, "error") + ".\n";
  return out;
}

std::string render_batch_json(const BatchResult& batch) {
  json targets = json::array();
  for (const auto& result : batch.results) {
    json entry = {{"target", result.target}, {"file", result.file}, {"contract", result.contract}, {"ok", result.ok()}, {"cached", result.cached}};
    if (result.error) {
      entry["error"] = {{"code", result.error->code}, {"message", result.error->message}, {"file", result.error->file},
                        {"line", result.error->line}, {"column", result.error->column}, {"hint", result.error->hint}};
    } else {
      json violations = json::array();
      for (const auto& v : result.report->violations) {
        violations.push_back({{"code", v.code}, {"category", to_string(v.category)}, {"context", to_string(v.context)}, {"path", v.path},
                              {"expected", optional_json(v.expected)}, {"actual", optional_json(v.actual)}, {"message", v.message}, {"hint", v.hint}});
        add_dependency_fields(violations.back(), v);
      }
      entry["violations"] = std::move(violations);
      if (result.report->trace) entry["trace"] = {{"deployment", result.report->trace->deployment}, {"rules", result.report->trace->rules}};
    }
    if (!result.printed.empty()) entry["output"] = {{"stdout", result.printed.out}, {"stderr", result.printed.err}};
    targets.push_back(std::move(entry));
  }
  const std::size_t total = batch.results.size();
  json summary = {{"targets", total}, {"compliant", total - batch.errors() - batch.violating()}, {"violating", batch.violating()},
                  {"errors", batch.errors()}, {"violations", batch.violation_count()}};
  json document = {{"ok", batch.ok()}, {"summary", std::move(summary)}, {"targets", std::move(targets)}};
  if (batch.shard) document["shard"] = std::to_string(batch.shard->index) + "/" + std::to_string(batch.shard->count);
  return document.dump(2, ' ', false, json::error_handler_t::replace);
}

}  // namespace importspy
