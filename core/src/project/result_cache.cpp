#include "importspy/project/result_cache.hpp"

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#ifndef _WIN32
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

namespace importspy {
namespace {

using json = nlohmann::json;
namespace fs = std::filesystem;

constexpr std::string_view kFormat = "importspy-result-cache-2";   // the JSON of one report
constexpr std::string_view kEntryFormat = "importspy-result-cache-3";  // first line of an authenticated entry (keyed BLAKE2b)
constexpr std::size_t kMaxEntryBytes = 64u << 20;
// What ruff and pytest put in theirs: git ignores the folder, backup tools skip it (https://bford.info/cachedir/).
constexpr std::string_view kGitignore = "# Created by importspy automatically.\n*\n";
constexpr std::string_view kCachedirTag =
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by importspy.\n"
    "# For information about cache directory tags, see https://bford.info/cachedir/\n";

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
  std::ostringstream out;
  out << random_hex(8) << "-" << std::this_thread::get_id() << "-" << counter++;
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
  field(parts.module_name);
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

fs::path default_cache_key_path() {
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg == '/') return fs::path(xdg) / "importspy" / "key";
  if (const char* home = std::getenv("HOME"); home && *home) return fs::path(home) / ".cache" / "importspy" / "key";
  return {};
}

#ifndef _WIN32
namespace {

// Reads all of an open descriptor when it is a regular file of at most max_bytes; closes it.
std::optional<std::string> read_descriptor(int fd, std::size_t max_bytes, struct stat* info) {
  struct stat st {};
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || static_cast<std::size_t>(st.st_size) > max_bytes) {
    close(fd);
    return std::nullopt;
  }
  std::string text;
  char buffer[1 << 16];
  while (true) {
    const ssize_t n = read(fd, buffer, sizeof buffer);
    if (n < 0) {
      close(fd);
      return std::nullopt;
    }
    if (n == 0) break;
    text.append(buffer, static_cast<std::size_t>(n));
    if (text.size() > max_bytes) {
      close(fd);
      return std::nullopt;
    }
  }
  close(fd);
  if (info) *info = st;
  return text;
}

}  // namespace

std::optional<std::string> read_regular_file(const fs::path& path, std::size_t max_bytes) {
  const int fd = open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  return read_descriptor(fd, max_bytes, nullptr);
}

std::optional<std::string> load_or_create_cache_key(const fs::path& path) {
  if (path.empty()) return std::nullopt;
  std::error_code ec;
  if (!fs::exists(path.parent_path(), ec)) {
    fs::create_directories(path.parent_path().parent_path(), ec);
    mkdir(path.parent_path().c_str(), 0700);
  }
  for (int attempt = 0; attempt < 2; ++attempt) {
    const int fd = open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);
    if (fd >= 0) {
      struct stat st {};
      auto text = read_descriptor(fd, 4096, &st);
      // Only a key nobody else can read or have written authenticates anything.
      if (!text || st.st_uid != geteuid() || (st.st_mode & 077) != 0 || text->size() != 64) return std::nullopt;
      return text;
    }
    if (errno != ENOENT) return std::nullopt;
    // Written in full under a private temporary name, then linked into place: a concurrent run either
    // wins the link or reads the winner's key.
    const std::string key = random_hex(32);
    if (key.empty()) return std::nullopt;  // no secure generator: work without a cache rather than a weak key
    const fs::path temporary = path.parent_path() / (".key." + unique_suffix() + ".tmp");
    const int out = open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (out < 0) return std::nullopt;
    const bool written = write(out, key.data(), key.size()) == static_cast<ssize_t>(key.size());
    close(out);
    if (written) (void)link(temporary.c_str(), path.c_str());
    unlink(temporary.c_str());
    if (!written) return std::nullopt;
  }
  return std::nullopt;
}
#else
std::optional<std::string> read_regular_file(const fs::path& path, std::size_t max_bytes) {
  std::error_code ec;
  if (!fs::is_regular_file(fs::symlink_status(path, ec)) || fs::file_size(path, ec) > max_bytes) return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::optional<std::string> load_or_create_cache_key(const fs::path&) { return std::nullopt; }  // not yet: nothing is cached
#endif

std::optional<std::string> default_cache_key() {
  // A CI secret variable, for runners whose home does not survive between jobs.
  if (const char* key = std::getenv("IMPORTSPY_CACHE_KEY"); key && std::strlen(key) >= 32) return std::string(key);
  return load_or_create_cache_key(default_cache_key_path());
}

ResultCache::ResultCache(fs::path directory) : ResultCache(std::move(directory), default_cache_key()) {}

ResultCache::ResultCache(fs::path directory, std::optional<std::string> secret) : directory_(std::move(directory)), secret_(std::move(secret)) {}

namespace {

std::string mac_material(std::string_view kind, std::string_view key, std::string_view body) {
  std::string material;
  for (std::string_view part : {kEntryFormat, kind, key, body}) {
    material += std::to_string(part.size());
    material += ':';
    material += part;
  }
  return material;
}

}  // namespace

std::optional<std::string> ResultCache::read_entry(const fs::path& path, std::string_view kind, const std::string& key) const {
  if (!secret_) return std::nullopt;
  const auto text = read_regular_file(path, kMaxEntryBytes);
  if (!text) return std::nullopt;
  const size_t first = text->find('\n');
  const size_t second = first == std::string::npos ? std::string::npos : text->find('\n', first + 1);
  if (second == std::string::npos || std::string_view(*text).substr(0, first) != kEntryFormat) return std::nullopt;
  const std::string_view mac = std::string_view(*text).substr(first + 1, second - first - 1);
  const std::string_view body = std::string_view(*text).substr(second + 1);
  if (!constant_time_equal(mac, keyed_blake2b_hex(*secret_, mac_material(kind, key, body)))) return std::nullopt;  // foreign or tampered
  return std::string(body);
}

void ResultCache::write_entry(const fs::path& path, std::string_view kind, const std::string& key, const std::string& body) const {
  if (!secret_) return;
  write_atomically(path, std::string(kEntryFormat) + "\n" + keyed_blake2b_hex(*secret_, mac_material(kind, key, body)) + "\n" + body);
}

fs::path ResultCache::entry_path(const std::string& key) const { return directory_ / "v1" / key.substr(0, 2) / (key + ".json"); }

std::optional<std::string> ResultCache::load_blob(std::string_view kind, const std::string& key) const {
  return read_entry(directory_ / "v1" / std::string(kind) / key.substr(0, 2) / key, kind, key);
}

void ResultCache::store_blob(std::string_view kind, const std::string& key, const std::string& body) const {
  write_entry(directory_ / "v1" / std::string(kind) / key.substr(0, 2) / key, kind, key, body);
}

namespace {

json violations_json(const std::vector<Violation>& list) {
  json violations = json::array();
  for (const auto& v : list) {
    violations.push_back({{"code", v.code}, {"category", to_string(v.category)}, {"context", to_string(v.context)}, {"path", v.path},
                          {"expected", optional_json(v.expected)}, {"actual", optional_json(v.actual)}, {"message", v.message}, {"hint", v.hint},
                          {"contract_line", v.contract_mark.line}, {"contract_column", v.contract_mark.column}, {"source_line", v.source_line}});
    if (!v.chain.empty()) violations.back()["chain"] = v.chain;
    if (!v.chains.empty()) {  // architecture rules: [[module, file, line(, lines)], ...] per chain
      json chains = json::array();
      for (const auto& chain : v.chains) {
        json steps = json::array();
        for (const ChainStep& step : chain) {
          steps.push_back(step.lines.empty() ? json::array({step.module, step.file, step.line}) : json::array({step.module, step.file, step.line, step.lines}));
        }
        chains.push_back(std::move(steps));
      }
      violations.back()["chains"] = std::move(chains);
    }
  }
  return violations;
}

std::vector<Violation> violations_from(const json& list) {
  std::vector<Violation> out;
  for (const auto& v : list) {
    out.push_back(Violation{v.at("code").get<std::string>(), category_from(v.at("category").get<std::string>()),
                            context_from(v.at("context").get<std::string>()), v.at("path").get<std::string>(), optional_text(v.at("expected")),
                            optional_text(v.at("actual")), v.at("message").get<std::string>(), v.at("hint").get<std::string>(),
                            SourceMark{v.at("contract_line").get<int>(), v.at("contract_column").get<int>()}, v.at("source_line").get<int>()});
    if (v.contains("chain")) out.back().chain = v["chain"].get<std::vector<std::string>>();
    if (v.contains("chains")) {
      for (const auto& chain : v["chains"]) {
        std::vector<ChainStep> steps;
        for (const auto& step : chain) {
          steps.push_back({step.at(0).get<std::string>(), step.at(1).get<std::string>(), step.at(2).get<int>(),
                           step.size() > 3 ? step.at(3).get<std::vector<int>>() : std::vector<int>{}});
        }
        out.back().chains.push_back(std::move(steps));
      }
    }
  }
  return out;
}

}  // namespace

std::string serialize_report(const Report& report) {
  json document = {{"format", kFormat}, {"contract", report.contract_source}, {"module", report.module_filename}, {"violations", violations_json(report.violations)}};
  if (!report.warnings.empty()) document["warnings"] = violations_json(report.warnings);
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
    report.violations = violations_from(document.at("violations"));
    if (document.contains("warnings")) report.warnings = violations_from(document["warnings"]);
    if (document.contains("trace")) {
      report.trace = CheckTrace{document["trace"].at("deployment").get<std::string>(), document["trace"].at("rules").get<std::vector<std::string>>()};
    }
    return report;
  } catch (const std::exception&) {
    return std::nullopt;  // damaged: treated as absent
  }
}

std::optional<Report> ResultCache::load(const std::string& key) const {
  const auto body = read_entry(entry_path(key), "result", key);
  if (!body) return std::nullopt;
  return deserialize_report(*body);
}

void ResultCache::store(const std::string& key, const Report& report) const { write_entry(entry_path(key), "result", key, serialize_report(report)); }

std::optional<ContractSummary> ResultCache::load_summary(const std::string& contract_key) const {
  const auto body = read_entry(directory_ / "v1" / "contracts" / (contract_key + ".json"), "summary", contract_key);
  if (!body) return std::nullopt;
  try {
    const json document = json::parse(*body);
    return ContractSummary{document.at("environment").get<std::vector<std::string>>(), document.at("secrets").get<std::vector<std::string>>()};
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

void ResultCache::store_summary(const std::string& contract_key, const ContractSummary& summary) const {
  write_entry(directory_ / "v1" / "contracts" / (contract_key + ".json"), "summary", contract_key,
              json{{"environment", summary.environment_names}, {"secrets", summary.secret_names}}.dump());
}

namespace {

// A file of the cache directory's own, created only when absent and never through a symbolic link.
void create_marker(const fs::path& path, std::string_view text) {
#ifndef _WIN32
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0) return;  // there already, or not writable: a marker is a courtesy
  [[maybe_unused]] const ssize_t written = write(fd, text.data(), text.size());
  close(fd);
#else
  std::error_code ec;
  if (fs::exists(path, ec)) return;
  std::ofstream(path, std::ios::binary) << text;
#endif
}

}  // namespace

void ResultCache::mark_directory() const {
  std::error_code ec;
  if (fs::exists(directory_ / "CACHEDIR.TAG", ec)) return;
  fs::create_directories(directory_, ec);
  if (ec) return;
  create_marker(directory_ / ".gitignore", kGitignore);
  create_marker(directory_ / "CACHEDIR.TAG", kCachedirTag);
}

void ResultCache::write_atomically(const fs::path& target, const std::string& text) const {
  const std::string key = target.stem().string();
  mark_directory();
  std::error_code ec;
  fs::create_directories(target.parent_path(), ec);
  if (ec) return;
  const fs::path temporary = target.parent_path() / ("." + key + "." + unique_suffix() + ".tmp");
#ifndef _WIN32
  // Exclusive and not through a planted symbolic link.
  const int fd = open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0) return;
  const bool written = write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  close(fd);
  if (!written) {
    fs::remove(temporary, ec);
    return;
  }
#else
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
#endif
  fs::rename(temporary, target, ec);  // atomic on POSIX and on NTFS for files in one directory
  if (ec) fs::remove(temporary, ec);
}

}  // namespace importspy
