#include "importspy/util/text_position.hpp"

#include <algorithm>

namespace importspy {

int utf16_length(std::string_view bytes) {
  int units = 0;
  for (std::size_t i = 0; i < bytes.size();) {
    const auto lead = static_cast<unsigned char>(bytes[i]);
    std::size_t width = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    if (i + width > bytes.size()) width = 1;
    units += width == 4 ? 2 : 1;  // a code point above U+FFFF is a surrogate pair
    i += width;
  }
  return units;
}

LineIndex::LineIndex(std::string_view text) : text_(text) {
  starts_.push_back(0);
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
    if (text[i] == '\n' || text[i] == '\r') starts_.push_back(i + 1);
  }
}

std::string_view LineIndex::line(int line) const {
  if (line < 0 || static_cast<std::size_t>(line) >= starts_.size()) return {};
  const std::size_t start = starts_[static_cast<std::size_t>(line)];
  std::size_t end = static_cast<std::size_t>(line) + 1 < starts_.size() ? starts_[static_cast<std::size_t>(line) + 1] : text_.size();
  while (end > start && (text_[end - 1] == '\n' || text_[end - 1] == '\r')) --end;
  return text_.substr(start, end - start);
}

TextPosition LineIndex::position(SourceMark mark) const {
  if (mark.line <= 0) return {};
  const int line = std::min(mark.line - 1, static_cast<int>(starts_.size()) - 1);
  const std::string_view text = this->line(line);
  const std::size_t bytes = std::min<std::size_t>(mark.column > 0 ? static_cast<std::size_t>(mark.column - 1) : 0, text.size());
  return {line, utf16_length(text.substr(0, bytes))};
}

std::size_t LineIndex::offset(TextPosition position) const {
  if (position.line < 0) return 0;
  if (static_cast<std::size_t>(position.line) >= starts_.size()) return text_.size();
  const std::string_view text = line(position.line);
  std::size_t i = 0;
  int units = 0;
  while (i < text.size() && units < position.character) {
    const auto lead = static_cast<unsigned char>(text[i]);
    std::size_t width = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    if (i + width > text.size()) width = 1;
    units += width == 4 ? 2 : 1;
    i += width;
  }
  return starts_[static_cast<std::size_t>(position.line)] + i;
}

TextPosition LineIndex::position_of_offset(std::size_t offset) const {
  offset = std::min(offset, text_.size());
  const auto it = std::upper_bound(starts_.begin(), starts_.end(), offset);
  const int line = static_cast<int>(it - starts_.begin()) - 1;
  const std::size_t start = starts_[static_cast<std::size_t>(line)];
  const std::string_view text = this->line(line);
  return {line, utf16_length(text.substr(0, std::min(offset - start, text.size())))};
}

}  // namespace importspy
