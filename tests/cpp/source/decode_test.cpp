// Decoding follows CPython's tokenizer; every expectation here was checked with compile(bytes) on
// CPython 3.8 and 3.12.
#include "importspy/source/decode.hpp"

#include <gtest/gtest.h>

#include <string>

#include "importspy/source/source_error.hpp"
#include "importspy/source/tokenizer.hpp"

namespace importspy {
namespace {

std::string decoded(std::string_view bytes) { return std::string(decode_source(bytes, "m.py").text()); }

// Decoding, then tokenizing: CPython decodes UTF-8 token by token, so some errors come from the tokenizer.
SourceReadError error_of(std::string_view bytes) {
  try {
    const DecodedSource source = decode_source(bytes, "m.py");
    tokenize(source.text(), "m.py", source.utf8_unchecked());
  } catch (const SourceReadError& e) {
    return e;
  }
  ADD_FAILURE() << "no error for: " << bytes;
  return SourceReadError(SourceReadError::Kind::syntax, "", 0, 0, "");
}

TEST(Decode, reads_utf8_without_declaration_as_is_and_without_copying) {
  const std::string bytes = "s = '\xC3\xA9'\n";
  const DecodedSource source = decode_source(bytes, "m.py");
  EXPECT_EQ(source.text(), bytes);
  EXPECT_EQ(source.text().data(), bytes.data());
  EXPECT_EQ(source.encoding(), "utf-8");
  EXPECT_FALSE(source.declared());
}

TEST(Decode, removes_a_utf8_byte_order_mark) {
  const DecodedSource source = decode_source("\xEF\xBB\xBFx = 1\n", "m.py");
  EXPECT_EQ(source.text(), "x = 1\n");
  EXPECT_TRUE(source.had_bom());
}

TEST(Decode, accepts_a_bom_with_a_utf8_declaration_in_any_spelling_cpython_normalises) {
  EXPECT_EQ(decoded("\xEF\xBB\xBF# coding: utf_8\nx = 1\n"), "# coding: utf_8\nx = 1\n");
  EXPECT_EQ(decoded("\xEF\xBB\xBF# coding: UTF-8-sig\nx = 1\n"), "# coding: UTF-8-sig\nx = 1\n");
}

TEST(Decode, rejects_a_bom_with_a_declaration_that_is_not_utf8) {
  const SourceReadError e = error_of("\xEF\xBB\xBF# coding: latin-1\nx = 1\n");
  EXPECT_EQ(e.kind(), SourceReadError::Kind::encoding);
  EXPECT_NE(e.message().find("iso-8859-1"), std::string::npos);
  // CPython compares before codec lookup: `UTF8` is not normalised to utf-8, so it is refused too.
  EXPECT_NE(error_of("\xEF\xBB\xBF# coding: UTF8\nx = 1\n").message().find("UTF8"), std::string::npos);
}

TEST(Decode, decodes_latin1_natively) {
  const DecodedSource source = decode_source("# -*- coding: latin-1 -*-\ns = '\xE9'\n", "m.py");
  EXPECT_EQ(source.text(), "# -*- coding: latin-1 -*-\ns = '\xC3\xA9'\n");
  EXPECT_EQ(source.encoding(), "iso-8859-1");
  EXPECT_EQ(*source.declared(), "latin-1");
}

TEST(Decode, normalises_declared_names_as_cpythons_tokenizer_does) {
  EXPECT_EQ(normal_encoding_name("utf_8"), "utf-8");
  EXPECT_EQ(normal_encoding_name("UTF-8"), "utf-8");
  EXPECT_EQ(normal_encoding_name("utf-8-sig"), "utf-8");
  EXPECT_EQ(normal_encoding_name("UTF8"), "UTF8");  // left to the codec registry
  EXPECT_EQ(normal_encoding_name("latin-1"), "iso-8859-1");
  EXPECT_EQ(normal_encoding_name("Latin_1-foo"), "iso-8859-1");
  EXPECT_EQ(normal_encoding_name("ISO_8859_1"), "iso-8859-1");
  EXPECT_EQ(normal_encoding_name("iso-latin-1"), "iso-8859-1");
  EXPECT_EQ(normal_encoding_name("latin-12"), "latin-12");
  EXPECT_EQ(normal_encoding_name("koi8-r"), "koi8-r");
}

TEST(Decode, resolves_other_spellings_through_the_codec_registry) {
  EXPECT_EQ(decode_source("# coding: UTF8\ns = '\xC3\xA9'\n", "m.py").encoding(), "utf-8");
  EXPECT_EQ(decode_source("# coding: latin1\ns = '\xE9'\n", "m.py").text(), "# coding: latin1\ns = '\xC3\xA9'\n");
  EXPECT_EQ(decode_source("# coding: iso8859-1\ns = '\xE9'\n", "m.py").encoding(), "iso-8859-1");
}

TEST(Decode, reads_a_declaration_on_line_two_after_a_comment_line) {
  EXPECT_EQ(decoded("#!/usr/bin/python\n# vim: set fileencoding=latin-1 :\ns = '\xE9'\n"),
            "#!/usr/bin/python\n# vim: set fileencoding=latin-1 :\ns = '\xC3\xA9'\n");
  EXPECT_EQ(decoded("\n# coding: latin-1\ns = '\xE9'\n"), "\n# coding: latin-1\ns = '\xC3\xA9'\n");
}

TEST(Decode, ignores_a_declaration_on_line_two_after_code) {
  const SourceReadError e = error_of("x = 1\n# coding: latin-1\ns = '\xE9'\n");
  EXPECT_EQ(e.line(), 3);
  EXPECT_EQ(e.column(), 6);
}

TEST(Decode, ignores_a_declaration_on_line_three) { EXPECT_EQ(error_of("#\n#\n# coding: latin-1\ns = '\xE9'\n").line(), 4); }

TEST(Decode, ignores_coding_inside_a_string_on_line_one) { EXPECT_EQ(error_of("x = '# coding: latin-1'\ns = '\xE9'\n").line(), 2); }

TEST(Decode, accepts_a_form_feed_before_the_declaration) { EXPECT_EQ(decode_source("\f# coding: latin-1\ns = '\xE9'\n", "m.py").encoding(), "iso-8859-1"); }

TEST(Decode, takes_the_first_nonempty_name_after_coding_as_cpython_does) {
  // `coding: coding=latin-1` names the encoding "coding", which does not exist.
  EXPECT_EQ(error_of("# coding: coding=latin-1\nx = 1\n").message(), "unknown encoding: coding");
  // An empty name lets the search go on; none found: UTF-8.
  EXPECT_EQ(decode_source("# coding: \nx = 1\n", "m.py").encoding(), "utf-8");
}

TEST(Decode, rejects_an_unknown_encoding) {
  const SourceReadError e = error_of("# coding: foobar\nx = 1\n");
  EXPECT_EQ(e.message(), "unknown encoding: foobar");
  EXPECT_EQ(e.kind(), SourceReadError::Kind::encoding);
}

TEST(Decode, rejects_invalid_utf8_without_a_declaration_with_line_and_column) {
  const SourceReadError e = error_of("x = 1\ns = '\xC3\xA9\xE9'\n");
  EXPECT_EQ(e.line(), 2);
  EXPECT_EQ(e.column(), 7);  // characters, as CPython counts: s, space, =, space, quote, é
  EXPECT_NE(e.message().find("0xE9"), std::string::npos);
  EXPECT_NE(std::string(e.what()).find("m.py:2:7: "), std::string::npos);
}

TEST(Decode, accepts_invalid_utf8_in_a_comment_as_cpythons_compile_does) {
  const DecodedSource source = decode_source("# caf\xE9\nx = 1  # \xFF\n", "m.py");
  EXPECT_TRUE(source.utf8_unchecked());
  EXPECT_NO_THROW(tokenize(source.text(), "m.py", true));
}

TEST(Decode, rejects_invalid_utf8_anywhere_when_the_declaration_goes_through_the_codec_registry) {
  // `utf8` is not what CPython's tokenizer normalises to utf-8: the codec decodes the whole file.
  const SourceReadError e = error_of("# coding: utf8\n# caf\xE9\n");
  EXPECT_EQ(e.line(), 2);
  EXPECT_NE(e.message().find("as declared"), std::string::npos);
}

TEST(Decode, rejects_utf8_encoded_surrogates) { EXPECT_EQ(error_of("s = '\xED\xA0\x80'\n").line(), 1); }

TEST(Decode, rejects_nul_characters) {
  using namespace std::literals;
  EXPECT_EQ(error_of("x = 1\ny = \0\n"sv).line(), 2);
}

TEST(Decode, decodes_koi8_r) {
  if (!has_codec_support()) GTEST_SKIP() << "no iconv";
  const DecodedSource source = decode_source("# -*- coding: koi8-r -*-\ns = '\xC1'\n", "m.py");
  EXPECT_EQ(source.text(), "# -*- coding: koi8-r -*-\ns = '\xD0\xB0'\n");  // Cyrillic a
  EXPECT_EQ(source.encoding(), "koi8_r");
}

TEST(Decode, decodes_utf7_as_python_runs_it) {
  // The attack of issue 12: `+AAo-` is a newline in UTF-7, so Python runs `y = 2` as a statement of
  // its own; a reader that took these bytes as UTF-8 would see one line.
  if (!has_codec_support()) GTEST_SKIP() << "no iconv";
  EXPECT_EQ(decoded("# coding: utf-7\nx = 1 +AAo-y = 2\n"), "# coding: utf-7\nx = 1 \ny = 2\n");
}

TEST(Decode, decodes_iso_8859_15) {
  if (!has_codec_support()) GTEST_SKIP() << "no iconv";
  EXPECT_EQ(decoded("# coding: iso_8859_15\ns = '\xA4'\n"), "# coding: iso_8859_15\ns = '\xE2\x82\xAC'\n");  // euro sign
}

TEST(Decode, rejects_bytes_invalid_in_the_declared_encoding) {
  if (!has_codec_support()) GTEST_SKIP() << "no iconv";
  const SourceReadError ascii = error_of("# coding: ascii\ns = '\xE9'\n");
  EXPECT_EQ(ascii.line(), 2);
  EXPECT_EQ(ascii.column(), 6);
  EXPECT_NE(ascii.message().find("0xE9"), std::string::npos);
  EXPECT_EQ(error_of("# coding: cp1252\ns = '\x81'\n").line(), 2);  // undefined in cp1252, as in Python
}

TEST(Decode, refuses_a_python_codec_it_cannot_reproduce_exactly) {
  EXPECT_NE(error_of("# coding: shift_jis\nx = 1\n").message().find("not supported"), std::string::npos);
}

}  // namespace
}  // namespace importspy
