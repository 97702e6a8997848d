#pragma once
// What an editor asks of contract text while it is being typed (`importspy lsp`): where each key is, what
// may be written at a place, and what a key means. Works on text that is not (yet) a valid contract.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "importspy/util/text_position.hpp"

namespace importspy {

// One mapping key of a contract's YAML, with its scalar value when it has one.
struct ContractKey {
  std::string path;               // `classes[0].methods[1].name`
  std::vector<std::string> keys;  // the keys only: classes, methods, name
  TextRange key_range;
  std::optional<std::string> value;  // a scalar value, as YAML reads it
  TextRange value_range;             // where that scalar is written (empty when none)
  // The definition of the module that the entry holding this key governs: `run` (a function), `Plugin`
  // (a class), `Plugin.run` (a method), `Plugin.name` (an attribute), `api_level` (a variable); for an
  // argument entry, the function or method it belongs to. Empty for keys of other entries.
  std::string definition;
  std::string definition_kind;  // function, class, method, attribute, variable, argument, or empty
};

// The range of the YAML token (key or scalar) at `mark` in `text`: a quoted scalar to its closing quote, a
// key to its colon, a plain value to the end of its line less a comment. An unknown mark (line 0): the
// first line.
TextRange token_range(std::string_view text, SourceMark mark);

// Every key of `text`, in document order; empty when the text is not YAML.
std::vector<ContractKey> contract_outline(std::string_view text);

struct CompletionCandidate {
  std::string label;
  std::string detail;         // `key: list`, `architecture`, ...
  std::string documentation;  // one line, from the key's documentation
  bool is_key = true;         // a key (inserted as `label: `) or a value
};

// What may be written at `at` in the contract `text`: the keys the schema allows in the mapping the cursor
// is in (less those already written there), or the values of the key before the cursor (enumerations of
// the schema, and the canonical architectures, systems and interpreters). Reads the indentation of the
// lines above, so it works on text that does not parse yet.
std::vector<CompletionCandidate> complete_contract(std::string_view text, TextPosition at);

struct KeyDocumentation {
  std::string summary;  // one or two sentences
  std::string anchor;   // the section of docs/contract-language.md, e.g. `#classes`
};

// The documentation of the key `keys.back()` reached along `keys` (names only, no indices); nullopt for a
// key the contract language does not have.
std::optional<KeyDocumentation> key_documentation(const std::vector<std::string>& keys);

}  // namespace importspy
