#pragma once
// ImportSpy 0.x contract text → the versioned schema (`importspy: 1`), losing nothing.

#include <optional>
#include <string>
#include <string_view>

namespace importspy {

// Schema 1 reads every 0.x contract the same way, so migrating adds `importspy: 1` after the leading
// comments and directives and changes nothing else: comments, order and formatting are kept. Returns
// nullopt when `text` is already versioned. Throws ContractError when the input is not a valid contract,
// or is a flow-style mapping (`{filename: ...}`) that a line cannot be added to.
std::optional<std::string> migrate_contract_text(std::string_view text, const std::string& source);

}  // namespace importspy
