#pragma once
// What a module writes while it is imported (runtime mode), kept out of the stream the report goes to.

#include <string>

#include "importspy/report/batch.hpp"

namespace importspy::bindings {

// While alive, file descriptors 1 and 2 — and so print(), sys.stdout, sys.stderr, os.write(1, ...) and C
// code alike — write into anonymous in-memory files instead of the process's standard output and error.
// Needs the GIL (it flushes sys.stdout and sys.stderr). Restores both descriptors when finished or
// destroyed, whatever the import did.
class OutputCapture {
public:
  OutputCapture();
  ~OutputCapture();
  OutputCapture(const OutputCapture&) = delete;
  OutputCapture& operator=(const OutputCapture&) = delete;

  // Restores the descriptors and returns what was written (each stream up to 1 MiB, then a note).
  PrintedOutput finish();

private:
  struct Stream {
    int target = -1;    // 1 or 2
    int saved = -1;     // the original, dup()ed
    int capture = -1;   // the anonymous file written instead
  };
  Stream streams_[2];
  bool finished_ = false;
};

}  // namespace importspy::bindings
