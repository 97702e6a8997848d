#include "importspy/lang/identifier.hpp"
#include "importspy/util/utf8.hpp"

#include <algorithm>
#include <cstdint>
#include <span>
#include <vector>

namespace importspy {
namespace {

struct NfkdEntry {
  char32_t code_point;
  std::uint16_t offset;  // into kNfkdPool
  std::uint8_t length;
};
struct CombiningRange {
  char32_t first, last;
  std::uint8_t combining_class;
};
struct Composition {
  char32_t first, second, composite;
};
#include "nfkc_table.inc"

// Hangul syllables decompose and compose by arithmetic (Unicode 15.1, section 3.12).
constexpr char32_t kSBase = 0xAC00, kLBase = 0x1100, kVBase = 0x1161, kTBase = 0x11A7;
constexpr char32_t kLCount = 19, kVCount = 21, kTCount = 28, kNCount = kVCount * kTCount, kSCount = kLCount * kNCount;

int combining_class(char32_t cp) {
  if (cp < 0x300) return 0;
  const auto after = std::upper_bound(std::begin(kCombiningClass), std::end(kCombiningClass), cp,
                                      [](char32_t c, const CombiningRange& r) { return c < r.first; });
  if (after == std::begin(kCombiningClass) || cp > std::prev(after)->last) return 0;
  return std::prev(after)->combining_class;
}

void decompose(char32_t cp, std::vector<char32_t>& out) {
  if (cp >= kSBase && cp < kSBase + kSCount) {
    const char32_t s = cp - kSBase;
    out.push_back(kLBase + s / kNCount);
    out.push_back(kVBase + (s % kNCount) / kTCount);
    if (s % kTCount != 0) out.push_back(kTBase + s % kTCount);
    return;
  }
  const auto at = std::lower_bound(std::begin(kNfkd), std::end(kNfkd), cp, [](const NfkdEntry& e, char32_t c) { return e.code_point < c; });
  if (at == std::end(kNfkd) || at->code_point != cp) {
    out.push_back(cp);
    return;
  }
  out.insert(out.end(), kNfkdPool + at->offset, kNfkdPool + at->offset + at->length);
}

// The canonical composite of a starter and the next character, or 0.
char32_t compose(char32_t first, char32_t second) {
  if (first >= kLBase && first < kLBase + kLCount && second >= kVBase && second < kVBase + kVCount) {
    return kSBase + ((first - kLBase) * kVCount + (second - kVBase)) * kTCount;
  }
  if (first >= kSBase && first < kSBase + kSCount && (first - kSBase) % kTCount == 0 && second > kTBase && second < kTBase + kTCount) {
    return first + (second - kTBase);
  }
  const Composition key{first, second, 0};
  const auto at = std::lower_bound(std::begin(kCompositions), std::end(kCompositions), key, [](const Composition& a, const Composition& b) {
    return a.first != b.first ? a.first < b.first : a.second < b.second;
  });
  return at != std::end(kCompositions) && at->first == first && at->second == second ? at->composite : 0;
}

// Valid UTF-8 → code points; false on invalid bytes.
bool decode(std::string_view s, std::vector<char32_t>& out) {
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const std::size_t length = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
    if (length == 0 || i + length > s.size()) return false;
    char32_t cp = length == 1 ? c : c & (0x7F >> length);
    for (std::size_t k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(s[i + k]);
      if ((next & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (next & 0x3F);
    }
    out.push_back(cp);
    i += length;
  }
  return true;
}

}  // namespace

bool is_ascii_name(std::string_view name) {
  return std::all_of(name.begin(), name.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

std::string identifier_nfkc(std::string_view name) {
  if (is_ascii_name(name)) return std::string(name);
  std::vector<char32_t> written;
  if (!decode(name, written)) return std::string(name);
  // 1. Full compatibility decomposition.
  std::vector<char32_t> chars;
  chars.reserve(written.size() * 2);
  for (const char32_t cp : written) decompose(cp, chars);
  // 2. Canonical ordering: each run of non-starters sorted by combining class, stably.
  for (std::size_t i = 0; i < chars.size();) {
    if (combining_class(chars[i]) == 0) {
      ++i;
      continue;
    }
    std::size_t end = i;
    while (end < chars.size() && combining_class(chars[end]) != 0) ++end;
    std::stable_sort(chars.begin() + static_cast<std::ptrdiff_t>(i), chars.begin() + static_cast<std::ptrdiff_t>(end),
                     [](char32_t a, char32_t b) { return combining_class(a) < combining_class(b); });
    i = end;
  }
  // 3. Canonical composition: a character joins the last starter unless a character between them
  // blocks it (class 0, or a class not lower than its own).
  std::vector<char32_t> composed;
  composed.reserve(chars.size());
  std::size_t starter = 0;
  bool have_starter = false;
  int last_class = -1;  // class of the last character appended after the starter; -1: none
  for (const char32_t cp : chars) {
    const int cc = combining_class(cp);
    if (have_starter && (last_class < cc || (last_class == -1))) {
      if (const char32_t c = compose(composed[starter], cp); c != 0 && !(last_class == 0)) {
        composed[starter] = c;
        continue;
      }
    }
    if (cc == 0) {
      starter = composed.size();
      have_starter = true;
      last_class = -1;
    } else {
      last_class = cc;
    }
    composed.push_back(cp);
  }
  std::string out;
  out.reserve(name.size());
  for (const char32_t cp : composed) append_utf8(out, cp);
  return out;
}

bool is_keyword(std::string_view w) {
  // By length first: most names are rejected by one or two comparisons (this runs for every name token).
  switch (w.size()) {
    case 2: return w == "as" || w == "if" || w == "in" || w == "is" || w == "or";
    case 3: return w == "and" || w == "def" || w == "del" || w == "for" || w == "not" || w == "try";
    case 4: return w == "None" || w == "True" || w == "elif" || w == "else" || w == "from" || w == "pass" || w == "with";
    case 5: return w == "False" || w == "async" || w == "await" || w == "break" || w == "class" || w == "raise" || w == "while" || w == "yield";
    case 6: return w == "assert" || w == "except" || w == "global" || w == "import" || w == "lambda" || w == "return";
    case 7: return w == "finally";
    case 8: return w == "continue" || w == "nonlocal";
    default: return false;
  }
}

}  // namespace importspy
