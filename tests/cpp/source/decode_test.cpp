// Decoding follows CPython's tokenizer; every expectation here was checked with compile(bytes) on
// CPython 3.10 to 3.13.
#include "importspy/source/decode.hpp"

#include <gtest/gtest.h>

#include <fstream>
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
  EXPECT_TRUE(error_of("# coding: coding=latin-1\nx = 1\n").message().starts_with("unknown encoding: coding "));
  // An empty name lets the search go on; none found: UTF-8.
  EXPECT_EQ(decode_source("# coding: \nx = 1\n", "m.py").encoding(), "utf-8");
}

TEST(Decode, rejects_an_unknown_encoding) {
  const SourceReadError e = error_of("# coding: foobar\nx = 1\n");
  EXPECT_TRUE(e.message().starts_with("unknown encoding: foobar in the coding declaration (line 1)")) << e.message();
  EXPECT_EQ(e.kind(), SourceReadError::Kind::encoding);
  EXPECT_EQ(e.line(), 1);
  EXPECT_EQ(e.column(), 1);
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

TEST(Decode, decodes_koi8_r_with_pythons_table) {
  const DecodedSource source = decode_source("# -*- coding: koi8-r -*-\ns = '\xC1'\n", "m.py");
  EXPECT_EQ(source.text(), "# -*- coding: koi8-r -*-\ns = '\xD0\xB0'\n");  // Cyrillic a
  EXPECT_EQ(source.encoding(), "koi8_r");
}

TEST(Decode, decodes_iso_8859_15) {
  EXPECT_EQ(decoded("# coding: iso_8859_15\ns = '\xA4'\n"), "# coding: iso_8859_15\ns = '\xE2\x82\xAC'\n");  // euro sign
}

TEST(Decode, decodes_cp720_which_glibc_iconv_lacks) {
  // Python's table, not the platform's: 0x82 is U+00E9 in Python's cp720.
  EXPECT_EQ(decoded("# coding: cp720\ns = '\x82'\n"), "# coding: cp720\ns = '\xC3\xA9'\n");
}

TEST(Decode, decodes_ebcdic_after_translating_line_ends_as_compile_does) {
  // compile() turns "\r\n" and '\r' into '\n' (0x0A) before it decodes, and ends the text with one:
  // through cp037, 0x0A is U+008E. Expected: Python's b'# coding: cp037\n\x81\n'.decode('cp037').
  EXPECT_EQ(decoded("# coding: cp037\r\n\x81\r"),
            std::string("\xC2\x83\xC2\x80\xC3\x84?\xC3\x80\xC3\x91>\xC3\x85\xC2\x9A\xC2\x80\xC3\x84\xC3\xB8\xC2\x90\xC2\x93\x04\xC2\x8E") + "a\xC2\x8E");
}

TEST(Decode, rejects_bytes_invalid_in_the_declared_encoding) {
  const SourceReadError ascii = error_of("# coding: ascii\ns = '\xE9'\n");
  EXPECT_EQ(ascii.line(), 2);
  EXPECT_EQ(ascii.column(), 6);
  EXPECT_NE(ascii.message().find("0xE9"), std::string::npos);
  EXPECT_EQ(error_of("# coding: cp1252\ns = '\x81'\n").line(), 2);  // undefined in cp1252, as in Python
}

TEST(Decode, refuses_a_python_codec_it_cannot_reproduce_exactly) {
  const SourceReadError error = error_of("# coding: shift_jis\nx = 1\n");
  EXPECT_NE(error.message().find("cannot decode exactly"), std::string::npos);
  EXPECT_EQ(error.line(), 1);
}

TEST(Decode, refuses_gb18030_where_the_platform_table_differs_from_pythons) {
  // b'\xA6\xD9' is U+E78D in Python's gb18030 and U+FE10 in glibc's: the checked value would differ.
  const SourceReadError error = error_of("#!/usr/bin/env python\n# -*- coding: gb18030 -*-\ns = '\xA6\xD9'\n");
  EXPECT_EQ(error.line(), 2);
  EXPECT_EQ(error.column(), 1);
  EXPECT_NE(error.message().find("gb18030"), std::string::npos);
  EXPECT_NE(error.message().find("save the file as UTF-8"), std::string::npos);
}

TEST(Decode, decodes_utf7_as_python_runs_it) {
  // `+AAo-` is a newline in UTF-7: Python runs `y = 2` as a statement of its own.
  EXPECT_EQ(decoded("# coding: utf-7\nx = 1 +AAo-y = 2\n"), "# coding: utf-7\nx = 1 \ny = 2\n");
  EXPECT_EQ(decoded("# coding: utf-7\ns = '+AOk-+-1+2D3cAA-'\n"), "# coding: utf-7\ns = '\xC3\xA9+1\xF0\x9F\x90\x80'\n");
}

TEST(Decode, refuses_a_carriage_return_that_only_the_codec_makes) {
  // compile() translated line ends before decoding: CPython 3.10 reads this CR as an error, 3.12 as a line end.
  EXPECT_EQ(error_of("# coding: utf-7\nx = 1+AA0-y = 2\n").line(), 2);
}

TEST(Decode, refuses_utf7_that_python_cannot_decode) {
  EXPECT_EQ(error_of("# coding: utf-7\nx = '\xE9'\n").line(), 2);   // not ASCII
  EXPECT_EQ(error_of("# coding: utf-7\nx = '+2D0-'\n").line(), 2);  // a lone high surrogate
  EXPECT_EQ(error_of("# coding: utf-7\nx = '+AGF-'\n").line(), 2);  // nonzero padding bits
}

TEST(Decode, decodes_utf7_as_every_cpython_does) {
  // tests/corpus/utf7_cases.txt: bodies and CPython 3.10-3.13's text for them (make_utf7_cases.py).
  std::ifstream cases(std::string(IMPORTSPY_SOURCE_DIR) + "/tests/corpus/utf7_cases.txt");
  ASSERT_TRUE(cases) << "tests/corpus/utf7_cases.txt is missing";
  const auto unhex = [](std::string_view hex) {
    std::string out;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2) out += static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16));
    return out;
  };
  std::string line;
  int count = 0;
  while (std::getline(cases, line)) {
    const std::size_t tab = line.find('\t');
    ASSERT_NE(tab, std::string::npos);
    const std::string body = "# coding: utf-7\n" + unhex(std::string_view(line).substr(0, tab)) + "\n";
    const std::string expected = line.substr(tab + 1);
    try {
      const std::string text(decode_source(body, "m.py").text());
      EXPECT_EQ(expected == "refused" ? expected : unhex(expected), text) << "body: " << line.substr(0, tab);
    } catch (const SourceReadError& e) {
      EXPECT_EQ(expected, "refused") << "body: " << line.substr(0, tab) << ": " << e.what();
    }
    ++count;
  }
  EXPECT_GE(count, 1000);
}

TEST(Decode, refuses_escape_decoding_codecs_that_python_accepts) {
  EXPECT_NE(error_of("# coding: unicode_escape\nx = 1\n").message().find("cannot decode exactly"), std::string::npos);
  EXPECT_NE(error_of("# coding: raw-unicode-escape\nx = 1\n").message().find("cannot decode exactly"), std::string::npos);
}

TEST(Decode, finds_a_declaration_on_a_line_ended_by_a_lone_carriage_return) {
  // compile() translates '\r' to '\n' before it looks: line 1 is the declaration, and Python decodes
  // the file as UTF-7. Reading it as UTF-8 would check a comment where Python runs `api_level = 1`.
  EXPECT_EQ(decoded("# -*- coding: utf-7 -*-\rapi_level = 2 #+AAo-api_level = 1\r"), "# -*- coding: utf-7 -*-\napi_level = 2 #\napi_level = 1\n");
  EXPECT_EQ(decoded("# coding: latin-1\rs = '\xE9'\r"), "# coding: latin-1\ns = '\xC3\xA9'\n");
}

TEST(Decode, finds_a_declaration_on_a_last_line_without_a_newline) {
  // compile() ends the text with a '\n': line 1 counts although nothing ends it.
  EXPECT_EQ(decoded("# coding: utf-7 +AAo-import subprocess"), "# coding: utf-7 \nimport subprocess\n");
  EXPECT_EQ(decode_source("#!/usr/bin/env python\n# coding: latin-1", "m.py").encoding(), "iso-8859-1");
}

TEST(Decode, reads_line_two_after_a_first_line_that_is_a_lone_carriage_return) {
  EXPECT_EQ(decode_source("\r# coding: latin-1\ns = '\xE9'\n", "m.py").encoding(), "iso-8859-1");
  EXPECT_EQ(decode_source("#!/usr/bin/env python\r\n# coding: latin-1\r\ns = '\xE9'\r\n", "m.py").encoding(), "iso-8859-1");
}

TEST(Decode, ignores_a_declaration_on_what_cpython_counts_as_line_three) {
  // "\r\r" ends two lines: the declaration is on line 3, and CPython reads the file as UTF-8.
  EXPECT_EQ(decode_source("#!/usr/bin/python\r\r# coding: utf-7\nx = 1 +ACM- 0\n", "m.py").encoding(), "utf-8");
  EXPECT_EQ(error_of("#!/usr/bin/python\r\r# coding: latin-1\ns = '\xE9'\n").line(), 4);
  EXPECT_EQ(decode_source("\n\r# coding: latin-1\nx = 1\n", "m.py").encoding(), "utf-8");
}

TEST(Decode, translates_line_ends_as_compile_does) {
  EXPECT_EQ(decoded("x = 1\r\ny = 2\rz = '''a\rb'''"), "x = 1\ny = 2\nz = '''a\nb'''");
  EXPECT_EQ(decoded("x = 1\r"), "x = 1\n");
}

}  // namespace
}  // namespace importspy
