#include "importspy/project/config.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <array>
#include <fstream>

#include "importspy/util/suggest.hpp"
#include "importspy/project/target_discovery.hpp"

namespace importspy {
namespace fs = std::filesystem;

namespace {

constexpr std::array<std::string_view, 7> kKeys = {"targets", "exclude", "mode", "contracts", "audit_log", "subjects", "packages"};
constexpr std::array<std::string_view, 2> kPackageKeys = {"package", "contract"};
constexpr std::array<std::string_view, 5> kMappingKeys = {"match", "contract", "mode", "runtime", "unverifiable"};

[[noreturn]] void fail(const fs::path& file, const toml::source_region& where, const std::string& message) {
  throw ConfigError(file.string(), static_cast<int>(where.begin.line), static_cast<int>(where.begin.column), message);
}

void check_keys(const toml::table& table, std::span<const std::string_view> allowed, const fs::path& file, const std::string& where) {
  for (const auto& [key, value] : table) {
    if (std::find(allowed.begin(), allowed.end(), std::string_view(key.str())) != allowed.end()) continue;
    std::string hint;
    if (auto guess = closest_match(key.str(), allowed)) hint = "; did you mean `" + std::string(*guess) + "`?";
    fail(file, key.source(), "unknown key `" + std::string(key.str()) + "` in " + where + hint);
  }
}

// The tables of `[[key]]` (an array of tables, each with only `allowed` keys and both `required` ones as
// non-empty strings); what is wrong is an error at its place, saying the form (`form`) it must take.
std::vector<const toml::table*> entries_of(const toml::table& settings, std::string_view key, std::span<const std::string_view> allowed,
                                           std::array<std::string_view, 2> required, const std::string& form, const fs::path& file, const std::string& where) {
  std::vector<const toml::table*> entries;
  const toml::node* node = settings.get(key);
  if (!node) return entries;
  const std::string name(key);
  const toml::array* array = node->as_array();
  if (!array) fail(file, node->source(), "`" + name + "` in " + where + " must be a list of tables ([[" + name + "]] with " + std::string(required[0]) + " = and " + std::string(required[1]) + " =)");
  for (const auto& item : *array) {
    const toml::table* entry = item.as_table();
    if (!entry) fail(file, item.source(), "each entry of `" + name + "` must be a table with `" + std::string(required[0]) + "` and `" + std::string(required[1]) + "`");
    check_keys(*entry, allowed, file, "a `" + name + "` entry");
    for (std::string_view needed : required) {
      const auto text = (*entry)[needed].value<std::string>();
      if (!text || text->empty()) fail(file, entry->source(), "each entry of `" + name + "` needs " + form);
    }
    entries.push_back(entry);
  }
  return entries;
}

std::vector<std::string> string_list(const toml::table& table, std::string_view key, const fs::path& file, const std::string& where) {
  std::vector<std::string> out;
  const toml::node* node = table.get(key);
  if (!node) return out;
  const toml::array* array = node->as_array();
  if (!array) fail(file, node->source(), "`" + std::string(key) + "` in " + where + " must be a list of strings");
  for (const auto& item : *array) {
    if (!item.is_string()) fail(file, item.source(), "`" + std::string(key) + "` in " + where + " must be a list of strings");
    out.push_back(item.as_string()->get());
  }
  return out;
}

// `subjects = [{path = "src/a.py", contract = "a.yml"}, ...]`: a non-empty list of tables with exactly these
// two text keys, as ImportSpy 0.5 requires.
void read_policy_subjects(const toml::table& settings, const fs::path& file, const std::string& where, ProjectConfig& config) {
  const toml::node* node = settings.get("subjects");
  if (!node) return;
  const auto fault = [&](const toml::node& at, const std::string& message) {
    config.subjects.clear();
    config.subjects_error = file.string() + ":" + std::to_string(at.source().begin.line) + ":" + std::to_string(at.source().begin.column) + ": `subjects` in " +
                            where + " " + message + " (write `subjects = [{path = \"src/plugin.py\", contract = \"plugin.importspy.yml\"}]`)";
  };
  const toml::array* array = node->as_array();
  if (!array || array->empty()) return fault(*node, "must be a non-empty list of {path, contract} tables");
  for (const toml::node& item : *array) {
    const toml::table* table = item.as_table();
    const toml::node* path = table ? table->get("path") : nullptr;
    const toml::node* contract = table ? table->get("contract") : nullptr;
    if (!table || table->size() != 2 || !path || !contract || !path->is_string() || !contract->is_string()) {
      return fault(item, "entries must have exactly the text keys `path` and `contract`");
    }
    config.subjects.push_back({path->as_string()->get(), contract->as_string()->get()});
  }
}

}  // namespace

std::string module_name_for_path(const fs::path& file, const fs::path& root) {
  std::error_code ec;
  const fs::path base = root.empty() ? fs::current_path(ec) : fs::absolute(root, ec);
  fs::path relative = fs::absolute(file, ec).lexically_normal().lexically_relative(base.lexically_normal());
  if (relative.empty() || *relative.begin() == "..") relative = file.filename();
  std::string name;
  for (const auto& part : relative) {
    std::string text = part.string();
    if (text.ends_with(".py")) text.resize(text.size() - 3);
    if (text == "__init__") continue;
    if (!name.empty()) name += '.';
    name += text;
  }
  return name;
}

bool ProjectConfig::may_match_module(std::string_view module_name) const {
  if (any_module_) return true;
  return std::any_of(module_prefixes_.begin(), module_prefixes_.end(), [&](const std::string& prefix) { return module_name.starts_with(prefix); });
}

void ProjectConfig::index() {
  patterns_.clear();
  exclude_patterns_.clear();
  exact_paths_.clear();
  exact_modules_.clear();
  wildcard_mappings_.clear();
  module_prefixes_.clear();
  any_module_ = false;
  for (const auto& pattern : exclude) exclude_patterns_.emplace_back(pattern);
  for (std::size_t i = 0; i < contracts.size(); ++i) {
    ContractMapping& mapping = contracts[i];
    const ModulePattern& pattern = patterns_.emplace_back(mapping.match);
    mapping.path_pattern = pattern.is_path_pattern();
    mapping.compiled = pattern.compiled();
    if (!mapping.path_pattern) {
      const std::string_view prefix = pattern.literal_prefix();
      if (prefix.empty()) any_module_ = true;
      else module_prefixes_.emplace_back(prefix);
    }
    if (pattern.is_literal()) {
      (mapping.path_pattern ? exact_paths_ : exact_modules_).emplace(mapping.compiled, i);  // the first one wins
    } else {
      wildcard_mappings_.push_back(i);
    }
  }
}

std::optional<fs::path> ProjectConfig::contract_for(const fs::path& target_file, const std::string& module_name) const {
  const ContractMapping* mapping = mapping_for(target_file, module_name);
  if (!mapping) return std::nullopt;
  return mapping->contract;
}

bool ProjectConfig::has_path_patterns() const {
  return std::any_of(contracts.begin(), contracts.end(), [](const ContractMapping& m) { return m.path_pattern; });
}

ModulePlace ProjectConfig::place_of(const fs::path& target_file, const std::string& module_name) const {
  if (target_file.empty()) return ModulePlace{{}, false, module_name};
  return module_place(target_file, directory, module_name);
}

const ContractMapping* ProjectConfig::mapping_for(const fs::path& target_file, const std::string& module_name) const {
  const ModulePlace place = place_of(target_file, module_name);
  std::string module_path = module_name;
  std::replace(module_path.begin(), module_path.end(), '.', '/');
  // The first matching mapping in file order: the best exact hit, unless a wildcard before it matches.
  std::size_t best = contracts.size();
  const auto exact = [&](const std::unordered_map<std::string, std::size_t>& table, const std::string& key) {
    if (key.empty()) return;
    if (auto it = table.find(key); it != table.end()) best = std::min(best, it->second);
  };
  exact(exact_paths_, place.path);
  if (place.package) exact(exact_paths_, place.path.empty() ? "__init__.py" : place.path + "/__init__.py");
  exact(exact_modules_, module_path);
  for (std::size_t i : wildcard_mappings_) {
    if (i >= best) break;
    if (patterns_[i].matches(place)) {
      best = i;
      break;
    }
  }
  if (best == contracts.size()) return nullptr;
  return &contracts[best];
}

std::vector<std::string> ProjectConfig::resolved_targets() const {
  std::vector<std::string> out;
  for (const auto& target : targets) {
    const fs::path path(target);
    std::error_code ec;
    const bool names_a_path = target.find('/') != std::string::npos || target.ends_with(".py") || fs::exists(directory / path, ec);
    out.push_back(path.is_absolute() || !names_a_path ? target : display_path(directory / path));
  }
  return out;
}

bool ProjectConfig::excluded(const fs::path& target_file, const std::string& module_name) const {
  if (exclude_patterns_.empty()) return false;
  const ModulePlace place = place_of(target_file, module_name);
  return std::any_of(exclude_patterns_.begin(), exclude_patterns_.end(), [&](const ModulePattern& p) { return p.matches_within(place); });
}

ProjectConfig load_project_config(const fs::path& file) {
  // toml++ says only "File could not be opened for reading": say why, before it tries.
  if (std::ifstream probe(file); !probe) {
    std::error_code ec;
    const std::string why = !fs::exists(file, ec) ? "no such file" : fs::is_directory(file, ec) ? "it is a folder, not a file" : "it cannot be read (permissions)";
    throw ConfigError(file.string(), 0, 0, "the settings file cannot be read: " + why + "; name an existing importspy.toml or pyproject.toml");
  }
  toml::table document;
  try {
    document = toml::parse_file(file.string());
  } catch (const toml::parse_error& error) {
    throw ConfigError(file.string(), static_cast<int>(error.source().begin.line), static_cast<int>(error.source().begin.column),
                      std::string("not valid TOML: ") + std::string(error.description()));
  }
  const bool pyproject = file.filename() == "pyproject.toml";
  const toml::table* settings = &document;
  if (pyproject) {
    settings = document["tool"]["importspy"].as_table();
    if (!settings) throw ConfigError(file.string(), 0, 0, "no [tool.importspy] table");
  }
  const std::string where = pyproject ? "[tool.importspy]" : "importspy.toml";
  check_keys(*settings, kKeys, file, where);
  ProjectConfig config;
  config.file = fs::absolute(file).lexically_normal();
  config.directory = config.file.parent_path();
  config.targets = string_list(*settings, "targets", file, where);
  read_policy_subjects(*settings, file, where, config);
  config.exclude = string_list(*settings, "exclude", file, where);
  if (const toml::node* mode = settings->get("mode")) {
    if (!mode->is_string() || (mode->as_string()->get() != "static" && mode->as_string()->get() != "runtime")) {
      fail(file, mode->source(), "`mode` in " + where + " must be \"static\" or \"runtime\"");
    }
    config.mode = mode->as_string()->get();
  }
  if (const toml::node* audit_log = settings->get("audit_log")) {
    const auto text = audit_log->value<std::string>();
    if (!text) fail(file, audit_log->source(), "`audit_log` in " + where + " must be a path");
    const fs::path log(*text);
    config.audit_log = log.is_absolute() ? log : (config.directory / log).lexically_normal();
  }
  for (const toml::table* mapping : entries_of(*settings, "contracts", kMappingKeys, {"match", "contract"},
                                               "`match = \"pattern\"` and `contract = \"path.yml\"`", file, where)) {
    const auto match = (*mapping)["match"].value<std::string>();
    const auto contract = (*mapping)["contract"].value<std::string>();
    const fs::path contract_path(*contract);
    ContractMapping entry{*match, contract_path.is_absolute() ? contract_path : (config.directory / contract_path).lexically_normal(), true, {}, "enforce", false, ""};
    if (const toml::node* mode = mapping->get("mode")) {
      const auto text = mode->value<std::string>();
      if (!text || (*text != "enforce" && *text != "warn" && *text != "audit")) {
        fail(file, mode->source(), "`mode` of a `contracts` entry must be \"enforce\", \"warn\" or \"audit\"");
      }
      entry.mode = *text;
    }
    if (const toml::node* runtime = mapping->get("runtime")) {
      if (!runtime->is_boolean()) fail(file, runtime->source(), "`runtime` of a `contracts` entry must be true or false");
      entry.runtime = runtime->as_boolean()->get();
    }
    if (const toml::node* unverifiable = mapping->get("unverifiable")) {
      const auto text = unverifiable->value<std::string>();
      if (!text || (*text != "deny" && *text != "warn" && *text != "allow")) {
        fail(file, unverifiable->source(), "`unverifiable` of a `contracts` entry must be \"deny\", \"warn\" or \"allow\"");
      }
      entry.unverifiable = *text;
    }
    config.contracts.push_back(std::move(entry));
  }
  for (const toml::table* entry : entries_of(*settings, "packages", kPackageKeys, {"package", "contract"},
                                             "`package = \"folder or dotted.name\"` and `contract = \"path.yml\"`", file, where)) {
    const auto package = (*entry)["package"].value<std::string>();
    const auto contract = (*entry)["contract"].value<std::string>();
    // A folder is relative to this file, like every path here; a dotted name is looked up on sys.path.
    const bool is_path = package->find('/') != std::string::npos || package->find('\\') != std::string::npos ||
                         fs::is_directory(config.directory / *package);
    const fs::path contract_path(*contract);
    config.packages.push_back({is_path ? (config.directory / *package).lexically_normal().string() : *package,
                               contract_path.is_absolute() ? contract_path : (config.directory / contract_path).lexically_normal()});
  }
  config.index();
  return config;
}

std::optional<ProjectConfig> find_project_config(const fs::path& start) {
  std::error_code ec;
  fs::path directory = fs::absolute(start, ec).lexically_normal();
  if (!fs::is_directory(directory, ec)) directory = directory.parent_path();
  while (true) {
    if (fs::is_regular_file(directory / "importspy.toml", ec)) return load_project_config(directory / "importspy.toml");
    const fs::path pyproject = directory / "pyproject.toml";
    if (fs::is_regular_file(pyproject, ec)) {
      try {
        const toml::table document = toml::parse_file(pyproject.string());
        if (document["tool"]["importspy"].as_table()) return load_project_config(pyproject);
      } catch (const toml::parse_error&) {
        // A pyproject.toml that is not valid TOML is not ours to report unless it configures us.
      }
    }
    if (!directory.has_parent_path() || directory.parent_path() == directory) return std::nullopt;
    directory = directory.parent_path();
  }
}

}  // namespace importspy
