// What a project declares and where a distribution came from: the two facts 0.5 rules read from files
// other than the policy (pyproject.toml, PEP 610 direct_url.json).
#include <toml++/toml.h>

#include <nlohmann/json.hpp>
#include <regex>

#include "importspy/policy/admission.hpp"

namespace importspy::policy {
namespace fs = std::filesystem;

std::optional<std::set<std::string, std::less<>>> project_declarations(const fs::path& project_root) {
  toml::table document;
  try {
    document = toml::parse_file((project_root / "pyproject.toml").string());
  } catch (const std::exception&) {
    return std::nullopt;
  }
  static const std::regex requirement_name(R"(^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?))");
  std::set<std::string, std::less<>> names;
  const auto add_requirement = [&](const toml::node& item) {
    if (!item.is_string()) return false;
    std::smatch match;
    const std::string text = item.as_string()->get();
    if (!std::regex_search(text, match, requirement_name)) return false;
    names.insert(normalize_distribution_name(match[1].str()));
    return true;
  };
  if (const toml::table* project = document["project"].as_table()) {
    if (const toml::array* dynamic = (*project)["dynamic"].as_array()) {
      for (const auto& item : *dynamic) {
        if (item.value<std::string>() == "dependencies" || item.value<std::string>() == "optional-dependencies") return std::nullopt;
      }
    } else if (project->contains("dynamic")) {
      return std::nullopt;
    }
    if (const toml::node* dependencies = project->get("dependencies")) {
      const toml::array* list = dependencies->as_array();
      if (!list) return std::nullopt;
      for (const auto& item : *list) if (!add_requirement(item)) return std::nullopt;
    }
    if (const toml::node* optional = project->get("optional-dependencies")) {
      const toml::table* groups = optional->as_table();
      if (!groups) return std::nullopt;
      for (const auto& [group, list] : *groups) {
        if (!list.is_array()) return std::nullopt;
        for (const auto& item : *list.as_array()) if (!add_requirement(item)) return std::nullopt;
      }
    }
    return names;
  }
  if (const toml::table* poetry = document["tool"]["poetry"]["dependencies"].as_table()) {
    for (const auto& [key, value] : *poetry) {
      if (!value.is_string() && !value.is_table() && !value.is_array()) return std::nullopt;
      if (key.str() == "python") continue;
      if (!is_distribution_name(key.str())) return std::nullopt;
      names.insert(normalize_distribution_name(key.str()));
    }
    return names;
  }
  return std::nullopt;
}

Origin read_direct_url(const std::optional<std::string>& text) {
  if (!text) return {};
  try {
    const nlohmann::json data = nlohmann::json::parse(*text);
    if (!data.is_object() || !data.contains("url") || !data["url"].is_string()) return {};
    const std::string raw = data["url"].get<std::string>();
    const auto url = normalize_origin_url(raw);
    int kinds = 0;
    for (const char* key : {"vcs_info", "dir_info", "archive_info"}) kinds += data.contains(key) ? 1 : 0;
    if (!url || kinds != 1) return {};
    if (data.contains("vcs_info")) {
      const auto& info = data["vcs_info"];
      if (!info.is_object()) return {};
      for (const char* key : {"vcs", "commit_id"}) {
        if (!info.contains(key) || !info[key].is_string() || info[key].get<std::string>().empty()) return {};
      }
      return {"vcs", url, normalize_origin_url(raw, true), info["commit_id"].get<std::string>(), false};
    }
    if (data.contains("dir_info")) {
      const auto& info = data["dir_info"];
      if (!info.is_object()) return {};
      const nlohmann::json editable = info.value("editable", nlohmann::json(false));
      if (!editable.is_boolean() || !url->starts_with("file:")) return {};
      return {"local", url, std::nullopt, std::nullopt, editable.get<bool>()};
    }
    const auto& info = data["archive_info"];
    if (!info.is_object()) return {};
    if (info.contains("hashes") && !info["hashes"].is_object()) return {};
    return {"archive", url, std::nullopt, std::nullopt, false};
  } catch (const std::exception&) {
    return {};
  }
}

}  // namespace importspy::policy
