#pragma once
// An error about a place in a file: what every user-facing error of the engine carries.

#include <stdexcept>
#include <string>

namespace importspy {

class LocatedError : public std::runtime_error {
public:
  // `line` and `column` are 1-based; 0 when the error concerns the whole file.
  LocatedError(std::string file, int line, int column, const std::string& what)
      : std::runtime_error(what), file_(std::move(file)), line_(line), column_(column) {}

  const std::string& file() const { return file_; }
  int line() const { return line_; }
  int column() const { return column_; }

private:
  std::string file_;
  int line_;
  int column_;
};

}  // namespace importspy
