#include "importspy/source/decode.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>

#include "importspy/source/source_error.hpp"
#include "importspy/util/utf8.hpp"

#if defined(__unix__) || defined(__APPLE__)
#include <iconv.h>
#define IMPORTSPY_HAVE_ICONV 1
#else
#define IMPORTSPY_HAVE_ICONV 0
#endif

namespace importspy {
namespace {

struct CodecName {
  const char* name;
  const char* target;
};
#include "codec_table.inc"

[[noreturn]] void fail(const std::string& file, SourceMark at, const std::string& message) {
  throw SourceReadError(SourceReadError::Kind::encoding, file, at.line, at.column, message);
}

std::string hex_byte(unsigned char c) {
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "0x%02X", c);
  return buffer;
}

// The 1-based line and byte column of `offset` in bytes of an ASCII-compatible encoding.
SourceMark byte_mark(std::string_view bytes, std::size_t offset) {
  SourceMark at{1, 1};
  for (std::size_t i = 0; i < offset && i < bytes.size(); ++i) {
    if (bytes[i] == '\n') {
      ++at.line;
      at.column = 1;
    } else {
      ++at.column;
    }
  }
  return at;
}

// first_invalid_utf8() with a fast path: sources are mostly ASCII, checked here 8 bytes at a time.
std::size_t first_invalid_utf8_fast(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    if (i + 8 <= text.size()) {
      std::uint64_t chunk;
      std::memcpy(&chunk, text.data() + i, 8);
      if ((chunk & 0x8080808080808080ULL) == 0) {
        i += 8;
        continue;
      }
    }
    if (static_cast<unsigned char>(text[i]) < 0x80) {
      ++i;
      continue;
    }
    // One multi-byte character: validated by the general routine on just its bytes.
    const std::size_t length = std::min<std::size_t>(4, text.size() - i);
    const std::string_view one = text.substr(i, length);
    const auto lead = static_cast<unsigned char>(one[0]);
    const std::size_t need = (lead & 0xE0) == 0xC0 ? 2 : (lead & 0xF0) == 0xE0 ? 3 : (lead & 0xF8) == 0xF0 ? 4 : 0;
    if (need == 0 || need > length || first_invalid_utf8(one.substr(0, need)) != std::string_view::npos) return i;
    i += need;
  }
  return std::string_view::npos;
}

bool is_ascii_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

// CPython's get_coding_spec(): a declaration counts only inside a comment that is alone on its line;
// "coding" must be followed by ':' or '=', blanks, then a name of [A-Za-z0-9-_.] (ASCII only). An empty
// name lets the search go on. Note that the C tokenizer, not the documented regex, decides: the
// regex's `\w` would also accept non-ASCII letters.
std::optional<std::string_view> coding_spec(std::string_view line) {
  std::size_t i = 0;
  // CPython stops its scans 6 bytes before the end of the line ("coding" must fit).
  const std::size_t limit = line.size() >= 6 ? line.size() - 6 : 0;
  for (; i < limit; ++i) {
    if (line[i] == '#') break;
    if (line[i] != ' ' && line[i] != '\t' && line[i] != '\f') return std::nullopt;
  }
  for (; i < limit; ++i) {
    if (line.compare(i, 6, "coding") != 0) continue;
    std::size_t t = i + 6;
    if (t >= line.size() || (line[t] != ':' && line[t] != '=')) continue;
    do {
      ++t;
    } while (t < line.size() && (line[t] == ' ' || line[t] == '\t'));
    const std::size_t begin = t;
    while (t < line.size() && (is_ascii_alnum(line[t]) || line[t] == '-' || line[t] == '_' || line[t] == '.')) ++t;
    if (t > begin) return line.substr(begin, t - begin);
  }
  return std::nullopt;
}

// A line with nothing but blanks and possibly a comment lets CPython look at the next line too.
bool blank_or_comment(std::string_view line) {
  for (char c : line) {
    if (c == '#' || c == '\n' || c == '\r') return true;
    if (c != ' ' && c != '\t' && c != '\f') return false;
  }
  return true;
}

// encodings.normalize_encoding after codecs.lookup's lower-casing: runs of characters other than ASCII
// letters, digits and '.' become one '_', none at either end.
std::string python_codec_key(std::string_view name) {
  std::string out;
  bool punct = false;
  for (char c : name) {
    if (is_ascii_alnum(c) || c == '.') {
      if (punct && !out.empty()) out += '_';
      out += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
      punct = false;
    } else {
      punct = true;
    }
  }
  return out;
}

const CodecName* find_codec(std::string_view module) {
  for (const auto& codec : kCodecs) {
    if (module == codec.name) return &codec;
  }
  return nullptr;
}

// The codec module codecs.lookup() would find for `name`, or nullptr for an unknown encoding.
const CodecName* lookup_codec(std::string_view name) {
  std::string key = python_codec_key(name);
  std::string dotless = key;
  std::replace(dotless.begin(), dotless.end(), '.', '_');
  for (const auto& alias : kAliases) {
    if (key == alias.name || dotless == alias.name) return find_codec(alias.target);
  }
  return find_codec(key);
}

std::string latin1_to_utf8(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() + bytes.size() / 8);
  for (char ch : bytes) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x80) {
      out += ch;
    } else {
      out += static_cast<char>(0xC0 | (c >> 6));
      out += static_cast<char>(0x80 | (c & 0x3F));
    }
  }
  return out;
}

#if IMPORTSPY_HAVE_ICONV
std::string iconv_to_utf8(std::string_view bytes, const CodecName& codec, const std::string& declared, const std::string& file) {
  iconv_t cd = iconv_open("UTF-8", codec.target);
  if (cd == reinterpret_cast<iconv_t>(-1)) {
    fail(file, {0, 0}, "encoding " + declared + " (Python codec " + codec.name + ") is not available on this system (iconv lacks " + codec.target + ")");
  }
  const std::unique_ptr<void, int (*)(iconv_t)> closer(cd, iconv_close);
  std::string out(bytes.size() * 4 + 16, '\0');
  // iconv's interface takes non-const pointers; it never writes through the input one.
  char* in = const_cast<char*>(bytes.data());
  std::size_t in_left = bytes.size();
  std::size_t done = 0;
  // One call per buffer-full; a final call with no input flushes a pending shift state (UTF-7, ISO-2022).
  bool flushing = false;
  while (true) {
    char* out_ptr = out.data() + done;
    std::size_t out_left = out.size() - done;
    const std::size_t r = flushing ? iconv(cd, nullptr, nullptr, &out_ptr, &out_left) : iconv(cd, &in, &in_left, &out_ptr, &out_left);
    done = static_cast<std::size_t>(out_ptr - out.data());
    if (r != static_cast<std::size_t>(-1)) {
      if (flushing) break;
      flushing = in_left == 0;
      continue;
    }
    if (errno == E2BIG) {
      out.resize(out.size() * 2);
      continue;
    }
    const std::size_t at = static_cast<std::size_t>(in - bytes.data());
    const std::string found = at < bytes.size() ? "byte " + hex_byte(static_cast<unsigned char>(bytes[at])) : "the end of the file";
    fail(file, byte_mark(bytes, at),
         "the source declares encoding " + declared + ", but " + found + (errno == EINVAL ? " ends an incomplete character" : " is not valid in it"));
  }
  out.resize(done);
  return out;
}
#endif

}  // namespace

void fail_invalid_utf8(const std::string& file, std::string_view text, std::size_t offset, bool declared) {
  fail(file, character_mark(text, offset),
       "expected UTF-8 text" + std::string(declared ? " as declared" : " (no other encoding is declared, PEP 263)") + ", found byte " +
           hex_byte(static_cast<unsigned char>(text[offset])) + " that does not start a valid UTF-8 character");
}

bool has_codec_support() { return IMPORTSPY_HAVE_ICONV != 0; }

std::string normal_encoding_name(std::string_view declared) {
  // CPython's get_normal_name(): it looks at the first 12 characters only.
  std::string head;
  for (std::size_t i = 0; i < declared.size() && i < 12; ++i) {
    const char c = declared[i];
    head += c == '_' ? '-' : static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  }
  const std::string_view h = head;
  if (h == "utf-8" || h.starts_with("utf-8-")) return "utf-8";
  for (std::string_view latin : {"latin-1", "iso-8859-1", "iso-latin-1"}) {
    if (h == latin || (h.starts_with(latin) && h.size() > latin.size() && h[latin.size()] == '-')) return "iso-8859-1";
  }
  return std::string(declared);
}

DecodedSource decode_source(std::string_view bytes, const std::string& filename) {
  DecodedSource result;
  std::string_view body = bytes;
  if (body.starts_with("\xEF\xBB\xBF")) {
    body.remove_prefix(3);
    result.bom_ = true;
  }
  // PEP 263: line 1, and line 2 when line 1 holds only blanks or a comment. CPython splits on '\n' only.
  std::optional<std::string_view> spec;
  const std::size_t end1 = body.find('\n');
  if (end1 != std::string_view::npos) {
    const std::string_view line1 = body.substr(0, end1 + 1);
    spec = coding_spec(line1);
    if (!spec && blank_or_comment(line1)) {
      const std::size_t end2 = body.find('\n', end1 + 1);
      if (end2 != std::string_view::npos) spec = coding_spec(body.substr(end1 + 1, end2 - end1));
    }
  }
  std::string encoding = "utf-8";
  if (spec) {
    result.declared_ = std::string(*spec);
    encoding = normal_encoding_name(*spec);
    if (result.bom_ && encoding != "utf-8") {
      fail(filename, {1, 1}, "encoding problem: the file starts with a UTF-8 byte order mark but declares encoding " + encoding +
                                 " (expected no declaration or utf-8)");
    }
  }

  const CodecName* codec = nullptr;
  bool through_registry = false;
  if (encoding != "utf-8" && encoding != "iso-8859-1") {
    codec = lookup_codec(encoding);
    if (!codec) fail(filename, {0, 0}, "unknown encoding: " + encoding);
    const std::string_view name = codec->name;
    if (name == "utf_8" || name == "utf_8_sig") {
      encoding = "utf-8";
      through_registry = true;
      codec = nullptr;
    } else if (name == "latin_1" || name == "iso8859_1") {
      encoding = "iso-8859-1";
      codec = nullptr;
    } else {
      encoding = codec->name;
    }
  }
  result.encoding_ = encoding;

  if (encoding == "utf-8") {
    if (through_registry) {
      // Spelled so that only the codec registry knows it is UTF-8 (`utf8`, `u8`): CPython then decodes
      // the whole text with the codec, comments included.
      if (const std::size_t bad = first_invalid_utf8_fast(body); bad != std::string_view::npos) fail_invalid_utf8(filename, body, bad, true);
    } else {
      result.utf8_unchecked_ = first_invalid_utf8_fast(body) != std::string_view::npos;
    }
    result.borrowed_ = body;
  } else if (encoding == "iso-8859-1") {
    result.owned_ = latin1_to_utf8(body);
  } else {
    if (!codec->target) {
      fail(filename, {0, 0},
           "encoding " + *result.declared_ + " (Python codec " + codec->name + ") is not supported by ImportSpy's source reader");
    }
#if IMPORTSPY_HAVE_ICONV
    result.owned_ = iconv_to_utf8(body, *codec, *result.declared_, filename);
#else
    fail(filename, {0, 0}, "encoding " + *result.declared_ + " needs iconv, which this platform lacks; only utf-8 and latin-1 are available");
#endif
  }

  const std::string_view text = result.text();
  if (const std::size_t nul = text.find('\0'); nul != std::string_view::npos) {
    fail(filename, character_mark(text, nul), "source code cannot contain null bytes (found a NUL character)");
  }
  if (codec) {
    // What a codec produced must be UTF-8 like any other text (iconv never yields surrogates, but
    // this keeps the tokenizer's assumption explicit).
    if (const std::size_t bad = first_invalid_utf8_fast(text); bad != std::string_view::npos) {
      fail(filename, character_mark(text, bad), "decoding with " + encoding + " produced invalid UTF-8");
    }
  }
  return result;
}

}  // namespace importspy
