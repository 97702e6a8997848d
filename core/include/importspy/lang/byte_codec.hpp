#pragma once
// The byte encoding the engine keeps its compiled forms in between processes (compiled contracts, stored
// source facts): variable-length integers, length-prefixed text, flags, doubles and Values. Only ever read
// back by the build that wrote them, from an authenticated store; reading is strict all the same: a byte
// that is not where the one encoding puts it throws Malformed.

#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "importspy/lang/value.hpp"

namespace importspy::codec {

struct Malformed {};

class ByteWriter {
public:
  void u64(std::uint64_t n) {
    while (n >= 0x80) {
      out_ += static_cast<char>((n & 0x7f) | 0x80);
      n >>= 7;
    }
    out_ += static_cast<char>(n);
  }
  void i64(std::int64_t n) { u64(static_cast<std::uint64_t>(n)); }
  void flag(bool b) { out_ += b ? '\1' : '\0'; }
  void text(std::string_view s) {
    u64(s.size());
    out_ += s;
  }
  void real(double d) {
    std::uint64_t bits = 0;
    std::memcpy(&bits, &d, sizeof bits);
    for (int i = 0; i < 8; ++i) out_ += static_cast<char>((bits >> (8 * i)) & 0xff);
  }
  void optional_text(const std::optional<std::string>& s) {
    flag(s.has_value());
    if (s) text(*s);
  }
  void value(const Value& v) {
    u64(static_cast<std::uint64_t>(v.kind()));
    switch (v.kind()) {
      case Value::Kind::null: break;
      case Value::Kind::boolean: flag(v.as_bool()); break;
      case Value::Kind::integer:
        flag(v.is_big_integer());
        if (v.is_big_integer()) text(v.text());
        else i64(v.as_int());
        break;
      case Value::Kind::floating: real(v.as_float()); break;
      case Value::Kind::string:
      case Value::Kind::unknown: text(v.text()); break;
      case Value::Kind::opaque:
        text(v.text());
        text(v.opaque_type());
        break;
      case Value::Kind::list:
        u64(v.items().size());
        for (const auto& item : v.items()) value(item);
        break;
      case Value::Kind::mapping:
        u64(v.entries().size());
        for (const auto& [key, item] : v.entries()) {
          value(key);
          value(item);
        }
        break;
    }
  }
  void value(const std::optional<Value>& v) {
    flag(v.has_value());
    if (v) value(*v);
  }
  template <class T, class F>
  void each(const std::vector<T>& items, F write) {
    u64(items.size());
    for (const auto& item : items) write(item);
  }
  std::string take() { return std::move(out_); }

private:
  std::string out_;
};

class ByteReader {
public:
  explicit ByteReader(std::string_view in) : in_(in) {}

  // The one encoding ByteWriter::u64 gives a number: no trailing zero groups, no bits past 64.
  std::uint64_t u64() {
    std::uint64_t n = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      const auto byte = static_cast<unsigned char>(next());
      if (shift == 63 && byte > 1) throw Malformed{};
      n |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
      if (!(byte & 0x80)) {
        if (byte == 0 && shift > 0) throw Malformed{};
        return n;
      }
    }
    throw Malformed{};
  }
  std::int64_t i64() { return static_cast<std::int64_t>(u64()); }
  int small() {
    const std::int64_t n = i64();
    if (n < std::numeric_limits<int>::min() || n > std::numeric_limits<int>::max()) throw Malformed{};
    return static_cast<int>(n);
  }
  bool flag() {
    const char c = next();
    if (c != '\0' && c != '\1') throw Malformed{};
    return c == '\1';
  }
  std::string text() {
    const std::uint64_t size = u64();
    if (size > in_.size() - at_) throw Malformed{};
    std::string s(in_.substr(at_, size));
    at_ += size;
    return s;
  }
  std::optional<std::string> optional_text() {
    if (!flag()) return std::nullopt;
    return text();
  }
  double real() {
    std::uint64_t bits = 0;
    for (int i = 0; i < 8; ++i) bits |= static_cast<std::uint64_t>(static_cast<unsigned char>(next())) << (8 * i);
    double d = 0;
    std::memcpy(&d, &bits, sizeof d);
    return d;
  }
  template <class E>
  E enumerator(E last) {
    const std::uint64_t n = u64();
    if (n > static_cast<std::uint64_t>(last)) throw Malformed{};
    return static_cast<E>(n);
  }
  std::size_t count() {
    const std::uint64_t n = u64();
    if (n > in_.size() - at_) throw Malformed{};  // every item takes at least one byte
    return static_cast<std::size_t>(n);
  }
  Value value(int depth = 0) {
    if (depth > 256) throw Malformed{};
    switch (enumerator(Value::Kind::opaque)) {
      case Value::Kind::null: return Value::none();
      case Value::Kind::boolean: return Value::boolean(flag());
      case Value::Kind::integer: return flag() ? Value::big_integer(text()) : Value::integer(i64());
      case Value::Kind::floating: return Value::floating(real());
      case Value::Kind::string: return Value::string(text());
      case Value::Kind::unknown: return Value::unknown(text());
      case Value::Kind::opaque: {
        std::string repr = text();
        return Value::opaque(std::move(repr), text());
      }
      case Value::Kind::list: {
        std::vector<Value> items(count());
        for (auto& item : items) item = value(depth + 1);
        return Value::list(std::move(items));
      }
      case Value::Kind::mapping: {
        std::vector<Value::Entry> entries(count());
        for (auto& [key, item] : entries) {
          key = value(depth + 1);
          item = value(depth + 1);
        }
        return Value::mapping(std::move(entries));
      }
    }
    throw Malformed{};
  }
  std::optional<Value> optional_value() {
    if (!flag()) return std::nullopt;
    return value();
  }
  template <class T, class F>
  std::vector<T> each(F read) {
    std::vector<T> items(count());
    for (auto& item : items) read(item);
    return items;
  }
  // Every byte read: anything after the last item is not the encoding.
  void expect_end() const {
    if (at_ != in_.size()) throw Malformed{};
  }

private:
  char next() {
    if (at_ >= in_.size()) throw Malformed{};
    return in_[at_++];
  }
  std::string_view in_;
  std::size_t at_ = 0;
};

// The lookup key material of a stored form: each part length-prefixed (so that no two lists of parts give
// the same text), then `payload` as it is.
inline std::string key_material(std::initializer_list<std::string_view> parts, std::string_view payload) {
  std::string material;
  for (std::string_view part : parts) {
    material += std::to_string(part.size());
    material += ':';
    material += part;
  }
  material += payload;
  return material;
}

}  // namespace importspy::codec
