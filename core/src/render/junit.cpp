#include "importspy/render/batch.hpp"
#include "importspy/util/utf8.hpp"

namespace importspy {
namespace {

// XML text and attribute values: the five entities escaped, characters XML 1.0 forbids (controls other
// than tab and newline) and bytes that are not UTF-8 replaced, so the document always parses.
std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  while (!text.empty()) {
    const size_t bad = first_invalid_utf8(text);
    const std::string_view valid = text.substr(0, bad);
    for (char c : valid) {
      switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&apos;"; break;
        default:
          if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t' && c != '\r') out += "?";
          else out.push_back(c);
      }
    }
    if (bad == std::string_view::npos) break;
    out += "\xEF\xBF\xBD";  // U+FFFD
    text.remove_prefix(bad + 1);
  }
  return out;
}

}  // namespace

std::string render_junit(const BatchResult& batch) {
  const std::string tests = std::to_string(batch.results.size());
  const std::string failures = std::to_string(batch.violating()), errors = std::to_string(batch.errors());
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += "<testsuites name=\"importspy\" tests=\"" + tests + "\" failures=\"" + failures + "\" errors=\"" + errors + "\">\n";
  const std::string suite = batch.shard ? "importspy shard " + std::to_string(batch.shard->index) + "/" + std::to_string(batch.shard->count) : "importspy";
  out += "  <testsuite name=\"" + suite + "\" tests=\"" + tests + "\" failures=\"" + failures + "\" errors=\"" + errors + "\" skipped=\"0\">\n";
  for (const auto& result : batch.results) {
    out += "    <testcase classname=\"importspy\" name=\"" + xml_escape(result.target) + "\"";
    if (!result.file.empty()) out += " file=\"" + xml_escape(result.file) + "\"";
    std::string body;
    if (result.error) {
      // The body names the place as the text format does: file:line:column: message, then the hint.
      const TargetError& error = *result.error;
      std::string place = error.file.empty() ? result.target : error.file;
      if (error.line > 0) place += ":" + std::to_string(error.line) + ":" + std::to_string(error.column);
      body += "      <error type=\"" + xml_escape(error.code) + "\" message=\"" + xml_escape(error.message) + "\">" +
              xml_escape(place + ": " + error.message + (error.hint.empty() ? "" : "\nhint: " + error.hint)) + "</error>\n";
    } else if (!result.report->ok()) {
      Report shown = *result.report;
      shown.module_filename = result.target;
      if (!result.contract.empty()) shown.contract_source = result.contract;
      body += "      <failure type=\"contract-violation\" message=\"" + std::to_string(shown.violations.size()) + " contract violation" +
              (shown.violations.size() == 1 ? "" : "s") + " (" + xml_escape(result.contract) + ")\">" + xml_escape(render_text(shown, {false, true})) +
              "</failure>\n";
    }
    if (!result.error && !result.report->warnings.empty()) {
      std::string warnings;
      for (const auto& w : result.report->warnings) warnings += "warning: " + w.code + " " + w.path + ": " + w.message + "\nhint: " + w.hint + "\n";
      body += "      <system-err>" + xml_escape(warnings) + "</system-err>\n";
    }
    // What the module printed while imported (runtime mode), where test reporters show a test's output.
    if (!result.printed.out.empty()) body += "      <system-out>" + xml_escape(result.printed.out) + "</system-out>\n";
    if (!result.printed.err.empty()) body += "      <system-err>" + xml_escape(result.printed.err) + "</system-err>\n";
    out += body.empty() ? "/>\n" : ">\n" + body + "    </testcase>\n";
  }
  out += "  </testsuite>\n</testsuites>\n";
  return out;
}

}  // namespace importspy
