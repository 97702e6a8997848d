#include <gtest/gtest.h>

#include <algorithm>

#include "importspy/lang/annotation.hpp"

using importspy::canonical_annotation;
using importspy::canonical_annotation_or_text;
using importspy::AnnotationSyntaxError;
using importspy::kMaxAnnotationBytes;

namespace {
std::string canon(std::string_view text) {
  auto out = canonical_annotation(text);
  EXPECT_TRUE(out.has_value()) << text;
  return out.value_or("<invalid>");
}
}  // namespace

TEST(Annotation, typing_list_equals_builtin_list) {
  EXPECT_EQ(canon("List[str]"), "list[str]");
  EXPECT_EQ(canon("typing.List[str]"), "list[str]");
  EXPECT_EQ(canon("list[str]"), "list[str]");
}

TEST(Annotation, other_typing_aliases_become_builtins) {
  EXPECT_EQ(canon("Dict[str, int]"), "dict[str, int]");
  EXPECT_EQ(canon("Tuple[int, ...]"), "tuple[int, ...]");
  EXPECT_EQ(canon("FrozenSet[int]"), "frozenset[int]");
  EXPECT_EQ(canon("Set[int]"), "set[int]");
  EXPECT_EQ(canon("Type[Plugin]"), "type[Plugin]");
  EXPECT_EQ(canon("typing.Text"), "str");
}

TEST(Annotation, optional_equals_union_with_none_equals_pipe) {
  EXPECT_EQ(canon("Optional[int]"), "int | None");
  EXPECT_EQ(canon("Union[int, None]"), "int | None");
  EXPECT_EQ(canon("int | None"), "int | None");
  EXPECT_EQ(canon("None | int"), "int | None");
  EXPECT_EQ(canon("typing.Optional[int]"), "int | None");
}

TEST(Annotation, union_members_are_flattened_deduplicated_and_sorted) {
  EXPECT_EQ(canon("Union[str, Union[int, str]]"), "int | str");
  EXPECT_EQ(canon("Optional[Optional[int]]"), "int | None");
  EXPECT_EQ(canon("Union[int]"), "int");
  EXPECT_EQ(canon("Optional[Union[str, bytes]]"), "bytes | str | None");
}

TEST(Annotation, quoted_forward_reference_equals_its_text) {
  EXPECT_EQ(canon("'Extension'"), "Extension");
  EXPECT_EQ(canon("\"Optional[Extension]\""), "Extension | None");
  EXPECT_EQ(canon("List['Extension']"), "list[Extension]");
}

TEST(Annotation, none_type_equals_none) {
  EXPECT_EQ(canon("NoneType"), "None");
  EXPECT_EQ(canon("types.NoneType"), "None");
}

TEST(Annotation, white_space_does_not_matter) { EXPECT_EQ(canon("  dict[ str ,int ]  "), "dict[str, int]"); }

TEST(Annotation, callable_argument_lists_are_kept) {
  EXPECT_EQ(canon("Callable[[int, str], bool]"), "Callable[[int, str], bool]");
  EXPECT_EQ(canon("collections.abc.Callable[..., None]"), "Callable[..., None]");
}

TEST(Annotation, literal_members_stay_values_and_are_sorted) {
  EXPECT_EQ(canon("Literal['b', 'a']"), "Literal['a', 'b']");
  EXPECT_EQ(canon("typing.Literal[1, 'x']"), "Literal['x', 1]");
}

TEST(Annotation, annotated_metadata_strings_stay_strings) { EXPECT_EQ(canon("Annotated[int, 'meta']"), "Annotated[int, 'meta']"); }

TEST(Annotation, any_annotation_is_allowed_not_a_fixed_list) {
  EXPECT_EQ(canon("my.pkg.Custom[T]"), "my.pkg.Custom[T]");
  EXPECT_EQ(canon("Sequence[Mapping[str, Any]]"), "Sequence[Mapping[str, Any]]");
}

TEST(Annotation, rejects_unbalanced_brackets_with_offset) {
  importspy::AnnotationSyntaxError error;
  EXPECT_FALSE(canonical_annotation("List[str", &error).has_value());
  EXPECT_EQ(error.offset, 8u);
  EXPECT_NE(error.message.find("`]`"), std::string::npos);
}

TEST(Annotation, rejects_empty_text) { EXPECT_FALSE(canonical_annotation("   ").has_value()); }

TEST(Annotation, rejects_unterminated_forward_reference) { EXPECT_FALSE(canonical_annotation("'Extension").has_value()); }

TEST(Annotation, rejects_hostile_nesting_without_exhausting_the_stack) {
  importspy::AnnotationSyntaxError error;
  EXPECT_FALSE(canonical_annotation("x" + std::string(60000, '['), &error).has_value());
  EXPECT_NE(error.message.find("too deeply"), std::string::npos);
}

TEST(Annotation, module_text_that_does_not_parse_is_compared_as_folded_text) {
  EXPECT_EQ(canonical_annotation_or_text("  weird <annotation>  here "), "weird <annotation> here");
  EXPECT_EQ(canonical_annotation_or_text("List[int]"), "list[int]");
}

TEST(Annotation, a_union_with_thousands_of_members_is_flattened_deduplicated_and_sorted) {
  // Members are deduplicated through a hash set, in linear time; bench/core_bench.cpp times it.
  std::string text = "Union[";
  for (int i = 0; i < 8000; ++i) text += (i ? ", T" : "T") + std::to_string(i % 4000);
  text += ", None]";
  ASSERT_LT(text.size(), kMaxAnnotationBytes);
  const auto canonical = canonical_annotation(text);
  ASSERT_TRUE(canonical.has_value());
  EXPECT_TRUE(canonical->starts_with("T0 | T1 | T10 | T100 | T1000 | T1001"));
  EXPECT_TRUE(canonical->ends_with("T999 | None"));
  EXPECT_EQ(std::count(canonical->begin(), canonical->end(), '|'), 4000);
}

TEST(Annotation, refuses_an_annotation_longer_than_the_limit) {
  std::string text = "Union[";
  for (int i = 0; i < 100000; ++i) text += "Name" + std::to_string(i) + ", ";
  text += "None]";
  AnnotationSyntaxError error;
  EXPECT_FALSE(canonical_annotation(text, &error).has_value());
  EXPECT_EQ(error.offset, 0u);
  EXPECT_EQ(error.message, "the annotation is " + std::to_string(text.size()) + " bytes, more than the limit of 65536");
}

TEST(Annotation, literal_members_are_sorted_and_deduplicated_once_each) {
  EXPECT_EQ(canon("Literal['b', 'a', 'b', 2, 1]"), "Literal['a', 'b', 1, 2]");
}

TEST(Annotation, a_subscripted_union_keeps_its_parentheses_so_the_canonical_text_reads_back_the_same) {
  // Found by tests/fuzz/annotation_fuzz.cpp: `Optional[A][s, t]` rendered as `A | None[s, t]`.
  EXPECT_EQ(canon("Optional[Uisn.o][s,tr]"), "(Uisn.o | None)[s, tr]");
  EXPECT_EQ(canon(canon("Optional[Uisn.o][s,tr]")), "(Uisn.o | None)[s, tr]");
}
