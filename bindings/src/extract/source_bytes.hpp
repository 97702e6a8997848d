#pragma once
// Python source files as the interpreter reads them: the bytes of a file read once, then decoded exactly
// as CPython decodes source (line ends, UTF-8 BOM, PEP 263 coding declaration on line 1 or 2), so that the
// text checked is the program that runs: one decoder, the reader's, for every path.

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

namespace importspy::bindings {

// The whole content of the regular file `path`, read in one pass. Never blocks on a FIFO or a device
// (opened non-blocking, its type checked before reading). Throws SourceError naming the file when it is
// missing, unreadable, a folder, not a regular file, or larger than `max_bytes`.
std::string read_source_file(const std::filesystem::path& path, std::size_t max_bytes);

// `bytes` decoded as compile() decodes a module's source, by the reader's own decoder (decode_source):
// line ends, a UTF-8 BOM, a coding declaration on line 1 (or line 2 after a blank or comment line), else
// UTF-8. Returns UTF-8 text without the BOM, line ends translated to '\n'. Throws SourceError (file, line,
// column) for an unknown encoding or one that cannot be decoded exactly as Python does (multi-byte,
// stateful), a declaration that contradicts a BOM, and bytes not valid in the declared encoding.
std::string decode_python_source(std::string_view bytes, const std::string& filename);

}  // namespace importspy::bindings
