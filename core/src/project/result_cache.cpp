#include "importspy/project/result_cache.hpp"

#include <atomic>
#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <thread>

namespace importspy {
namespace {

using json = nlohmann::json;
namespace fs = std::filesystem;

constexpr std::string_view kFormat = "importspy-result-cache-1";

json optional_json(const std::optional<std::string>& s) { return s ? json(*s) : json(nullptr); }

std::optional<std::string> optional_text(const json& j) {
  if (j.is_null()) return std::nullopt;
  return j.get<std::string>();
}

Category category_from(std::string_view text) {
  if (text == "missing") return Category::missing;
  if (text == "mismatch") return Category::mismatch;
  return Category::invalid;
}

Context context_from(std::string_view text) {
  if (text == "runtime") return Context::runtime;
  if (text == "environment") return Context::environment;
  if (text == "class") return Context::class_;
  return Context::module;
}

// A name unique across processes and threads, for the temporary file before the rename.
std::string unique_suffix() {
  static std::atomic<unsigned> counter{0};
  std::random_device device;
  std::ostringstream out;
  out << std::hex << device() << "-" << std::this_thread::get_id() << "-" << counter++;
  return out.str();
}

}  // namespace

std::string result_cache_key(const ResultKey& parts) {
  // Length-prefixed fields: no two different inputs can concatenate to the same text.
  std::string material;
  const auto field = [&](std::string_view text) {
    material += std::to_string(text.size());
    material += ':';
    material += text;
  };
  field(kFormat);
  field(parts.engine_version);
  field(parts.mode);
  field(sha256_hex(parts.contract_text));
  field(sha256_hex(parts.source_text));
  field(parts.module_filename);
  field(parts.contract_source);
  if (parts.environment) {
    const EnvironmentFacts& env = *parts.environment;
    field(env.arch);
    field(env.os);
    field(env.python_version);
    field(env.interpreter);
    for (const auto& [name, value] : env.variables) {
      field(name);
      const bool secret = std::find(parts.secret_names.begin(), parts.secret_names.end(), name) != parts.secret_names.end();
      field(secret ? (value.empty() ? "<empty secret>" : "<set secret>") : sha256_hex(value));
    }
  }
  return sha256_hex(material);
}

ResultCache::ResultCache(fs::path directory) : directory_(std::move(directory)) {}

fs::path ResultCache::entry_path(const std::string& key) const { return directory_ / "v1" / key.substr(0, 2) / (key + ".json"); }

std::string serialize_report(const Report& report) {
  json violations = json::array();
  for (const auto& v : report.violations) {
    violations.push_back({{"code", v.code}, {"category", to_string(v.category)}, {"context", to_string(v.context)}, {"path", v.path},
                          {"expected", optional_json(v.expected)}, {"actual", optional_json(v.actual)}, {"message", v.message}, {"hint", v.hint},
                          {"contract_line", v.contract_mark.line}, {"contract_column", v.contract_mark.column}, {"source_line", v.source_line}});
  }
  json document = {{"format", kFormat}, {"contract", report.contract_source}, {"module", report.module_filename}, {"violations", std::move(violations)}};
  if (report.trace) document["trace"] = {{"deployment", report.trace->deployment}, {"rules", report.trace->rules}};
  return document.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::optional<Report> deserialize_report(std::string_view text) {
  try {
    const json document = json::parse(text);
    if (document.at("format") != kFormat) return std::nullopt;
    Report report;
    report.contract_source = document.at("contract").get<std::string>();
    report.module_filename = document.at("module").get<std::string>();
    for (const auto& v : document.at("violations")) {
      report.violations.push_back(Violation{v.at("code").get<std::string>(), category_from(v.at("category").get<std::string>()),
                                            context_from(v.at("context").get<std::string>()), v.at("path").get<std::string>(),
                                            optional_text(v.at("expected")), optional_text(v.at("actual")), v.at("message").get<std::string>(),
                                            v.at("hint").get<std::string>(), SourceMark{v.at("contract_line").get<int>(), v.at("contract_column").get<int>()},
                                            v.at("source_line").get<int>()});
    }
    if (document.contains("trace")) {
      report.trace = CheckTrace{document["trace"].at("deployment").get<std::string>(), document["trace"].at("rules").get<std::vector<std::string>>()};
    }
    return report;
  } catch (const std::exception&) {
    return std::nullopt;  // damaged: treated as absent
  }
}

std::optional<Report> ResultCache::load(const std::string& key) const {
  std::ifstream in(entry_path(key), std::ios::binary);
  if (!in) return std::nullopt;
  const std::string text(std::istreambuf_iterator<char>(in), {});
  return deserialize_report(text);
}

void ResultCache::store(const std::string& key, const Report& report) const { write_atomically(entry_path(key), serialize_report(report)); }

std::optional<ContractSummary> ResultCache::load_summary(const std::string& contract_key) const {
  std::ifstream in(directory_ / "v1" / "contracts" / (contract_key + ".json"), std::ios::binary);
  if (!in) return std::nullopt;
  try {
    const json document = json::parse(in);
    return ContractSummary{document.at("environment").get<std::vector<std::string>>(), document.at("secrets").get<std::vector<std::string>>()};
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

void ResultCache::store_summary(const std::string& contract_key, const ContractSummary& summary) const {
  write_atomically(directory_ / "v1" / "contracts" / (contract_key + ".json"),
                   json{{"environment", summary.environment_names}, {"secrets", summary.secret_names}}.dump());
}

void ResultCache::write_atomically(const fs::path& target, const std::string& text) const {
  const std::string key = target.stem().string();
  std::error_code ec;
  fs::create_directories(target.parent_path(), ec);
  if (ec) return;
  const fs::path temporary = target.parent_path() / ("." + key + "." + unique_suffix() + ".tmp");
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) return;
    out << text;
    if (!out) {
      out.close();
      fs::remove(temporary, ec);
      return;
    }
  }
  fs::rename(temporary, target, ec);  // atomic on POSIX and on NTFS for files in one directory
  if (ec) fs::remove(temporary, ec);
}

}  // namespace importspy
