#pragma once
// "Did you mean ...?" for misspelled keys and names.

#include <optional>
#include <span>
#include <string_view>

namespace importspy {

// The candidate closest to `word` by edit distance (transpositions count as one edit), if it is close
// enough to be a plausible typo: at most one edit for short words, about a third of the length otherwise.
// Comparison ignores ASCII case.
std::optional<std::string_view> closest_match(std::string_view word, std::span<const std::string_view> candidates);

}  // namespace importspy
