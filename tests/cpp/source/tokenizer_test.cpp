// The tokenizer against the language reference; tests/corpus/tokenizer_differential.py compares it with
// CPython's tokenize over whole standard libraries.
#include "importspy/source/tokenizer.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "importspy/source/source_error.hpp"
#include "importspy/util/utf8.hpp"

namespace importspy {
namespace {

// "NAME:x EQUAL:= NUMBER:1 NEWLINE ENDMARKER": exact kinds, with the text of tokens that have text.
std::string kinds(std::string_view text, bool with_text = true) {
  std::string out;
  for (const Token& t : tokenize(text, "m.py")) {
    if (!out.empty()) out += ' ';
    out += token_exact_name(t.kind);
    const bool textual = t.kind == TokenKind::name || t.kind == TokenKind::number || t.kind == TokenKind::string ||
                         t.kind == TokenKind::fstring || t.kind == TokenKind::comment;
    if (with_text && textual) out += ":" + std::string(t.text(text));
  }
  return out;
}

SourceReadError error_of(std::string_view text) {
  try {
    tokenize(text, "m.py");
  } catch (const SourceReadError& e) {
    return e;
  }
  ADD_FAILURE() << "no error for: " << text;
  return SourceReadError(SourceReadError::Kind::encoding, "", 0, 0, "");
}

TEST(Tokenizer, gives_byte_ranges_lines_and_columns) {
  const std::string text = "x = 1\nyy = 'é'\n";
  const std::vector<Token> tokens = tokenize(text, "m.py");
  ASSERT_GE(tokens.size(), 8u);
  EXPECT_EQ(tokens[4].text(text), "yy");
  EXPECT_EQ(tokens[4].line, 2u);
  EXPECT_EQ(tokens[4].column, 0u);
  EXPECT_EQ(tokens[6].text(text), "'é'");
  EXPECT_EQ(tokens[6].column, 5u);
  EXPECT_EQ(tokens[6].end - tokens[6].begin, 4u);  // bytes
}

TEST(Tokenizer, ends_logical_lines_with_newline_and_blank_or_comment_lines_with_nl) {
  EXPECT_EQ(kinds("x\n\n# c\n  \ny\n"), "NAME:x NEWLINE NL COMMENT:# c NL NL NAME:y NEWLINE ENDMARKER");
}

TEST(Tokenizer, ends_a_last_line_without_line_break_as_if_it_had_one) {
  EXPECT_EQ(kinds("if x:\n    y"), "NAME:if NAME:x COLON NEWLINE INDENT NAME:y NEWLINE DEDENT ENDMARKER");
}

TEST(Tokenizer, indents_and_dedents_with_tabs_to_multiples_of_eight) {
  EXPECT_EQ(kinds("if a:\n\tif b:\n\t\tc\n\td\ne\n", false),
            "NAME NAME COLON NEWLINE INDENT NAME NAME COLON NEWLINE INDENT NAME NEWLINE DEDENT NAME NEWLINE DEDENT NAME NEWLINE ENDMARKER");
  // A comment line does not change the indentation.
  EXPECT_EQ(kinds("if a:\n    b\n# c\n    d\n", false), "NAME NAME COLON NEWLINE INDENT NAME NEWLINE COMMENT NL NAME NEWLINE DEDENT ENDMARKER");
}

TEST(Tokenizer, rejects_a_dedent_to_no_outer_level) {
  const SourceReadError e = error_of("if a:\n    b\n  c\n");
  EXPECT_EQ(e.line(), 3);
  EXPECT_EQ(e.column(), 3);
  EXPECT_NE(e.message().find("unindent does not match any outer indentation level"), std::string::npos);
}

TEST(Tokenizer, rejects_tabs_and_spaces_that_only_agree_with_tabs_of_eight) {
  EXPECT_NE(error_of("if a:\n\tb\n        c\n").message().find("TabError"), std::string::npos);
}

TEST(Tokenizer, joins_lines_after_a_backslash_and_inside_brackets) {
  EXPECT_EQ(kinds("x = 1 + \\\n  2\n", false), "NAME EQUAL NUMBER PLUS NUMBER NEWLINE ENDMARKER");
  EXPECT_EQ(kinds("f(a,\n\n  b)\n", false), "NAME LPAR NAME COMMA NL NL NAME RPAR NEWLINE ENDMARKER");
}

TEST(Tokenizer, counts_lines_after_joined_lines_and_multiline_strings) {
  const std::string text = "x = '''a\nb'''\ny = \\\n 1\nz\n";
  const std::vector<Token> tokens = tokenize(text, "m.py");
  const auto z = std::find_if(tokens.begin(), tokens.end(), [&](const Token& t) { return t.text(text) == "z"; });
  ASSERT_NE(z, tokens.end());
  EXPECT_EQ(z->line, 5u);
  EXPECT_EQ(z->column, 0u);
}

TEST(Tokenizer, reads_every_string_prefix_in_any_case) {
  EXPECT_EQ(kinds("r'a' b'a' u'a' R'a' Rb'a' bR'a' BR'a' rB'a'\n"),
            "STRING:r'a' STRING:b'a' STRING:u'a' STRING:R'a' STRING:Rb'a' STRING:bR'a' STRING:BR'a' STRING:rB'a' NEWLINE ENDMARKER");
  EXPECT_EQ(kinds("f'a' F'a' fr'a' Rf'a' t'a' TR'a'\n", false), "STRING STRING STRING STRING STRING STRING NEWLINE ENDMARKER");
  EXPECT_EQ(tokenize("t'{x}'", "m.py")[0].kind, TokenKind::fstring);
  // Not prefixes: a name, then a string.
  EXPECT_EQ(kinds("ub'a' bu'a' fb'a'\n"), "NAME:ub STRING:'a' NAME:bu STRING:'a' NAME:fb STRING:'a' NEWLINE ENDMARKER");
}

TEST(Tokenizer, reads_escapes_and_triple_quotes) {
  EXPECT_EQ(kinds(R"(x = 'it\'s' "q\"" r'\'' '''a ' '' b''' """x\
y""")" "\n"),
            R"(NAME:x EQUAL STRING:'it\'s' STRING:"q\"" STRING:r'\'' STRING:'''a ' '' b''' STRING:"""x\
y""" NEWLINE ENDMARKER)");
}

TEST(Tokenizer, reads_pep701_fstrings_as_one_token) {
  EXPECT_EQ(kinds(R"(f"{x["a"]}" f'{f'{y}'}' f"{{}}" f"{x!r:>{w}.{p}}" f"{x = }" f"{a!=b}" f"\N{DASH}{1}")" "\n", false),
            "STRING STRING STRING STRING STRING STRING STRING NEWLINE ENDMARKER");
  EXPECT_EQ(kinds("f'''{\n  x # comment\n}''' y\n"), "STRING:f'''{\n  x # comment\n}''' NAME:y NEWLINE ENDMARKER");
  EXPECT_EQ(kinds("f\"{-.01:.1f}\" f'{d[\"}\"]}'\n", false), "STRING STRING NEWLINE ENDMARKER");
  EXPECT_EQ(kinds("f'{x:%H:%M}' f\"{x:'}\"\n", false), "STRING STRING NEWLINE ENDMARKER");
}

TEST(Tokenizer, reads_numbers) {
  EXPECT_EQ(kinds("1_000 0x_ff 0XFF 0o17 0b1_0 1.5e-3 1j 2.5J .5 1. 1e5 0 00 0.0 0_0\n"),
            "NUMBER:1_000 NUMBER:0x_ff NUMBER:0XFF NUMBER:0o17 NUMBER:0b1_0 NUMBER:1.5e-3 NUMBER:1j NUMBER:2.5J NUMBER:.5 NUMBER:1. "
            "NUMBER:1e5 NUMBER:0 NUMBER:00 NUMBER:0.0 NUMBER:0_0 NEWLINE ENDMARKER");
  EXPECT_EQ(kinds("1if x else 2\n"), "NUMBER:1 NAME:if NAME:x NAME:else NUMBER:2 NEWLINE ENDMARKER");
  EXPECT_EQ(kinds("x.real 1..real\n", false), "NAME DOT NAME NUMBER DOT NAME NEWLINE ENDMARKER");
}

TEST(Tokenizer, rejects_leading_zeros_in_decimal_integers) {
  EXPECT_NE(error_of("x = 0777\n").message().find("leading zeros"), std::string::npos);
  EXPECT_NE(error_of("x = 0x\n").message().find("hexadecimal"), std::string::npos);
}

TEST(Tokenizer, reads_every_operator_with_the_longest_match) {
  EXPECT_EQ(kinds("a := b -> ... **= //= >>= <<= != == <= >= ** // << >> += -= *= /= %= &= |= ^= @= ~ @ ; .\n", false),
            "NAME COLONEQUAL NAME RARROW ELLIPSIS DOUBLESTAREQUAL DOUBLESLASHEQUAL RIGHTSHIFTEQUAL LEFTSHIFTEQUAL NOTEQUAL EQEQUAL "
            "LESSEQUAL GREATEREQUAL DOUBLESTAR DOUBLESLASH LEFTSHIFT RIGHTSHIFT PLUSEQUAL MINEQUAL STAREQUAL SLASHEQUAL PERCENTEQUAL "
            "AMPEREQUAL VBAREQUAL CIRCUMFLEXEQUAL ATEQUAL TILDE AT SEMI DOT NEWLINE ENDMARKER");
}

TEST(Tokenizer, leaves_soft_keywords_and_non_ascii_identifiers_as_names) {
  EXPECT_EQ(kinds("match x:\n    case _: type = 1\n"),
            "NAME:match NAME:x COLON NEWLINE INDENT NAME:case NAME:_ COLON NAME:type EQUAL NUMBER:1 NEWLINE DEDENT ENDMARKER");
  EXPECT_EQ(kinds("café = π\n"), "NAME:café EQUAL NAME:π NEWLINE ENDMARKER");
}

TEST(Tokenizer, rejects_names_with_characters_that_are_no_unicode_letters) {
  const SourceReadError e = error_of("x = 1\nab\xE2\x82\xAC = 2\n");  // ab€
  EXPECT_EQ(e.line(), 2);
  EXPECT_EQ(e.column(), 3);
  EXPECT_NE(e.message().find("invalid character '\xE2\x82\xAC' (U+20AC)"), std::string::npos);
  EXPECT_NO_THROW(tokenize("\xC3\xA9t\xC3\xA9 = x\xCC\x81\n", "m.py"));  // été, x + combining acute (XID_Continue)
  EXPECT_THROW(tokenize("\xCC\x81x = 1\n", "m.py"), SourceReadError);       // a combining mark cannot start a name
}

// The names of each NAME token as the tokenizer gives them (text_of: NFKC for names).
std::string names_of(std::string_view text) {
  Tokenizer tokenizer(text, "m.py");
  std::string out;
  for (Token t = tokenizer.next(); t.kind != TokenKind::end_marker; t = tokenizer.next()) {
    if (t.kind != TokenKind::name) continue;
    if (!out.empty()) out += ' ';
    out += tokenizer.text_of(t);
  }
  return out;
}

TEST(Tokenizer, gives_non_ascii_names_their_nfkc_form_as_cpython_binds_them) {
  // ｓubprocess (fullwidth s), ﬁle (ligature), e + combining acute
  EXPECT_EQ(names_of("import \xEF\xBD\x93ubprocess\n\xEF\xAC\x81le = e\xCC\x81\n"), "import subprocess file \xC3\xA9");
}

TEST(Tokenizer, keeps_ascii_names_and_already_normal_names_as_views_of_the_source) {
  const std::string text = "caf\xC3\xA9 = x\n";
  Tokenizer tokenizer(text, "m.py");
  const Token t = tokenizer.next();
  EXPECT_EQ(t.normalized, 0u);
  EXPECT_EQ(tokenizer.text_of(t).data(), text.data());
  EXPECT_EQ(tokenizer.text_of(t), t.text(text));
}

TEST(Tokenizer, gives_a_normalised_name_its_bytes_as_written_in_its_range) {
  const std::string text = "\xEF\xBD\x89\xEF\xBD\x86 = 1\n";  // ｉｆ: the name `if`, never the keyword
  Tokenizer tokenizer(text, "m.py");
  const Token t = tokenizer.next();
  EXPECT_EQ(t.kind, TokenKind::name);
  EXPECT_EQ(t.text(text), "\xEF\xBD\x89\xEF\xBD\x86");
  EXPECT_EQ(tokenizer.text_of(t), "if");
}

// CPython 3.10-3.13 (compile and ast alike): before the first token of a line, a backslash-newline lets
// the indentation go on counting on the next line; the column of the first backslash not at column 0
// is the indentation.
TEST(Tokenizer, a_backslash_alone_at_column_0_lets_the_next_line_dedent) {
  EXPECT_EQ(kinds("if x:\n    a = 1\n\\\nb = 2\n", false),
            "NAME NAME COLON NEWLINE INDENT NAME EQUAL NUMBER NEWLINE DEDENT NAME EQUAL NUMBER NEWLINE ENDMARKER");
}

TEST(Tokenizer, a_backslash_alone_at_column_0_after_lone_cr_or_crlf_line_ends_lets_the_next_line_dedent) {
  EXPECT_EQ(kinds("if x:\r    a = 1\r\\\rb = 2\r", false),
            "NAME NAME COLON NEWLINE INDENT NAME EQUAL NUMBER NEWLINE DEDENT NAME EQUAL NUMBER NEWLINE ENDMARKER");
  EXPECT_EQ(kinds("if x:\r\n    a = 1\r\n\\\r\nb = 2\r\n", false),
            "NAME NAME COLON NEWLINE INDENT NAME EQUAL NUMBER NEWLINE DEDENT NAME EQUAL NUMBER NEWLINE ENDMARKER");
}

TEST(Tokenizer, a_backslash_after_a_form_feed_counts_from_column_0) {
  EXPECT_EQ(kinds("if x:\n    a = 1\n\f\\\nb = 2\n", false),
            "NAME NAME COLON NEWLINE INDENT NAME EQUAL NUMBER NEWLINE DEDENT NAME EQUAL NUMBER NEWLINE ENDMARKER");
  EXPECT_EQ(kinds("if x:\n    a = 1\n\\\n\fb = 2\n", false),
            "NAME NAME COLON NEWLINE INDENT NAME EQUAL NUMBER NEWLINE DEDENT NAME EQUAL NUMBER NEWLINE ENDMARKER");
}

TEST(Tokenizer, a_backslash_alone_at_column_0_keeps_the_block_when_the_next_line_is_indented) {
  EXPECT_EQ(kinds("if x:\n    a = 1\n\\\n    b = 2\n", false),
            "NAME NAME COLON NEWLINE INDENT NAME EQUAL NUMBER NEWLINE NAME EQUAL NUMBER NEWLINE DEDENT ENDMARKER");
}

TEST(Tokenizer, an_indented_backslash_gives_its_column_as_the_indentation_of_the_next_line) {
  // `    \` then `b = 2` at column 0: b is at column 4, in the outer block.
  EXPECT_EQ(kinds("if x:\n    if y:\n        a = 1\n    \\\nb = 2\n", false),
            "NAME NAME COLON NEWLINE INDENT NAME NAME COLON NEWLINE INDENT NAME EQUAL NUMBER NEWLINE DEDENT NAME EQUAL NUMBER NEWLINE "
            "DEDENT ENDMARKER");
  EXPECT_NE(error_of("if x:\n    a = 1\n  \\\nb = 2\n").message().find("unindent does not match"), std::string::npos);
}

TEST(Tokenizer, backslash_lines_after_a_comment_line_or_one_after_another_let_the_next_line_dedent) {
  EXPECT_EQ(kinds("if x:\n    a = 1\n# c\n\\\nb = 2\n", false),
            "NAME NAME COLON NEWLINE INDENT NAME EQUAL NUMBER NEWLINE COMMENT NL DEDENT NAME EQUAL NUMBER NEWLINE ENDMARKER");
  EXPECT_EQ(kinds("if x:\n    a = 1\n\\\n\\\nb = 2\n", false),
            "NAME NAME COLON NEWLINE INDENT NAME EQUAL NUMBER NEWLINE DEDENT NAME EQUAL NUMBER NEWLINE ENDMARKER");
}

TEST(Tokenizer, a_backslash_before_a_comment_line_leaves_the_indentation_to_the_line_after) {
  EXPECT_EQ(kinds("if x:\n    a = 1\n\\\n# c\nb = 2\n", false),
            "NAME NAME COLON NEWLINE INDENT NAME EQUAL NUMBER NEWLINE COMMENT NL DEDENT NAME EQUAL NUMBER NEWLINE ENDMARKER");
}

TEST(Tokenizer, rejects_a_backslash_line_at_the_end_of_the_file) {
  EXPECT_NE(error_of("if x:\n    a = 1\n\\\n").message().find("unexpected end of file after a line continuation"), std::string::npos);
  EXPECT_NE(error_of("if x:\n    a = 1\n\\").message().find("unexpected end of file after a line continuation"), std::string::npos);
  EXPECT_NE(error_of("x = 1 + \\").message().find("unexpected end of file after a line continuation"), std::string::npos);
}

TEST(Tokenizer, reads_crlf_and_lone_cr_line_ends) {
  EXPECT_EQ(kinds("x\r\ny\rz\n", false), "NAME NEWLINE NAME NEWLINE NAME NEWLINE ENDMARKER");
}

TEST(Tokenizer, rejects_an_unterminated_string_at_its_start) {
  const SourceReadError e = error_of("x = 1\ny = 'abc\n");
  EXPECT_EQ(e.kind(), SourceReadError::Kind::syntax);
  EXPECT_EQ(e.line(), 2);
  EXPECT_EQ(e.column(), 5);
  EXPECT_NE(e.message().find("unterminated string literal (detected at line 2)"), std::string::npos);
  EXPECT_NE(std::string(e.what()).find("m.py:2:5: "), std::string::npos);
  EXPECT_NE(error_of("x = '''abc\n\n").message().find("unterminated triple-quoted string literal (detected at line 3)"), std::string::npos);
  EXPECT_EQ(error_of("x = f'{a'\n").line(), 1);
}

TEST(Tokenizer, rejects_unmatched_and_mismatched_and_unclosed_brackets) {
  EXPECT_NE(error_of("x = 1)\n").message().find("unmatched ')'"), std::string::npos);
  const SourceReadError mismatch = error_of("x = (1,\n 2]\n");
  EXPECT_NE(mismatch.message().find("closing parenthesis ']' does not match opening parenthesis '(' on line 1"), std::string::npos);
  EXPECT_EQ(mismatch.line(), 2);
  const SourceReadError open = error_of("x = [1,\n");
  EXPECT_NE(open.message().find("'[' was never closed"), std::string::npos);
  EXPECT_EQ(open.line(), 1);
  EXPECT_EQ(open.column(), 5);
}

TEST(Tokenizer, rejects_stray_characters_and_text_after_a_continuation) {
  EXPECT_NE(error_of("x = $\n").message().find("invalid character '$'"), std::string::npos);
  EXPECT_NE(error_of("x = 1 \\ y\n").message().find("unexpected character after line continuation character"), std::string::npos);
}

// Found by the atheris harness: a message quoted one byte of a multi-byte character, which is not UTF-8
// text, and Python could not make a str of it (RuntimeError instead of SourceError).
TEST(Tokenizer, quotes_the_whole_character_a_message_names) {
  const auto expect_utf8_naming = [](const SourceReadError& e, const std::string& shown) {
    EXPECT_NE(e.message().find(shown), std::string::npos) << e.message();
    EXPECT_EQ(first_invalid_utf8(e.message()), std::string_view::npos) << e.message();
  };
  expect_utf8_naming(error_of("x = 0x\xCF\x9E\n"), "expected a digit, found '\xCF\x9E' (U+03DE)");
  expect_utf8_naming(error_of("x = 1 \\\xC3\xA9\n"), "found '\xC3\xA9' (U+00E9)");
  expect_utf8_naming(error_of("x = 0b\xF0\x9F\x98\x80\n"), "found '\xF0\x9F\x98\x80' (U+1F600)");
}

TEST(Tokenizer, limits_nesting_as_cpython_does) {
  EXPECT_NE(error_of("x = " + std::string(201, '(') + "\n").message().find("too many nested parentheses"), std::string::npos);
  EXPECT_NO_THROW(tokenize("x = " + std::string(199, '[') + std::string(199, ']') + "\n", "m.py"));
  std::string nested = "x = ";
  for (int i = 0; i < 400; ++i) nested += "f'{";
  EXPECT_THROW(tokenize(nested + "\n", "m.py"), SourceReadError);
  std::string deep;
  for (int i = 0; i < 102; ++i) deep += std::string(static_cast<std::size_t>(i), ' ') + "if x:\n";
  EXPECT_NE(error_of(deep + std::string(102, ' ') + "pass\n").message().find("too many levels of indentation"), std::string::npos);
}

TEST(Tokenizer, keeps_returning_the_end_marker) {
  Tokenizer tokenizer("", "m.py");
  EXPECT_EQ(tokenizer.next().kind, TokenKind::end_marker);
  EXPECT_EQ(tokenizer.next().kind, TokenKind::end_marker);
}

}  // namespace
}  // namespace importspy
