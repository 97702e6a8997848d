#pragma once
// What `importspy lsp` asks of the engine (python/importspy/_lsp.py only carries the protocol): each answer
// is JSON text with positions as the Language Server Protocol counts them (0-based lines, UTF-16 units).

#include <optional>
#include <string>

namespace importspy::bindings {

// {"kind": "contract"|"policy", "schema": "...", "filename": its top-level `filename:` or null, "diagnostics": [{range, severity, code, message, hint}]}: the
// contract (or 0.5 policy) text `text` of the file `path` loaded as `check` loads it, then linted. An
// error (YAML syntax, an unknown key with its "did you mean", a wrong value) is severity 1, a lint finding 2.
std::string editor_contract_diagnostics(const std::string& text, const std::string& path);

// True when the file `path` with text `text` is a contract: named spymodel.yml (or *.spymodel.yml), mapped as
// a contract by the project settings found from its folder, or YAML whose top level has `importspy:` or
// `schema_version:`.
bool editor_is_contract(const std::string& path, const std::string& text);

// [{label, detail, documentation, kind: "key"|"value"}] at (line, character) of the contract text.
std::string editor_complete(const std::string& text, int line, int character);

// {range, markdown} for the key under (line, character), or "null".
std::string editor_hover(const std::string& text, const std::string& path, int line, int character);

// {"contract", "settings", "module"} of the mapping of the project settings that covers the module file
// `path`, or "null" when no settings or no mapping cover it.
std::string editor_governing_contract(const std::string& path);

// The module `module_text` (an unsaved buffer of the file `module_path`, read as source, never run) checked
// against the contract at `contract_path`, whose text is `contract_text` when the editor has it open:
// {"diagnostics": [{range, severity, code, message, hint, related: [{file, range, message}], data}],
//  "fixes": [{title, code, diagnostic, edits: [{range, text}]}]}.
std::string editor_check_module(const std::string& module_text, const std::string& module_path, const std::string& contract_path,
                                const std::optional<std::string>& contract_text);

// {"entries": [{range, definition, kind}], "definitions": {name: range}}: the contract's entries that govern
// definitions, and where those definitions are in the module.
std::string editor_links(const std::string& contract_text, const std::string& module_text, const std::string& module_path);

// A contract (YAML) that the module buffer satisfies, as `importspy generate` writes it.
std::string editor_generate(const std::string& module_text, const std::string& module_path);

// [{range, text}]: edits that set every pin of the contract (`integrity: {sha256}` and each `hash:`) to the
// module buffer's current values.
std::string editor_refresh_pins(const std::string& contract_text, const std::string& module_text, const std::string& module_path);

}  // namespace importspy::bindings
