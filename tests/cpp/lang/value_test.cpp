#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "importspy/lang/value.hpp"

using importspy::Value;

TEST(Value, ints_and_floats_compare_numerically_like_python) {
  EXPECT_EQ(Value::integer(1), Value::floating(1.0));
  EXPECT_NE(Value::integer(1), Value::floating(1.5));
}

TEST(Value, bool_never_equals_int) {
  EXPECT_NE(Value::boolean(true), Value::integer(1));
  EXPECT_NE(Value::boolean(false), Value::integer(0));
}

TEST(Value, unknown_equals_nothing_not_even_itself) {
  EXPECT_NE(Value::unknown("call"), Value::unknown("call"));
  EXPECT_NE(Value::unknown("call"), Value::none());
}

TEST(Value, mappings_compare_regardless_of_order) {
  const Value a = Value::mapping({{Value::string("x"), Value::integer(1)}, {Value::string("y"), Value::integer(2)}});
  const Value b = Value::mapping({{Value::string("y"), Value::integer(2)}, {Value::string("x"), Value::integer(1)}});
  EXPECT_EQ(a, b);
  EXPECT_NE(a, Value::mapping({{Value::string("x"), Value::integer(1)}}));
}

TEST(Value, lists_compare_in_order) {
  EXPECT_EQ(Value::list({Value::integer(1), Value::string("a")}), Value::list({Value::integer(1), Value::string("a")}));
  EXPECT_NE(Value::list({Value::integer(1), Value::integer(2)}), Value::list({Value::integer(2), Value::integer(1)}));
}

TEST(Value, big_integers_compare_by_exact_digits) {
  EXPECT_EQ(Value::big_integer("123456789012345678901234567890"), Value::big_integer("123456789012345678901234567890"));
  EXPECT_NE(Value::big_integer("123456789012345678901234567890"), Value::integer(1));
}

TEST(Value, repr_matches_python) {
  EXPECT_EQ(Value::none().repr(), "None");
  EXPECT_EQ(Value::boolean(true).repr(), "True");
  EXPECT_EQ(Value::integer(-7).repr(), "-7");
  EXPECT_EQ(Value::string("docker").repr(), "'docker'");
  EXPECT_EQ(Value::string("it's").repr(), "\"it's\"");
  EXPECT_EQ(Value::string("a\nb").repr(), "'a\\nb'");
  EXPECT_EQ(Value::list({Value::integer(1), Value::string("x")}).repr(), "[1, 'x']");
  EXPECT_EQ(Value::mapping({{Value::string("k"), Value::none()}}).repr(), "{'k': None}");
}

TEST(Value, float_repr_matches_python) {
  EXPECT_EQ(importspy::python_float_repr(1.0), "1.0");
  EXPECT_EQ(importspy::python_float_repr(0.1), "0.1");
  EXPECT_EQ(importspy::python_float_repr(1.5e-5), "1.5e-05");
  EXPECT_EQ(importspy::python_float_repr(0.0001), "0.0001");
  EXPECT_EQ(importspy::python_float_repr(1e16), "1e+16");
  EXPECT_EQ(importspy::python_float_repr(123456.789), "123456.789");
  EXPECT_EQ(importspy::python_float_repr(-2.5), "-2.5");
  EXPECT_EQ(importspy::python_float_repr(HUGE_VAL), "inf");
  EXPECT_EQ(importspy::python_float_repr(std::nan("")), "nan");
}

TEST(Value, python_type_names) {
  EXPECT_EQ(Value::none().python_type_name(), "NoneType");
  EXPECT_EQ(Value::mapping({}).python_type_name(), "dict");
}

TEST(Value, opaque_equals_nothing_and_shows_its_repr) {
  const Value path = Value::opaque("PosixPath('/tmp')", "pathlib.PosixPath");
  EXPECT_NE(path, Value::string("/tmp"));
  EXPECT_NE(path, path);
  EXPECT_EQ(path.repr(), "PosixPath('/tmp')");
  EXPECT_EQ(path.python_type_name(), "pathlib.PosixPath");
}

namespace importspy {
namespace {

TEST(Value, a_big_integer_that_fits_64_bits_is_a_plain_integer) {
  // `-9223372036854775808` in source is the negation of a literal beyond int64; a contract reads it as int64.
  const Value from_source = Value::big_integer("-9223372036854775808");
  EXPECT_FALSE(from_source.is_big_integer());
  EXPECT_EQ(from_source, Value::integer(std::numeric_limits<std::int64_t>::min()));
  EXPECT_TRUE(Value::big_integer("9223372036854775808").is_big_integer());
  EXPECT_NE(Value::big_integer("9223372036854775808"), Value::integer(std::numeric_limits<std::int64_t>::max()));
}

}  // namespace
}  // namespace importspy
