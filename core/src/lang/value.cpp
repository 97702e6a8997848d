#include "importspy/lang/value.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <system_error>

#include "importspy/util/float_chars.hpp"

namespace importspy {

Value Value::boolean(bool b) {
  Value v;
  v.kind_ = Kind::boolean;
  v.bool_ = b;
  return v;
}

Value Value::integer(std::int64_t i) {
  Value v;
  v.kind_ = Kind::integer;
  v.int_ = i;
  return v;
}

Value Value::big_integer(std::string decimal_text) {
  // One number, one form: `-9223372036854775808` is written as a negated big literal in source and read
  // as an int64 from a contract; both must compare (and hash, and print) as the same value.
  std::int64_t fits = 0;
  const char* end = decimal_text.data() + decimal_text.size();
  if (const auto [at, error] = std::from_chars(decimal_text.data(), end, fits); error == std::errc() && at == end) return integer(fits);
  Value v;
  v.kind_ = Kind::integer;
  v.text_ = std::move(decimal_text);
  return v;
}

Value Value::floating(double d) {
  Value v;
  v.kind_ = Kind::floating;
  v.float_ = d;
  return v;
}

Value Value::string(std::string s) {
  Value v;
  v.kind_ = Kind::string;
  v.text_ = std::move(s);
  return v;
}

Value Value::list(std::vector<Value> items) {
  Value v;
  v.kind_ = Kind::list;
  v.items_ = std::move(items);
  return v;
}

Value Value::mapping(std::vector<Entry> entries) {
  Value v;
  v.kind_ = Kind::mapping;
  v.entries_ = std::move(entries);
  return v;
}

Value Value::unknown(std::string reason) {
  Value v;
  v.kind_ = Kind::unknown;
  v.text_ = std::move(reason);
  return v;
}

Value Value::opaque(std::string repr_text, std::string type_name) {
  Value v;
  v.kind_ = Kind::opaque;
  v.text_ = std::move(repr_text);
  v.type_name_ = std::move(type_name);
  return v;
}

namespace {

bool numbers_equal(const Value& a, const Value& b) {
  using K = Value::Kind;
  if (a.kind() == K::integer && b.kind() == K::integer) {
    if (a.is_big_integer() || b.is_big_integer()) return a.is_big_integer() && b.is_big_integer() && a.text() == b.text();
    return a.as_int() == b.as_int();
  }
  if (a.kind() == K::floating && b.kind() == K::floating) return a.as_float() == b.as_float();
  // int == float compares numerically, as Python does (1 == 1.0).
  const Value& i = a.kind() == K::integer ? a : b;
  const Value& f = a.kind() == K::integer ? b : a;
  if (i.is_big_integer()) return false;
  return static_cast<double>(i.as_int()) == f.as_float() &&
         static_cast<long double>(i.as_int()) == static_cast<long double>(f.as_float());
}

bool is_number(Value::Kind k) { return k == Value::Kind::integer || k == Value::Kind::floating; }

}  // namespace

bool operator==(const Value& a, const Value& b) {
  using K = Value::Kind;
  if (a.kind_ == K::unknown || b.kind_ == K::unknown || a.kind_ == K::opaque || b.kind_ == K::opaque) return false;
  if (is_number(a.kind_) && is_number(b.kind_)) return numbers_equal(a, b);
  if (a.kind_ != b.kind_) return false;
  switch (a.kind_) {
    case K::null: return true;
    case K::boolean: return a.bool_ == b.bool_;
    case K::string: return a.text_ == b.text_;
    case K::list: return a.items_ == b.items_;
    case K::mapping: {
      if (a.entries_.size() != b.entries_.size()) return false;
      for (const auto& [key, value] : a.entries_) {
        bool found = false;
        for (const auto& [other_key, other_value] : b.entries_) {
          if (key == other_key) {
            found = value == other_value;
            break;
          }
        }
        if (!found) return false;
      }
      return true;
    }
    default: return false;
  }
}

std::string python_string_repr(std::string_view s) {
  const bool has_single = s.find('\'') != std::string_view::npos;
  const bool has_double = s.find('"') != std::string_view::npos;
  const char quote = (has_single && !has_double) ? '"' : '\'';
  std::string out;
  out.reserve(s.size() + 2);
  out.push_back(quote);
  for (unsigned char c : s) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c == static_cast<unsigned char>(quote)) {
          out.push_back('\\');
          out.push_back(static_cast<char>(c));
        } else if (c < 0x20 || c == 0x7f) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\x%02x", c);
          out += buf;
        } else {
          out.push_back(static_cast<char>(c));  // UTF-8 passes through, as Python prints printable text
        }
    }
  }
  out.push_back(quote);
  return out;
}

std::string python_float_repr(double d) {
  if (std::isnan(d)) return "nan";
  if (std::isinf(d)) return d < 0 ? "-inf" : "inf";
  char buf[64];
  auto [end, ec] = float_chars::to_scientific(buf, buf + sizeof buf, d);
  if (ec != std::errc{}) return "nan";
  const std::string sci(buf, end);  // like -1.2345e+05: shortest round-trip digits
  const auto e_pos = sci.find('e');
  int exponent = 0;  // from_chars, not stoi: the C library's conversions follow the host's locale
  const char* exponent_text = sci.data() + e_pos + 1;
  if (*exponent_text == '+') ++exponent_text;
  std::from_chars(exponent_text, sci.data() + sci.size(), exponent);
  const bool negative = sci[0] == '-';
  std::string digits;
  for (char c : sci.substr(0, e_pos)) {
    if (c >= '0' && c <= '9') digits.push_back(c);
  }
  std::string out = negative ? "-" : "";
  if (exponent < -4 || exponent >= 16) {
    out += digits.substr(0, 1);
    if (digits.size() > 1) out += "." + digits.substr(1);
    char exp_buf[16];
    std::snprintf(exp_buf, sizeof exp_buf, "e%c%02d", exponent < 0 ? '-' : '+', std::abs(exponent));
    return out + exp_buf;
  }
  if (exponent < 0) {
    return out + "0." + std::string(static_cast<size_t>(-exponent - 1), '0') + digits;
  }
  const auto integer_digits = static_cast<size_t>(exponent) + 1;
  if (digits.size() <= integer_digits) {
    return out + digits + std::string(integer_digits - digits.size(), '0') + ".0";
  }
  return out + digits.substr(0, integer_digits) + "." + digits.substr(integer_digits);
}

std::string Value::repr() const {
  switch (kind_) {
    case Kind::null: return "None";
    case Kind::boolean: return bool_ ? "True" : "False";
    case Kind::integer: return text_.empty() ? std::to_string(int_) : text_;
    case Kind::floating: return python_float_repr(float_);
    case Kind::string: return python_string_repr(text_);
    case Kind::unknown: return "<unknown: " + text_ + ">";
    case Kind::opaque: return text_;
    case Kind::list: {
      std::string out = "[";
      for (size_t i = 0; i < items_.size(); ++i) {
        if (i) out += ", ";
        out += items_[i].repr();
      }
      return out + "]";
    }
    case Kind::mapping: {
      std::string out = "{";
      for (size_t i = 0; i < entries_.size(); ++i) {
        if (i) out += ", ";
        out += entries_[i].first.repr() + ": " + entries_[i].second.repr();
      }
      return out + "}";
    }
  }
  return "None";
}

std::string_view Value::python_type_name() const {
  switch (kind_) {
    case Kind::null: return "NoneType";
    case Kind::boolean: return "bool";
    case Kind::integer: return "int";
    case Kind::floating: return "float";
    case Kind::string: return "str";
    case Kind::list: return "list";
    case Kind::mapping: return "dict";
    case Kind::unknown: return "unknown";
    case Kind::opaque: return type_name_;
  }
  return "unknown";
}

}  // namespace importspy
