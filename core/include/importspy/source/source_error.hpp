#pragma once
// Why a Python source cannot be read: undecodable bytes, or text that is not Python. Raised by the
// decoder, the tokenizer and the reader alike, always with a place (file, 1-based line and column).

#include <cstddef>
#include <string>
#include <string_view>

#include "importspy/util/located_error.hpp"
#include "importspy/util/source_mark.hpp"

namespace importspy {

class SourceReadError : public LocatedError {
public:
  enum class Kind {
    encoding,  // the bytes cannot be decoded as the source declares (PEP 263) or as UTF-8
    syntax,    // the text is not Python (tokens or statements)
    limit,     // valid Python past a bound the reader keeps against hostile input (inheritance)
  };

  // what() reads `file:line:column: message`; message() is the message alone.
  SourceReadError(Kind kind, const std::string& file, int line, int column, const std::string& message)
      : LocatedError(file, line, column,
                     file + (line > 0 ? ":" + std::to_string(line) + ":" + std::to_string(column) : std::string()) + ": " + message),
        kind_(kind),
        message_(message) {}

  Kind kind() const { return kind_; }
  const std::string& message() const { return message_; }

private:
  Kind kind_;
  std::string message_;
};

// The 1-based line and column of byte `offset` in UTF-8 `text`, the column counted in characters (code
// points) as CPython counts SyntaxError offsets. Lines end at '\n', '\r\n' or a lone '\r'.
SourceMark character_mark(std::string_view text, std::size_t offset);

}  // namespace importspy
