#pragma once
// Where a cursor is in YAML text being typed, read from indentation alone (the text need not parse): the
// keys of the mappings around it, and whether a key or a value is being written. For editors' completion.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "importspy/util/text_position.hpp"

namespace importspy {

struct YamlPlace {
  std::vector<std::string> parents;   // the keys of the enclosing mappings, outermost first (no list indices)
  std::vector<std::string> siblings;  // the keys already written in the mapping the cursor is in
  bool value = false;                 // `key: |`: a value of `key` is being written
  std::string key;                    // that key (when `value`)
};

// The place of `at` in `text`; nullopt where neither a key (`  ke|`, `  - ke|`) nor a value (`key: |`) is
// being written (inside a word that is not a key, after a value's first word, in a comment, ...).
std::optional<YamlPlace> yaml_place(std::string_view text, TextPosition at);

// The end (byte offset in `line`) of the YAML token that starts at byte `start`: a quoted scalar to its
// closing quote, a key (`key`) to its `:`, a plain value to the end of the line less a comment, or to a
// `,`, `]` or `}` that ends it in a flow collection.
std::size_t yaml_token_end(std::string_view line, std::size_t start, bool key);

}  // namespace importspy
