#include "importspy/facts/distributions.hpp"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "importspy/util/ascii.hpp"
#include "importspy/util/sha256.hpp"

namespace importspy {
namespace fs = std::filesystem;
namespace {

std::optional<std::string> read_file(const fs::path& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string trim(std::string_view text) {
  const size_t begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string_view::npos) return {};
  return std::string(text.substr(begin, text.find_last_not_of(" \t\r\n") - begin + 1));
}

// The first value of header `key` in an RFC 822 METADATA file (headers end at the first blank line).
std::optional<std::string> header(std::string_view metadata, std::string_view key) {
  std::istringstream lines{std::string(metadata)};
  std::string line;
  while (std::getline(lines, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) break;
    const size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string name = line.substr(0, colon);
    if (std::equal(name.begin(), name.end(), key.begin(), key.end(), [](char a, char b) { return ascii::to_lower(a) == ascii::to_lower(b); })) {
      return trim(std::string_view(line).substr(colon + 1));
    }
  }
  return std::nullopt;
}

// A RECORD row's fields (CSV: `path,sha256=<digest>,size`; a field holding a comma or quote is quoted).
std::vector<std::string> record_fields(std::string_view row) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (std::size_t i = 0; i < row.size(); ++i) {
    const char c = row[i];
    if (quoted) {
      if (c == '"' && i + 1 < row.size() && row[i + 1] == '"') {
        fields.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        fields.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.emplace_back();
    } else if (c != '\r') {
      fields.back() += c;
    }
  }
  return fields;
}

std::string record_path(const std::string& row) { return record_fields(row).front(); }

// Import names provided by the files of RECORD: a top-level folder of a .py file, or a top-level
// module's name, as importlib.metadata infers them when top_level.txt is missing.
std::vector<std::string> inferred_top_level(const std::string& record) {
  std::set<std::string> names;
  std::istringstream lines(record);
  std::string row;
  while (std::getline(lines, row)) {
    if (!row.empty() && row.back() == '\r') row.pop_back();
    const fs::path path(record_path(row));
    if (path.extension() != ".py") continue;
    const auto first = path.begin();
    if (first == path.end()) continue;
    const std::string name = std::next(first) == path.end() ? path.stem().string() : first->string();
    if (!name.empty() && name.find('.') == std::string::npos && name != "..") names.insert(name);
  }
  return {names.begin(), names.end()};
}

}  // namespace

std::string normalize_project_name(std::string_view name) {
  std::string out;
  bool separator = false;
  for (char c : name) {
    if (c == '-' || c == '_' || c == '.') {
      separator = true;
      continue;
    }
    if (separator && !out.empty()) out += '-';
    separator = false;
    out += static_cast<char>(ascii::to_lower(static_cast<unsigned char>(c)));
  }
  return out;
}

DistributionIndex DistributionIndex::scan(const std::vector<fs::path>& path_entries) {
  DistributionIndex index;
  for (const fs::path& entry : path_entries) {
    std::error_code ec;
    if (!fs::is_directory(entry, ec)) continue;
    std::vector<fs::path> folders;
    for (fs::directory_iterator it(entry, ec), end; !ec && it != end; it.increment(ec)) {
      if (it->path().extension() == ".dist-info" && it->is_directory(ec)) folders.push_back(it->path());
    }
    std::sort(folders.begin(), folders.end());
    for (const fs::path& folder : folders) {
      const auto metadata = read_file(folder / "METADATA");
      if (!metadata) continue;
      const auto name = header(*metadata, "Name");
      if (!name || name->empty()) continue;
      InstalledDistribution distribution;
      distribution.name = *name;
      distribution.normalized = normalize_project_name(*name);
      distribution.version = header(*metadata, "Version");
      distribution.metadata_folder = folder;
      if (const auto top_level = read_file(folder / "top_level.txt"); top_level && !trim(*top_level).empty()) {
        std::istringstream words(*top_level);
        for (std::string word; words >> word;) distribution.top_level.push_back(word);
      } else if (const auto record = read_file(folder / "RECORD")) {
        distribution.top_level = inferred_top_level(*record);
      }
      distribution.direct_url = read_file(folder / "direct_url.json");
      if (const auto installer = read_file(folder / "INSTALLER")) distribution.installer = trim(*installer);
      for (const std::string& module : distribution.top_level) index.by_import_[module].push_back(distribution.name);
      if (!index.by_name_.contains(distribution.normalized)) index.by_name_.emplace(distribution.normalized, index.distributions_.size());
      index.distributions_.push_back(std::move(distribution));
    }
  }
  return index;
}

const InstalledDistribution* DistributionIndex::find(std::string_view normalized) const {
  const auto it = by_name_.find(normalized);
  return it == by_name_.end() ? nullptr : &distributions_[it->second];
}

const std::vector<std::string>* DistributionIndex::providers(std::string_view name) const {
  const auto it = by_import_.find(name);
  return it == by_import_.end() ? nullptr : &it->second;
}

RecordVerification verify_record(const InstalledDistribution& distribution, std::size_t max_files) {
  RecordVerification out;
  const auto record = read_file(distribution.metadata_folder / "RECORD");
  if (!record) {
    out.error = "the distribution has no readable RECORD";
    return out;
  }
  const fs::path base = distribution.metadata_folder.parent_path();  // RECORD paths are relative to site-packages
  std::size_t start = 0;
  while (start < record->size()) {
    std::size_t end = record->find('\n', start);
    if (end == std::string::npos) end = record->size();
    const std::string_view row = std::string_view(*record).substr(start, end - start);
    start = end + 1;
    if (row.empty() || row == "\r") continue;
    const std::vector<std::string> fields = record_fields(row);
    if (fields.size() < 2 || fields[1].empty()) {
      ++out.unhashed;  // RECORD itself, signatures, .pyc files: listed without a hash
      continue;
    }
    if (!fields[1].starts_with("sha256=")) {
      out.mismatched.push_back(fields[0] + " (" + fields[1].substr(0, fields[1].find('=')) + " is not sha256)");
      continue;
    }
    if (out.files_checked + out.mismatched.size() + out.missing.size() >= max_files) {
      out.error = "RECORD lists more than " + std::to_string(max_files) + " files";
      return out;
    }
    const fs::path file = fs::path(fields[0]).is_absolute() ? fs::path(fields[0]) : base / fields[0];
    std::error_code ec;
    if (!fs::is_regular_file(fs::symlink_status(file, ec)) && !fs::is_regular_file(file, ec)) {
      out.missing.push_back(fields[0]);
      continue;
    }
    const auto digest = sha256_base64url_of_file(file);
    if (!digest) {
      out.missing.push_back(fields[0]);
    } else if (*digest != fields[1].substr(7)) {
      out.mismatched.push_back(fields[0]);
    } else {
      ++out.files_checked;
    }
  }
  return out;
}

}  // namespace importspy
