// NFKC of Python identifiers; tests/corpus/nfkc_differential.py compares every XID_Continue character
// with unicodedata.normalize of each CPython.
#include "importspy/lang/identifier.hpp"

#include <gtest/gtest.h>

namespace importspy {
namespace {

TEST(IdentifierNfkc, leaves_ascii_names_as_written) {
  EXPECT_EQ(identifier_nfkc("subprocess"), "subprocess");
  EXPECT_EQ(identifier_nfkc("_Private9"), "_Private9");
}

TEST(IdentifierNfkc, folds_fullwidth_letters_to_ascii) {
  EXPECT_EQ(identifier_nfkc("\xEF\xBD\x93ubprocess"), "subprocess");               // ｓubprocess
  EXPECT_EQ(identifier_nfkc("\xEF\xBD\x89\xEF\xBD\x86"), "if");                      // ｉｆ
}

TEST(IdentifierNfkc, expands_compatibility_ligatures_and_letterlike_symbols) {
  EXPECT_EQ(identifier_nfkc("\xEF\xAC\x81le"), "file");        // ﬁle
  EXPECT_EQ(identifier_nfkc("\xE2\x84\x8C"), "H");             // ℌ (black-letter H)
  EXPECT_EQ(identifier_nfkc("\xF0\x9D\x90\x80"), "A");         // U+1D400 mathematical bold A
}

TEST(IdentifierNfkc, composes_a_letter_and_its_combining_mark) {
  EXPECT_EQ(identifier_nfkc("e\xCC\x81t\xC3\xA9"), "\xC3\xA9t\xC3\xA9");  // e + U+0301 → é
}

TEST(IdentifierNfkc, orders_combining_marks_by_class_before_composing) {
  // a + U+0302 (class 230) + U+0323 (class 220) → U+1EAD ậ
  EXPECT_EQ(identifier_nfkc("a\xCC\x82\xCC\xA3"), "\xE1\xBA\xAD");
}

TEST(IdentifierNfkc, composes_hangul_jamo_into_syllables_and_keeps_syllables) {
  EXPECT_EQ(identifier_nfkc("\xE1\x84\x80\xE1\x85\xA1"), "\xEA\xB0\x80");                 // ᄀ + ᅡ → 가
  EXPECT_EQ(identifier_nfkc("\xEA\xB0\x80\xE1\x86\xA8"), "\xEA\xB0\x81");                 // 가 + ᆨ → 각
  EXPECT_EQ(identifier_nfkc("\xED\x9E\xA3"), "\xED\x9E\xA3");                             // 힣 stays
}

TEST(IdentifierNfkc, returns_invalid_utf8_unchanged) { EXPECT_EQ(identifier_nfkc("a\xFF"), "a\xFF"); }


// keyword.kwlist of CPython 3.7 to 3.13, as printed by `python -c "import keyword; print(keyword.kwlist)"`.
TEST(IsKeyword, knows_every_word_of_keyword_kwlist) {
  for (const char* word : {"False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del", "elif",
                           "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal", "not", "or",
                           "pass", "raise", "return", "try", "while", "with", "yield"}) {
    EXPECT_TRUE(is_keyword(word)) << word;
  }
}

TEST(IsKeyword, soft_keywords_builtins_and_other_spellings_are_names) {
  for (const char* word : {"match", "case", "type", "_", "lazy", "print", "exec", "none", "TRUE", "If", "imports", "asyn", "", "nonlocals", "finall"}) {
    EXPECT_FALSE(is_keyword(word)) << word;
  }
  EXPECT_FALSE(is_keyword("\xef\xbd\x89\x66"));  // fullwidth `ｉf`: CPython matches keywords before NFKC, so a name
}

}  // namespace
}  // namespace importspy
