#pragma once
// UTF-8 validation with a position people can find: for contracts and module sources alike.

#include <cstddef>
#include <string>
#include <string_view>

#include "importspy/util/source_mark.hpp"

namespace importspy {

// The byte offset of the first byte that is not valid UTF-8 (overlong forms and surrogates included),
// or std::string_view::npos when the whole text is valid.
std::size_t first_invalid_utf8(std::string_view text);

// Appends the UTF-8 form of a code point (surrogates included, as Python's "surrogatepass" writes them).
void append_utf8(std::string& out, char32_t code_point);

// The 1-based line and column (in bytes) of `offset` in `text`.
SourceMark mark_at_offset(std::string_view text, std::size_t offset);

}  // namespace importspy
