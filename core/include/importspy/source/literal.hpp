#pragma once
// Values of Python literals from their tokens: numbers and strings as Python evaluates them.

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "importspy/lang/value.hpp"
#include "importspy/source/token.hpp"

namespace importspy {

// The value of a NUMBER token's text: int (big ones as decimal text), float, or an opaque complex.
Value number_value(std::string_view text);

// The value of adjacent STRING tokens (implicit concatenation): a str, an opaque bytes, or unknown
// (an f-string, a `\N{...}` escape, str and bytes mixed).
Value strings_value(std::span<const Token> tokens, std::string_view source);

}  // namespace importspy
