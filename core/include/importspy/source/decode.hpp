#pragma once
// Bytes of a Python source file → the UTF-8 text that CPython would tokenize: line ends, BOM, PEP 263
// coding declarations and codecs decided exactly as compile() decides them, so that the text we check is
// the text Python runs. A codec ImportSpy cannot reproduce exactly (multi-byte, stateful: utf-7, gb18030)
// is refused, never approximated; single-byte codecs use Python's own tables (codec_table.inc).

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace importspy {

class DecodedSource {
public:
  // The text, UTF-8, without BOM, its line ends '\n' as compile() translates them ("\r\n" and a lone
  // '\r'). When no conversion was needed this views the caller's bytes, which must then outlive this object.
  std::string_view text() const { return owned_ ? std::string_view(*owned_) : borrowed_; }
  // The codec used: "utf-8", "iso-8859-1", or CPython's codec module name ("koi8_r", "utf_7", ...).
  const std::string& encoding() const { return encoding_; }
  // The declaration's name as written (`# -*- coding: Latin-1 -*-` → "Latin-1"), when there is one.
  const std::optional<std::string>& declared() const { return declared_; }
  bool had_bom() const { return bom_; }
  // True when the text is UTF-8 as declared (or by default) but holds invalid bytes. CPython's
  // compile() decodes only tokens, so such bytes are an error in a name or string but allowed in a
  // comment: the tokenizer must then check every other token (Tokenizer's `check_utf8`).
  bool utf8_unchecked() const { return utf8_unchecked_; }

private:
  friend DecodedSource decode_source(std::string_view bytes, const std::string& filename);
  std::string_view borrowed_;
  std::optional<std::string> owned_;
  std::string encoding_ = "utf-8";
  std::optional<std::string> declared_;
  bool bom_ = false;
  bool utf8_unchecked_ = false;
};

// Decodes `bytes` as CPython's compile() does for a module's source. Throws SourceReadError (kind
// encoding) for: BOM with a declaration other than utf-8, an unknown encoding, a codec that cannot be
// reproduced exactly (at the declaration's line and column), bytes invalid in the declared encoding, a
// carriage return that only a codec produces, and NUL characters. Invalid UTF-8 without a declaration (or with
// one CPython normalises to utf-8) is left to the tokenizer: see utf8_unchecked().
DecodedSource decode_source(std::string_view bytes, const std::string& filename);

// CPython's name for a declared encoding as its tokenizer normalises it: utf_8, UTF-8-sig → "utf-8";
// latin-1, iso_8859_1, iso-latin-1 (and their "-suffixed" forms) → "iso-8859-1"; anything else as
// written (then resolved like codecs.lookup: lower case, punctuation runs to '_', aliases).
std::string normal_encoding_name(std::string_view declared);

// Raises the error for invalid UTF-8 at byte `offset` of `text` (`declared`: a declaration said UTF-8).
[[noreturn]] void fail_invalid_utf8(const std::string& file, std::string_view text, std::size_t offset, bool declared);

}  // namespace importspy
