#pragma once
// Where a dotted module name is as a source file, found as the import system finds it, without running
// anything: the one lookup every static path uses (the reader's targets, dotted names on the command
// line, the modules a checked module reaches).

#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace importspy {

// `a.b` in the first of `folders` that holds it: a package (a/b/__init__.py) before a module (a/b.py), as
// CPython's path finder prefers them in one folder. Nothing for a name with an empty part (`a..b`, `.a`).
std::optional<std::filesystem::path> locate_module_file(std::string_view dotted, std::span<const std::filesystem::path> folders);

// A folder's dotted name as a package: its own name after those of the packages that hold it, up the
// chain of folders with an __init__.py (`root/pkg/sub` -> `pkg.sub`); "" for a folder that is no package.
std::string package_name_of(const std::filesystem::path& folder);

}  // namespace importspy
