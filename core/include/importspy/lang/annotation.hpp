#pragma once
// Canonical form of Python type annotations, so that equivalent spellings compare equal.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace importspy {

struct AnnotationSyntaxError {
  std::size_t offset = 0;  // byte offset into the annotation text
  std::string message;
};

// Longer annotation text is refused (an AnnotationSyntaxError at that offset); nothing real comes near.
inline constexpr std::size_t kMaxAnnotationBytes = 64u << 10;

// The canonical text of an annotation expression, or nullopt (and `error` filled) when the text is not a
// Python annotation expression. Rules: `typing.`/`typing_extensions.`/`builtins.`/`collections.abc.`
// prefixes are dropped; List/Dict/Set/FrozenSet/Tuple/Type/Deque/DefaultDict become their builtin
// names; Text is str; NoneType is None; Optional[X] and Union[...] become `A | B` with members flattened,
// deduplicated and sorted (None last); quoted forward references are replaced by what they quote
// (except inside Literal[...]); Literal members are sorted; white space is normalised.
std::optional<std::string> canonical_annotation(std::string_view text, AnnotationSyntaxError* error = nullptr);

// The canonical text when `text` parses, else `text` with white space folded: for annotations read from
// a module, which may hold anything.
std::string canonical_annotation_or_text(std::string_view text);

}  // namespace importspy
