#pragma once
// A place in a text file that people can find: contracts and module sources alike.

namespace importspy {

// 1-based line and column (in bytes); 0 when unknown.
struct SourceMark {
  int line = 0;
  int column = 0;
};

}  // namespace importspy
