#include "importspy/lang/version.hpp"
#include "importspy/util/ascii.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace importspy {
namespace {

class Scanner {
public:
  explicit Scanner(std::string_view s) : s_(s) {}
  bool done() const { return i_ >= s_.size(); }
  char peek() const { return done() ? '\0' : s_[i_]; }
  size_t pos() const { return i_; }
  void seek(size_t p) { i_ = p; }

  bool number(std::uint64_t& out) {
    const size_t start = i_;
    while (!done() && ascii::is_digit(static_cast<unsigned char>(s_[i_]))) ++i_;
    if (i_ == start) return false;
    auto [ptr, ec] = std::from_chars(s_.data() + start, s_.data() + i_, out);
    return ec == std::errc{} && ptr == s_.data() + i_;
  }

  bool separator() {
    if (!done() && (s_[i_] == '.' || s_[i_] == '-' || s_[i_] == '_')) {
      ++i_;
      return true;
    }
    return false;
  }

  // Consumes one of `words` (already lower-case) ignoring case; returns its index or -1.
  int word(std::initializer_list<std::string_view> words) {
    int index = 0;
    for (std::string_view w : words) {
      if (s_.size() - i_ >= w.size()) {
        bool same = true;
        for (size_t k = 0; k < w.size(); ++k) {
          if (ascii::to_lower(static_cast<unsigned char>(s_[i_ + k])) != w[k]) {
            same = false;
            break;
          }
        }
        if (same) {
          i_ += w.size();
          return index;
        }
      }
      ++index;
    }
    return -1;
  }

  std::string_view rest() const { return s_.substr(i_); }

private:
  std::string_view s_;
  size_t i_ = 0;
};

std::string_view trim(std::string_view s) {
  while (!s.empty() && ascii::is_space(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && ascii::is_space(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

int compare_release(const std::vector<std::uint64_t>& a, const std::vector<std::uint64_t>& b) {
  const size_t n = std::max(a.size(), b.size());
  for (size_t i = 0; i < n; ++i) {
    const std::uint64_t x = i < a.size() ? a[i] : 0, y = i < b.size() ? b[i] : 0;
    if (x != y) return x < y ? -1 : 1;
  }
  return 0;
}

template <typename T>
int three_way(const T& a, const T& b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}

// Sort keys from PEP 440: a dev-only release sorts before pre-releases, a final after them.
std::pair<int, std::pair<int, std::uint64_t>> pre_key(const Version& v) {
  if (!v.pre && !v.post && v.dev) return {-1, {0, 0}};
  if (!v.pre) return {1, {0, 0}};
  return {0, *v.pre};
}

int compare_local(std::string_view a, std::string_view b) {
  if (a.empty() || b.empty()) return three_way(!a.empty(), !b.empty());
  // Segments compare numerically when both are numbers; a number sorts after a word.
  const auto digit = [](char c) { return ascii::is_digit(static_cast<unsigned char>(c)); };
  while (!a.empty() && !b.empty()) {
    const size_t ea = std::min(a.find('.'), a.size()), eb = std::min(b.find('.'), b.size());
    const std::string_view sa = a.substr(0, ea), sb = b.substr(0, eb);
    const bool na = std::all_of(sa.begin(), sa.end(), digit), nb = std::all_of(sb.begin(), sb.end(), digit);
    int c = 0;
    if (na && nb) {
      c = three_way(sa.size(), sb.size());
      if (c == 0) c = three_way(sa, sb);
    } else if (na != nb) {
      c = na ? 1 : -1;
    } else {
      c = three_way(sa, sb);
    }
    if (c) return c;
    a.remove_prefix(std::min(ea + 1, a.size()));
    b.remove_prefix(std::min(eb + 1, b.size()));
  }
  return three_way(!a.empty(), !b.empty());
}

}  // namespace

std::optional<Version> Version::parse(std::string_view text) {
  text = trim(text);
  Scanner s(text);
  Version v;
  if (s.peek() == 'v' || s.peek() == 'V') s.seek(1);
  std::uint64_t n = 0;
  if (!s.number(n)) return std::nullopt;
  if (s.peek() == '!') {
    v.epoch = n;
    s.seek(s.pos() + 1);
    if (!s.number(n)) return std::nullopt;
  }
  v.release.push_back(n);
  while (s.peek() == '.') {
    const size_t mark = s.pos();
    s.seek(mark + 1);
    if (!s.number(n)) {
      s.seek(mark);
      break;
    }
    v.release.push_back(n);
  }
  // Pre-release.
  {
    const size_t mark = s.pos();
    s.separator();
    const int w = s.word({"alpha", "beta", "preview", "pre", "rc", "a", "b", "c"});
    if (w >= 0) {
      static constexpr int kPhase[] = {0, 1, 2, 2, 2, 0, 1, 2};
      s.separator();
      std::uint64_t pn = 0;
      if (!s.number(pn)) pn = 0;
      v.pre = std::make_pair(kPhase[w], pn);
    } else {
      s.seek(mark);
    }
  }
  // Post-release: `-N` or `.postN`.
  {
    const size_t mark = s.pos();
    std::uint64_t pn = 0;
    if (s.peek() == '-') {
      s.seek(mark + 1);
      if (s.number(pn)) {
        v.post = pn;
      } else {
        s.seek(mark);
      }
    }
    if (!v.post) {
      s.separator();
      if (s.word({"post", "rev", "r"}) >= 0) {
        s.separator();
        if (!s.number(pn)) pn = 0;
        v.post = pn;
      } else {
        s.seek(mark);
      }
    }
  }
  // Development release.
  {
    const size_t mark = s.pos();
    s.separator();
    if (s.word({"dev"}) >= 0) {
      std::uint64_t dn = 0;
      s.separator();
      if (!s.number(dn)) dn = 0;
      v.dev = dn;
    } else {
      s.seek(mark);
    }
  }
  if (s.peek() == '+') {
    std::string_view local = s.rest().substr(1);
    if (local.empty()) return std::nullopt;
    for (char c : local) {
      if (ascii::is_alnum(static_cast<unsigned char>(c))) {
        v.local.push_back(static_cast<char>(ascii::to_lower(static_cast<unsigned char>(c))));
      } else if (c == '.' || c == '-' || c == '_') {
        v.local.push_back('.');
      } else {
        return std::nullopt;
      }
    }
    s.seek(text.size());
  }
  if (!s.done()) return std::nullopt;
  return v;
}

int Version::compare_public(const Version& o) const {
  if (int c = three_way(epoch, o.epoch)) return c;
  if (int c = compare_release(release, o.release)) return c;
  if (int c = three_way(pre_key(*this), pre_key(o))) return c;
  const auto post_key = [](const Version& v) { return v.post ? static_cast<long double>(*v.post) : -1.0L; };
  if (int c = three_way(post_key(*this), post_key(o))) return c;
  const auto dev_key = [](const Version& v) { return v.dev ? static_cast<long double>(*v.dev) : 1e30L; };
  return three_way(dev_key(*this), dev_key(o));
}

int Version::compare(const Version& o) const {
  if (int c = compare_public(o)) return c;
  return compare_local(local, o.local);
}

std::string Version::str() const {
  std::string out;
  if (epoch) out += std::to_string(epoch) + "!";
  for (size_t i = 0; i < release.size(); ++i) {
    if (i) out += ".";
    out += std::to_string(release[i]);
  }
  if (pre) out += std::string(pre->first == 0 ? "a" : pre->first == 1 ? "b" : "rc") + std::to_string(pre->second);
  if (post) out += ".post" + std::to_string(*post);
  if (dev) out += ".dev" + std::to_string(*dev);
  if (!local.empty()) out += "+" + local;
  return out;
}

namespace {

bool release_prefix_matches(const Version& prefix, const Version& actual) {
  if (prefix.epoch != actual.epoch) return false;
  for (size_t i = 0; i < prefix.release.size(); ++i) {
    const std::uint64_t have = i < actual.release.size() ? actual.release[i] : 0;
    if (have != prefix.release[i]) return false;
  }
  return true;
}

Version without_local(Version v) {
  v.local.clear();
  return v;
}

bool same_release(const Version& a, const Version& b) {
  return a.epoch == b.epoch && compare_release(a.release, b.release) == 0;
}

}  // namespace

bool VersionClause::matches(const Version& actual, std::string_view actual_text) const {
  switch (op) {
    case Op::arbitrary: {
      const std::string_view want = text, have = trim(actual_text);
      return want.size() == have.size() && std::equal(want.begin(), want.end(), have.begin(), [](char a, char b) {
               return ascii::to_lower(static_cast<unsigned char>(a)) == ascii::to_lower(static_cast<unsigned char>(b));
             });
    }
    case Op::equal:
    case Op::not_equal: {
      bool equal = false;
      if (wildcard) {
        equal = release_prefix_matches(version, actual);
      } else if (version.local.empty()) {
        equal = version.compare_public(actual) == 0;
      } else {
        equal = version.compare(actual) == 0;
      }
      return op == Op::equal ? equal : !equal;
    }
    case Op::less_equal: return without_local(actual).compare_public(version) <= 0;
    case Op::greater_equal: return without_local(actual).compare_public(version) >= 0;
    case Op::less:
      // `<3.13` must not admit 3.13.0rc1: pre-releases of the bound itself are excluded.
      if (actual.compare_public(version) >= 0) return false;
      return !(actual.is_prerelease() && !version.is_prerelease() && same_release(actual, version));
    case Op::greater:
      // `>1.0` must not admit 1.0.post1 unless the bound is itself a post-release.
      if (actual.compare_public(version) <= 0) return false;
      return !(actual.post && !version.post && same_release(actual, version));
    case Op::compatible: {
      if (without_local(actual).compare_public(version) < 0) return false;
      Version prefix = version;
      prefix.release.pop_back();
      return release_prefix_matches(prefix, actual);
    }
  }
  return false;
}

std::optional<VersionRule> VersionRule::parse(std::string_view raw, std::string* error) {
  const auto failed = [&](std::string message) -> std::optional<VersionRule> {
    if (error) *error = std::move(message);
    return std::nullopt;
  };
  const std::string_view text = trim(raw);
  VersionRule rule;
  rule.text_ = std::string(text);
  if (text.empty()) return failed("empty version");
  const bool is_specifier = text.find_first_of("<>=!~,") != std::string_view::npos;
  if (!is_specifier) {
    rule.bare_ = Version::parse(text);
    return rule;
  }
  std::string_view rest = text;
  while (true) {
    const size_t comma = rest.find(',');
    const std::string_view clause_text = trim(rest.substr(0, comma));
    if (clause_text.empty()) return failed("empty clause in version specifier `" + std::string(text) + "`");
    VersionClause clause;
    static constexpr std::pair<std::string_view, VersionClause::Op> kOps[] = {
        {"===", VersionClause::Op::arbitrary}, {"~=", VersionClause::Op::compatible},  {"==", VersionClause::Op::equal},
        {"!=", VersionClause::Op::not_equal},  {"<=", VersionClause::Op::less_equal},  {">=", VersionClause::Op::greater_equal},
        {"<", VersionClause::Op::less},        {">", VersionClause::Op::greater},
    };
    std::string_view operand;
    bool found = false;
    for (const auto& [spelling, op] : kOps) {
      if (clause_text.starts_with(spelling)) {
        clause.op = op;
        operand = trim(clause_text.substr(spelling.size()));
        found = true;
        break;
      }
    }
    if (!found) {
      return failed("`" + std::string(clause_text) + "` has no operator; write `==" + std::string(clause_text) +
                    "` or use one of ~= == != <= >= < > ===");
    }
    clause.text = std::string(operand);
    if (clause.op != VersionClause::Op::arbitrary) {
      if (operand.ends_with(".*")) {
        if (clause.op != VersionClause::Op::equal && clause.op != VersionClause::Op::not_equal) {
          return failed("`.*` is allowed only after == and != (in `" + std::string(clause_text) + "`)");
        }
        clause.wildcard = true;
        operand.remove_suffix(2);
      }
      auto version = Version::parse(operand);
      if (!version) return failed("`" + std::string(operand) + "` is not a PEP 440 version (in `" + std::string(clause_text) + "`)");
      if (clause.wildcard && (version->pre || version->post || version->dev || !version->local.empty())) {
        return failed("`.*` must follow a release number such as 3.11 (in `" + std::string(clause_text) + "`)");
      }
      if (clause.op == VersionClause::Op::compatible && version->release.size() < 2) {
        return failed("`~=` needs at least two release numbers, such as ~=1.4 (in `" + std::string(clause_text) + "`)");
      }
      clause.version = *std::move(version);
    }
    rule.clauses_.push_back(std::move(clause));
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return rule;
}

bool VersionRule::matches(std::string_view actual_text) const { return matches(Version::parse(actual_text), actual_text); }

bool VersionRule::matches(const std::optional<Version>& actual, std::string_view actual_text) const {
  if (!clauses_.empty()) {
    if (!actual) return false;
    return std::all_of(clauses_.begin(), clauses_.end(), [&](const VersionClause& c) { return c.matches(*actual, actual_text); });
  }
  if (!bare_) return trim(actual_text) == text_;
  if (!actual) return false;
  if (!release_prefix_matches(*bare_, *actual)) return false;
  // `3.11` names a release line; `1.0rc1` or `1.0.post2` names one exact version.
  if (bare_->pre || bare_->post || bare_->dev || !bare_->local.empty()) return bare_->compare(*actual) == 0;
  return true;
}

}  // namespace importspy
