#pragma once
// A Python literal as written in a contract (`value:`) or found in a module.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace importspy {

// Holds what YAML 1.2's core schema and Python literals share: None, bool, int, float, str, and lists
// and mappings of those. `unknown` is a fact that exists but cannot be known without running code
// (static extraction); it never equals anything, so a contract value cannot silently pass against it.
// `opaque` is a known value that is no literal (a Path, a set, a function): it equals nothing either,
// but it is reported as a mismatch, with its repr, rather than as unverifiable.
class Value {
public:
  enum class Kind { null, boolean, integer, floating, string, list, mapping, unknown, opaque };
  using Entry = std::pair<Value, Value>;

  Value() = default;  // null
  static Value none() { return {}; }
  static Value boolean(bool b);
  static Value integer(std::int64_t i);
  // An integer too large for 64 bits, kept exactly as its canonical decimal text; one that fits is an
  // integer() (a number has one form whichever way it was written).
  static Value big_integer(std::string decimal_text);
  static Value floating(double d);
  static Value string(std::string s);
  static Value list(std::vector<Value> items);
  static Value mapping(std::vector<Entry> entries);
  // `reason` says why the value is unknown ("call expression", "name reference", ...).
  static Value unknown(std::string reason);
  // `repr_text` is Python's repr() of the object, already shortened by the caller if needed.
  static Value opaque(std::string repr_text, std::string type_name);

  Kind kind() const { return kind_; }
  bool is_null() const { return kind_ == Kind::null; }
  bool is_unknown() const { return kind_ == Kind::unknown; }
  bool as_bool() const { return bool_; }
  std::int64_t as_int() const { return int_; }
  bool is_big_integer() const { return kind_ == Kind::integer && !text_.empty(); }
  double as_float() const { return float_; }
  // The string for `string`, the decimal text for a big integer, the reason for `unknown`, the repr for
  // `opaque`.
  const std::string& text() const { return text_; }
  const std::string& opaque_type() const { return type_name_; }
  const std::vector<Value>& items() const { return items_; }
  const std::vector<Entry>& entries() const { return entries_; }

  // Python equality, except that bool never equals int (a contract saying `1` does not accept `True`)
  // and `unknown` and `opaque` equal nothing. Mapping order does not matter; list order does.
  friend bool operator==(const Value& a, const Value& b);

  // Python's repr(): 'text', None, True, 1.5, [1, 2], {'a': 1}; `unknown` renders as <unknown: reason>.
  std::string repr() const;

  // Human name of the kind as Python users know it: NoneType, bool, int, float, str, list, dict, or the
  // opaque object's type.
  std::string_view python_type_name() const;

private:
  Kind kind_ = Kind::null;
  bool bool_ = false;
  std::int64_t int_ = 0;
  double float_ = 0.0;
  std::string text_;
  std::string type_name_;
  std::vector<Value> items_;
  std::vector<Entry> entries_;
};

// Python's repr of a str: single quotes unless the text holds a single quote and no double quote.
std::string python_string_repr(std::string_view s);

// Python's repr of a float: shortest round-trip digits, exponent form outside 1e-4 <= |x| < 1e16.
std::string python_float_repr(double d);

}  // namespace importspy
