#pragma once
// Places in a text as editors count them (the Language Server Protocol): 0-based lines, and characters in
// UTF-16 code units, beside the engine's own marks (1-based lines, 1-based byte columns).

#include <cstddef>
#include <string_view>
#include <vector>

#include "importspy/util/source_mark.hpp"

namespace importspy {

struct TextPosition {
  int line = 0;       // 0-based
  int character = 0;  // 0-based, UTF-16 code units
};

struct TextRange {
  TextPosition start;
  TextPosition end;
};

// The lines of one text, for converting between byte offsets, SourceMarks and TextPositions. Lines end at
// "\n", "\r\n" or "\r", as both YAML and Python count them. The text must outlive the index.
class LineIndex {
public:
  explicit LineIndex(std::string_view text);

  std::size_t line_count() const { return starts_.size(); }
  // Line `line` (0-based) without its line break; empty past the end.
  std::string_view line(int line) const;
  // A SourceMark (1-based line, 1-based byte column; 0: unknown) as a position; unknown → the text's start.
  TextPosition position(SourceMark mark) const;
  // The byte offset of `position` (clamped to its line, and to the text).
  std::size_t offset(TextPosition position) const;
  // The position of byte `offset` (clamped to the text).
  TextPosition position_of_offset(std::size_t offset) const;

private:
  std::string_view text_;
  std::vector<std::size_t> starts_;  // byte offset of each line's start
};

// UTF-16 code units of the UTF-8 text `bytes` (a malformed byte counts as one unit).
int utf16_length(std::string_view bytes);

}  // namespace importspy
