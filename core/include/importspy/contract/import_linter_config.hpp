#pragma once
// import-linter's configuration read as it is, into the raw form of architecture rules
// (contract/architecture.hpp): `.importlinter` and `setup.cfg` ([importlinter] and
// [importlinter:contract:ID] sections, INI read as configparser reads it) and `pyproject.toml`
// ([tool.importlinter] with [[tool.importlinter.contracts]]). Every key and every value keeps its file,
// line and column; compile_architecture validates the options, as for our own YAML.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "importspy/contract/architecture.hpp"

namespace importspy {

// The files lint-imports looks for when it is named none, in its order: the first one holding an
// import-linter section is read.
inline constexpr std::string_view kImportLinterConfigFiles[] = {"setup.cfg", ".importlinter", "pyproject.toml"};

// INI text (`.importlinter`, `setup.cfg`). std::nullopt when it has no [importlinter] section.
// Throws ContractError naming `file`, line and column.
std::optional<RawArchitecture> import_linter_from_ini(std::string_view text, const std::string& file);

// TOML text (`pyproject.toml`). std::nullopt when it has no (or an empty) [tool.importlinter] table.
// Booleans become "True"/"False" and numbers their decimal text, as import-linter passes them on.
std::optional<RawArchitecture> import_linter_from_toml(std::string_view text, const std::string& file);

// One file as lint-imports reads a file it is named: a name ending in `.toml` as TOML, any other as INI.
// `display` names it in errors and in RawArchitecture::file. Throws ContractError when the file cannot
// be read or is malformed; std::nullopt when it holds no import-linter configuration.
std::optional<RawArchitecture> read_import_linter_file(const std::filesystem::path& path, const std::string& display);

// The configuration lint-imports would use: the files named (`--config` and positional arguments, as
// given, relative to `directory`), each read once, or, with none named, the first of
// kImportLinterConfigFiles in `directory` that holds one. Checks what lint-imports checks before it
// builds a graph: every file has contracts, contract ids have no `:` and are unique in their file.
// Throws ContractError with lint-imports' reasons (no file, a named file missing or without
// configuration, no contracts, a bad id).
std::vector<RawArchitecture> find_import_linter_config(const std::vector<std::string>& named, const std::filesystem::path& directory);

}  // namespace importspy
