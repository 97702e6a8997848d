#include "importspy/source/decode.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>

#include "importspy/source/source_error.hpp"
#include "importspy/util/ascii.hpp"
#include "importspy/util/utf8.hpp"

namespace importspy {
namespace {

constexpr char32_t kNoChar = 0xFFFFFFFF;
// A codec CPython can find for a declaration: a single-byte `table` of Python's own decoding, decoded
// natively (utf-8, latin-1: neither table nor reason), or `refused` with the reason.
struct Codec {
  const char* name;
  const char32_t* table;
  const char* refused;
};
struct CodecAlias {
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

// The 1-based line and byte column of `offset` in bytes of an ASCII-compatible encoding whose line ends
// are '\n' only (after translate_newlines()).
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

// CPython's get_coding_spec(): a declaration counts only inside a comment that is alone on its line;
// "coding" must be followed by ':' or '=', blanks, then a name of [A-Za-z0-9-_.] (ASCII only). An empty
// name lets the search go on. Note that the C tokenizer, not the documented regex, decides: the
// regex's `\w` would also accept non-ASCII letters. `line` is as CPython passes it: line 1 without its
// line end, line 2 with its '\n'.
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
    while (t < line.size() && (ascii::is_alnum(line[t]) || line[t] == '-' || line[t] == '_' || line[t] == '.')) ++t;
    if (t > begin) return line.substr(begin, t - begin);
  }
  return std::nullopt;
}

// A line 1 with nothing but blanks and possibly a comment lets CPython look at line 2 too.
bool blank_or_comment(std::string_view line) {
  for (char c : line) {
    if (c == '#' || c == '\n' || c == '\r') return true;
    if (c != ' ' && c != '\t' && c != '\f') return false;
  }
  return true;
}

// CPython's translate_newlines(), which compile() applies to the bytes before it looks for a declaration
// or decodes: "\r\n" and a lone '\r' become '\n', and a '\n' ends the text when it has none.
std::string translate_newlines(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() + 1);
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (bytes[i] == '\r') {
      out += '\n';
      if (i + 1 < bytes.size() && bytes[i + 1] == '\n') ++i;
    } else {
      out += bytes[i];
    }
  }
  if (!out.empty() && out.back() != '\n') out += '\n';
  return out;
}

// The end of the line that starts at `from` (the offset of its '\n', '\r' or "\r\n"), and the offset of
// the next line's start: lines as CPython counts them after translate_newlines().
struct LineEnd {
  std::size_t end, next;
};
LineEnd line_end(std::string_view bytes, std::size_t from) {
  const std::size_t end = std::min(bytes.find('\n', from), bytes.find('\r', from));
  if (end == std::string_view::npos) return {bytes.size(), bytes.size()};
  return {end, end + (bytes[end] == '\r' && end + 1 < bytes.size() && bytes[end + 1] == '\n' ? 2 : 1)};
}

// encodings.normalize_encoding after codecs.lookup's lower-casing: runs of characters other than ASCII
// letters, digits and '.' become one '_', none at either end.
std::string python_codec_key(std::string_view name) {
  std::string out;
  bool punct = false;
  for (char c : name) {
    if (ascii::is_alnum(c) || c == '.') {
      if (punct && !out.empty()) out += '_';
      out += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
      punct = false;
    } else {
      punct = true;
    }
  }
  return out;
}

const Codec* find_codec(std::string_view module) {
  for (const auto& codec : kCodecs) {
    if (module == codec.name) return &codec;
  }
  return nullptr;
}

// The codec module codecs.lookup() would find for `name`, or nullptr for an unknown encoding.
const Codec* lookup_codec(std::string_view name) {
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
  for (char ch : bytes) append_utf8(out, static_cast<unsigned char>(ch));
  return out;
}

// `bytes` (already through translate_newlines(), as CPython decodes them) through a single-byte table.
std::string table_to_utf8(std::string_view bytes, const Codec& codec, const std::string& declared, const std::string& file) {
  std::string out;
  out.reserve(bytes.size() + bytes.size() / 4);
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    const auto byte = static_cast<unsigned char>(bytes[i]);
    const char32_t c = codec.table[byte];
    if (c == kNoChar) {
      fail(file, byte_mark(bytes, i),
           "the source declares encoding " + declared + " (Python codec " + codec.name + "), but byte " + hex_byte(byte) +
               " is not defined in it; fix the byte or the declaration");
    }
    append_utf8(out, c);
  }
  return out;
}

bool is_base64(unsigned char c) { return ascii::is_alnum(c) || c == '+' || c == '/'; }

unsigned from_base64(unsigned char c) {
  return c >= 'A' && c <= 'Z' ? c - 'A' : c >= 'a' && c <= 'z' ? c - 'a' + 26 : c >= '0' && c <= '9' ? c - '0' + 52 : c == '+' ? 62 : 63;
}

// `bytes` (already through translate_newlines()) as CPython's strict UTF-7 decoder reads them
// (PyUnicode_DecodeUTF7Stateful): ASCII other than '+' as itself, "+-" as '+', base64 runs as UTF-16
// ended by any other byte ('-' absorbed). What CPython rejects is refused: bytes above 0x7F, "+" before
// a byte that is neither base64 nor '-', leftover or nonzero padding bits, and surrogates left unpaired
// (compile() fails on them when it re-encodes the text as UTF-8).
std::string utf7_to_utf8(std::string_view bytes, const std::string& declared, const std::string& file) {
  std::string out;
  out.reserve(bytes.size());
  const auto refuse = [&](std::size_t at, const std::string& what) {
    fail(file, byte_mark(bytes, at), "the source declares encoding " + declared + " (UTF-7), but " + what + "; Python cannot decode it either");
  };
  bool in_shift = false;
  std::size_t shift_start = 0;
  unsigned bits = 0;
  std::uint32_t buffer = 0;
  char32_t surrogate = 0;
  std::size_t i = 0;
  while (i < bytes.size()) {
    const auto c = static_cast<unsigned char>(bytes[i]);
    if (in_shift) {
      if (is_base64(c)) {
        buffer = (buffer << 6) | from_base64(c);
        bits += 6;
        ++i;
        if (bits >= 16) {
          const auto unit = static_cast<char32_t>(buffer >> (bits - 16));
          bits -= 16;
          buffer &= (1u << bits) - 1;
          if (surrogate) {
            if (unit < 0xDC00 || unit > 0xDFFF) refuse(shift_start, "a base64 run holds a high surrogate without its low half");
            append_utf8(out, 0x10000 + ((surrogate - 0xD800) << 10) + (unit - 0xDC00));
            surrogate = 0;
          } else if (unit >= 0xD800 && unit <= 0xDBFF) {
            surrogate = unit;
          } else if (unit >= 0xDC00 && unit <= 0xDFFF) {
            refuse(shift_start, "a base64 run holds a low surrogate without its high half");
          } else {
            append_utf8(out, unit);
          }
        }
        continue;
      }
      in_shift = false;
      if (bits >= 6) refuse(i, "the base64 run ends inside a character");
      if (bits > 0 && buffer != 0) refuse(i, "the base64 run ends with nonzero padding bits");
      if (surrogate) refuse(shift_start, "a base64 run ends with a high surrogate without its low half");
      if (c == '-') ++i;  // absorbed; any other byte ends the run and is read again below
      continue;
    }
    if (c == '+') {
      shift_start = i++;
      if (i < bytes.size() && bytes[i] == '-') {
        out += '+';
        ++i;
      } else if (i < bytes.size() && !is_base64(static_cast<unsigned char>(bytes[i]))) {
        refuse(shift_start, "'+' is followed by " + hex_byte(static_cast<unsigned char>(bytes[i])) + ", neither base64 nor '-'");
      } else {
        in_shift = true;
        bits = 0;
        buffer = 0;
        surrogate = 0;
      }
    } else if (c < 0x80) {
      out += static_cast<char>(c);
      ++i;
    } else {
      refuse(i, "byte " + hex_byte(c) + " is not ASCII");
    }
  }
  if (in_shift && (surrogate || bits >= 6 || (bits > 0 && buffer != 0))) refuse(shift_start, "a base64 run is not terminated");
  return out;
}

// Where a declaration was found: its name as written, and its line (1 or 2; column 1, the comment's line).
struct Declaration {
  std::string_view name;
  SourceMark at;
};

// PEP 263 as compile() applies it: the bytes' line ends translated first, then line 1, and line 2 when
// line 1 holds only blanks or a comment. A line that ends with a lone '\r' is a line (utf-7 attacks).
std::optional<Declaration> find_declaration(std::string_view body) {
  if (body.empty()) return std::nullopt;
  const LineEnd first = line_end(body, 0);
  const std::string_view line1 = body.substr(0, first.end);  // CPython passes line 1 without its '\n'
  if (const auto spec = coding_spec(line1)) return Declaration{*spec, {1, 1}};
  // Line 2 exists once anything follows line 1: compile() ends the text with a '\n' when it has none.
  if (!blank_or_comment(line1) || first.next >= body.size()) return std::nullopt;
  const LineEnd second = line_end(body, first.next);
  std::string line2(body.substr(first.next, second.end - first.next));
  line2 += '\n';  // and line 2 with it
  if (const auto spec = coding_spec(line2)) {
    const std::size_t column = static_cast<std::size_t>(spec->data() - line2.data());
    return Declaration{body.substr(first.next + column, spec->size()), {2, 1}};
  }
  return std::nullopt;
}

}  // namespace

void fail_invalid_utf8(const std::string& file, std::string_view text, std::size_t offset, bool declared) {
  fail(file, character_mark(text, offset),
       "expected UTF-8 text" + std::string(declared ? " as declared" : " (no other encoding is declared, PEP 263)") + ", found byte " +
           hex_byte(static_cast<unsigned char>(text[offset])) + " that does not start a valid UTF-8 character");
}

bool has_codec_support() { return true; }

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
  const std::optional<Declaration> declaration = find_declaration(body);
  std::string encoding = "utf-8";
  SourceMark at{1, 1};
  if (declaration) {
    result.declared_ = std::string(declaration->name);
    at = declaration->at;
    encoding = normal_encoding_name(declaration->name);
    if (result.bom_ && encoding != "utf-8") {
      fail(filename, at, "encoding problem: the file starts with a UTF-8 byte order mark but declares encoding " + encoding +
                             " (expected no declaration or utf-8)");
    }
  }

  const Codec* codec = nullptr;
  bool through_registry = false;
  if (encoding != "utf-8" && encoding != "iso-8859-1") {
    codec = lookup_codec(encoding);
    if (!codec) {
      fail(filename, at, "unknown encoding: " + encoding + " in the coding declaration (line " + std::to_string(at.line) +
                             "); Python cannot import this file either: declare an encoding Python knows, or utf-8");
    }
    const std::string_view name = codec->name;
    if (name == "utf_8" || name == "utf_8_sig") {
      encoding = "utf-8";
      through_registry = true;
      codec = nullptr;
    } else if (name == "latin_1") {
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
    // Line ends as compile() reads them: the text is copied only when it holds a '\r'.
    if (body.find('\r') != std::string_view::npos) {
      std::string text = translate_newlines(body);
      if (!body.ends_with('\r') && !body.ends_with('\n') && !text.empty()) text.pop_back();  // no '\n' added at the end
      result.owned_ = std::move(text);
    } else {
      result.borrowed_ = body;
    }
  } else if (encoding == "iso-8859-1") {
    result.owned_ = latin1_to_utf8(translate_newlines(body));
  } else if (encoding == "utf_7") {
    result.owned_ = utf7_to_utf8(translate_newlines(body), *result.declared_, filename);
  } else if (codec->table) {
    result.owned_ = table_to_utf8(translate_newlines(body), *codec, *result.declared_, filename);
  } else {
    fail(filename, at,
         "the coding declaration names " + *result.declared_ + " (Python codec " + codec->name +
             "), which ImportSpy cannot decode exactly as Python does (" + codec->refused +
             "), so the text it would check might not be the program Python runs; save the file as UTF-8 and declare utf-8 or nothing");
  }

  const std::string_view text = result.text();
  if (codec && text.find('\r') != std::string_view::npos) {
    // CPython decodes after it has turned line ends into '\n': a CR that only the codec makes (UTF-7's
    // `+AA0-`) is read differently by each CPython (3.10: a syntax error; 3.12: a line end before '\n').
    fail(filename, character_mark(text, text.find('\r')),
         "the source declares encoding " + *result.declared_ + ", which decodes to a carriage return here; CPython 3.10 to 3.13 do not read "
         "that alike, so ImportSpy refuses it: save the file as UTF-8");
  }
  if (const std::size_t nul = text.find('\0'); nul != std::string_view::npos) {
    fail(filename, character_mark(text, nul), "source code cannot contain null bytes (found a NUL character)");
  }
  return result;
}

}  // namespace importspy
