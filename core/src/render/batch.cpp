#include "importspy/render/batch.hpp"

#include <algorithm>

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
    } else if (result.report && (!result.report->ok() || !result.report->warnings.empty())) {
      Report shown = *result.report;
      shown.module_filename = result.target;
      if (!result.contract.empty()) shown.contract_source = result.contract;
      out += render_text(shown, options) + "\n";
    } else if (result.report && options.show_compliant) {
      out += std::string(green) + result.target + " satisfies " + result.contract + std::string(reset) + (result.cached ? " (cached)" : "") + "\n";
    }
  }
  if (options.show_compliant) {  // -v: what the folders held that was not checked, and why
    for (const auto& module : batch.left_out) out += module.target + ": left out: " + module.why + "\n";
  }
  if (!options.show_summary) return out;
  const std::size_t total = batch.results.size(), errors = batch.errors(), violating = batch.violating();
  out += "Checked " + plural(total, "module") + ": " + std::to_string(total - errors - violating) + " compliant, " + std::to_string(violating) +
         " with violations (" + plural(batch.violation_count(), "violation") + "), " + plural(errors, "error");
  if (!batch.left_out.empty()) out += "; " + std::to_string(batch.left_out.size()) + " left out" + (options.show_compliant ? "" : " (-v lists them)");
  out += ".\n";
  return out;
}

namespace {

// The batch document is written as nlohmann's dump(2) would write it (keys sorted, two spaces a level),
// without building it as one tree first: with thousands of targets the tree's allocations were most of a
// run's time after its threads finished. What is rare (errors, violations, traces, output) is still built
// as json, and indented to its place.
class BatchJsonWriter {
public:
  explicit BatchJsonWriter(std::size_t targets) { out_.reserve(256 + targets * 160); }

  void open(char bracket) {
    out_ += bracket;
    ++depth_;
    first_ = true;
  }
  void close(char bracket) {
    --depth_;
    if (!first_) newline();
    out_ += bracket;
    first_ = false;
  }
  void key(std::string_view name) {
    item();
    out_ += '"';
    out_ += name;  // the document's own keys: plain ASCII
    out_ += "\": ";
  }
  void item() {
    if (!first_) out_ += ',';
    newline();
    first_ = false;
  }
  void string(std::string_view text) {
    const bool plain = std::all_of(text.begin(), text.end(), [](char c) { return c >= 0x20 && c < 0x7f && c != '"' && c != '\\'; });
    if (plain) {
      out_ += '"';
      out_ += text;
      out_ += '"';
    } else {
      out_ += json(std::string(text)).dump(-1, ' ', false, json::error_handler_t::replace);  // escapes, and U+FFFD for bytes that are not UTF-8
    }
  }
  void boolean(bool value) { out_ += value ? "true" : "false"; }
  void number(std::size_t value) { out_ += std::to_string(value); }
  void nested(const json& value) {
    for (char c : value.dump(2, ' ', false, json::error_handler_t::replace)) {
      out_ += c;
      if (c == '\n') out_.append(static_cast<std::size_t>(depth_) * 2, ' ');  // a dumped string holds no raw newline
    }
  }
  std::string take() { return std::move(out_); }

private:
  void newline() {
    out_ += '\n';
    out_.append(static_cast<std::size_t>(depth_) * 2, ' ');
  }
  std::string out_;
  int depth_ = 0;
  bool first_ = true;
};

json violations_json(const Report& report) {
  json violations = json::array();
  for (const auto& v : report.violations) {
    violations.push_back({{"code", v.code}, {"category", to_string(v.category)}, {"context", to_string(v.context)}, {"path", v.path},
                          {"expected", optional_json(v.expected)}, {"actual", optional_json(v.actual)}, {"message", v.message}, {"hint", v.hint}});
    add_dependency_fields(violations.back(), v);
  }
  return violations;
}

}  // namespace

std::string render_batch_json(const BatchResult& batch) {
  BatchJsonWriter out(batch.results.size());
  const std::size_t total = batch.results.size();
  out.open('{');
  if (!batch.left_out.empty()) {  // only when a folder left something out: the document is otherwise as before
    json left_out = json::array();
    for (const auto& module : batch.left_out) left_out.push_back({{"target", module.target}, {"why", module.why}});
    out.key("left_out");
    out.nested(left_out);
  }
  out.key("ok");
  out.boolean(batch.ok());
  if (batch.shard) {
    out.key("shard");
    out.string(std::to_string(batch.shard->index) + "/" + std::to_string(batch.shard->count));
  }
  out.key("summary");
  out.open('{');
  const std::size_t errors = batch.errors(), violating = batch.violating();
  out.key("compliant");
  out.number(total - errors - violating);
  out.key("errors");
  out.number(errors);
  out.key("targets");
  out.number(total);
  out.key("violating");
  out.number(violating);
  out.key("violations");
  out.number(batch.violation_count());
  out.close('}');
  out.key("targets");
  out.open('[');
  for (const auto& result : batch.results) {
    out.item();
    out.open('{');
    out.key("cached");
    out.boolean(result.cached);
    out.key("contract");
    out.string(result.contract);
    if (result.error) {
      out.key("error");
      out.nested({{"code", result.error->code}, {"message", result.error->message}, {"file", result.error->file},
                  {"line", result.error->line}, {"column", result.error->column}, {"hint", result.error->hint}});
    }
    out.key("file");
    out.string(result.file);
    out.key("ok");
    out.boolean(result.ok());
    if (!result.printed.empty()) {
      out.key("output");
      out.nested({{"stdout", result.printed.out}, {"stderr", result.printed.err}});
    }
    out.key("target");
    out.string(result.target);
    if (!result.error) {
      if (result.report->trace) {
        out.key("trace");
        out.nested({{"deployment", result.report->trace->deployment}, {"rules", result.report->trace->rules}});
      }
      out.key("violations");
      out.nested(violations_json(*result.report));
      if (!result.report->warnings.empty()) {  // only then: the document is otherwise as before
        json warnings = json::array();
        for (const auto& w : result.report->warnings) {
          warnings.push_back({{"code", w.code}, {"path", w.path}, {"message", w.message}, {"hint", w.hint}, {"line", w.contract_mark.line}});
        }
        out.key("warnings");
        out.nested(warnings);
      }
    }
    out.close('}');
  }
  out.close(']');
  out.close('}');
  return out.take();
}

}  // namespace importspy
