#include "importspy/contract/migration.hpp"

#include "importspy/contract/loader.hpp"

namespace importspy {

std::optional<std::string> migrate_contract_text(std::string_view text, const std::string& source) {
  auto contract = parse_contract(text, source);  // a contract that does not load is not migrated
  if (contract->schema_version >= 1) return std::nullopt;
  // Insert after the leading lines that carry no content: blank lines, comments, `%` directives, `---`.
  size_t position = text.starts_with("\xEF\xBB\xBF") ? 3 : 0;
  while (position < text.size()) {
    const size_t end = text.find('\n', position);
    const std::string_view line = text.substr(position, end == std::string_view::npos ? std::string_view::npos : end - position);
    const size_t first = line.find_first_not_of(" \t\r");
    const bool empty = first == std::string_view::npos;
    if (!empty && line[first] != '#' && line[first] != '%' && !line.starts_with("---")) {
      if (line[first] == '{') {
        throw ContractError(ContractErrorKind::invalid_value, source, 0, 0, "a flow-style contract (`{filename: ...}`) cannot be migrated line by line",
                            "add `importspy: 1` to the mapping by hand");
      }
      break;
    }
    if (end == std::string_view::npos) {
      position = text.size();
      break;
    }
    position = end + 1;
  }
  std::string migrated(text.substr(0, position));
  if (!migrated.empty() && migrated.back() != '\n') migrated += '\n';
  migrated += "importspy: 1\n";
  migrated += text.substr(position);
  // The result must load, as schema 1, before anyone writes it anywhere.
  if (parse_contract(migrated, source)->schema_version != 1) {
    throw ContractError(ContractErrorKind::invalid_value, source, 0, 0, "the migrated contract does not read as schema 1", "add `importspy: 1` by hand");
  }
  return migrated;
}

}  // namespace importspy
