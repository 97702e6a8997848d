#include "importspy/facts/module_file.hpp"

#include <string>

namespace importspy {
namespace fs = std::filesystem;

std::optional<fs::path> locate_module_file(std::string_view dotted, std::span<const fs::path> folders) {
  fs::path relative;
  for (std::size_t start = 0;;) {
    const std::size_t dot = dotted.find('.', start);
    const std::string_view part = dotted.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (part.empty()) return std::nullopt;
    relative /= std::string(part);
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  std::error_code ec;
  for (const fs::path& folder : folders) {
    const fs::path package = folder / relative / "__init__.py";
    if (fs::is_regular_file(package, ec)) return package;
    fs::path module = folder / relative;
    module += ".py";
    if (fs::is_regular_file(module, ec)) return module;
  }
  return std::nullopt;
}

std::string package_name_of(const fs::path& folder) {
  std::error_code ec;
  const auto is_package = [&](const fs::path& candidate) { return fs::is_regular_file(candidate / "__init__.py", ec); };
  if (!is_package(folder)) return {};
  std::string name = folder.filename().string();
  for (fs::path parent = folder.parent_path(); !parent.empty() && parent != parent.parent_path() && is_package(parent); parent = parent.parent_path()) {
    name = parent.filename().string() + "." + name;
  }
  return name;
}

}  // namespace importspy
