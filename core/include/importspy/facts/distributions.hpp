#pragma once
// Installed distributions, read from their `*.dist-info` metadata folders without importing anything:
// METADATA (name, version), top_level.txt or RECORD (the import names they provide), direct_url.json
// (PEP 610, kept as text) and INSTALLER.

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace importspy {

struct InstalledDistribution {
  std::string name;        // METADATA `Name:` as written
  std::string normalized;  // PEP 503: lower case, runs of `-_.` as `-`
  std::optional<std::string> version;
  std::vector<std::string> top_level;       // import names: top_level.txt, else inferred from RECORD's .py files
  std::optional<std::string> direct_url;    // direct_url.json, verbatim
  std::optional<std::string> installer;     // INSTALLER, trimmed
  std::filesystem::path metadata_folder;    // the *.dist-info folder
};

// The distributions visible from a list of import path entries (sys.path order; the first of a name wins,
// as importlib.metadata finds it).
class DistributionIndex {
public:
  static DistributionIndex scan(const std::vector<std::filesystem::path>& path_entries);

  // The distribution of this PEP 503 name, or null.
  const InstalledDistribution* find(std::string_view normalized) const;
  // The names (as in METADATA) of every distribution providing top-level import `name`, in scan order,
  // repeated when several folders provide one distribution (as importlib's packages_distributions()).
  const std::vector<std::string>* providers(std::string_view name) const;

private:
  std::vector<InstalledDistribution> distributions_;
  std::map<std::string, std::size_t, std::less<>> by_name_;
  std::map<std::string, std::vector<std::string>, std::less<>> by_import_;
};

// Every file a distribution's RECORD lists with a hash (PEP 376/627 rows `path,sha256=<digest>,size`,
// paths relative to the folder holding the .dist-info), compared with that hash. Only regular files are
// read; at most `max_files` rows with a hash are followed (a hostile RECORD is an error, not a hang).
struct RecordVerification {
  std::size_t files_checked = 0;         // listed with a sha256 and identical
  std::vector<std::string> mismatched;   // content differs from RECORD (or a hash other than sha256)
  std::vector<std::string> missing;      // listed, but absent or not a regular file
  std::size_t unhashed = 0;              // listed without a hash (RECORD itself, .pyc files): not verifiable
  std::optional<std::string> error;      // RECORD unreadable, absent or too long
  bool verified() const { return !error && mismatched.empty() && missing.empty() && files_checked > 0; }
};
RecordVerification verify_record(const InstalledDistribution& distribution, std::size_t max_files = 200'000);

// PEP 503 normalisation of a distribution name.
std::string normalize_project_name(std::string_view name);

}  // namespace importspy
