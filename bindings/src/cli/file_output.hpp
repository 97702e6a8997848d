#pragma once
// Files the command line writes (reports with -o, lock files, contracts, starter policies): never half a
// file, and never through a file or symbolic link planted in the folder (committed to a repository).

#include <string>

namespace importspy::bindings {

enum class ExistingFile {
  replace,  // a file already at the path is replaced (renamed over)
  keep,     // anything at the path (a file, a folder, a link, even a dangling one) makes the write fail
};

// Writes `text` to `path` under an unpredictable, exclusively created temporary name (mkstemp) in the
// same folder, with the permissions of an ordinary new file, then moves it into place. False when any
// step fails; the temporary file is then removed.
bool write_whole_file(const std::string& path, const std::string& text, ExistingFile existing);

}  // namespace importspy::bindings
