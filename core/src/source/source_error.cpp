#include "importspy/source/source_error.hpp"

namespace importspy {

SourceMark character_mark(std::string_view text, std::size_t offset) {
  SourceMark at{1, 1};
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n' || (c == '\r' && (i + 1 >= text.size() || text[i + 1] != '\n'))) {
      ++at.line;
      at.column = 1;
    } else if (c == '\r') {
      // the '\r' of "\r\n": the '\n' ends the line
    } else if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
      ++at.column;  // continuation bytes belong to the character already counted
    }
  }
  return at;
}

}  // namespace importspy
