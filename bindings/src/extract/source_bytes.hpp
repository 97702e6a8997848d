#pragma once
// Python source files as the interpreter reads them: the bytes of a file read once, then decoded exactly
// as CPython decodes source (UTF-8 BOM, PEP 263 coding cookie on line 1 or 2), so that the text checked is
// the program that runs. The C++ source reader of issue 12 will take this over; the interface stays
// bytes in, UTF-8 text or a SourceError out.

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

namespace importspy::bindings {

// The whole content of the regular file `path`, read in one pass. Never blocks on a FIFO or a device
// (opened non-blocking, its type checked before reading). Throws SourceError naming the file when it is
// missing, unreadable, a folder, not a regular file, or larger than `max_bytes`.
std::string read_source_file(const std::filesystem::path& path, std::size_t max_bytes);

// `bytes` decoded as CPython decodes a source file (importlib.util.decode_source, tokenize.detect_encoding):
// a UTF-8 BOM, else a coding cookie on line 1 (or line 2 after a blank or comment line), else UTF-8.
// Returns UTF-8 text without the BOM. Throws SourceError (file, line, column) for an unknown encoding, a
// cookie that contradicts a BOM, or bytes that are not valid in the declared encoding. Encodings other
// than UTF-8 are decoded by Python's codecs: the caller holds the GIL.
std::string decode_python_source(std::string_view bytes, const std::string& filename);

}  // namespace importspy::bindings
