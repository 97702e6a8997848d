#include "importspy/lang/annotation.hpp"
#include "importspy/util/ascii.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <unordered_set>
#include <vector>

namespace importspy {
namespace {

// Forward references may quote annotations that quote annotations; bound the recursion on hostile text.
constexpr int kMaxDepth = 64;

struct Node {
  enum class Kind { name, subscript, union_of, list, string, number, ellipsis, empty_tuple };
  Kind kind = Kind::name;
  std::string text;  // name, string contents, or number
  std::vector<Node> children;  // subscript: base then arguments; union/list: members
};

struct ParseFailure {
  std::size_t offset;
  std::string message;
};

class Parser {
public:
  Parser(std::string_view text, int depth) : text_(text), depth_(depth) {}

  Node parse_all() {
    if (depth_ > kMaxDepth) fail("annotation nests forward references too deeply");
    skip_space();
    if (pos_ == text_.size()) fail("empty annotation");
    Node node = parse_expr();
    skip_space();
    if (pos_ != text_.size()) fail(std::string("unexpected `") + text_[pos_] + "`");
    return node;
  }

private:
  [[noreturn]] void fail(std::string message) { throw ParseFailure{pos_, std::move(message)}; }

  void skip_space() {
    while (pos_ < text_.size() && ascii::is_space(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }

  bool accept(char c) {
    skip_space();
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }

  void expect(char c) {
    if (!accept(c)) {
      if (pos_ >= text_.size()) fail(std::string("expected `") + c + "` before the end of the annotation");
      fail(std::string("expected `") + c + "`, found `" + text_[pos_] + "`");
    }
  }

  static bool is_name_start(char c) {
    return ascii::is_alpha(static_cast<unsigned char>(c)) || c == '_' || static_cast<unsigned char>(c) >= 0x80;
  }
  static bool is_name_char(char c) { return is_name_start(c) || ascii::is_digit(static_cast<unsigned char>(c)); }

  Node parse_expr() {
    if (++nesting_ > 256) fail("annotation nests too deeply");
    Node first = parse_primary();
    if (!peek_is('|')) {
      --nesting_;
      return first;
    }
    Node u{Node::Kind::union_of, {}, {}};
    u.children.push_back(std::move(first));
    while (accept('|')) u.children.push_back(parse_primary());
    --nesting_;
    return u;
  }

  bool peek_is(char c) {
    skip_space();
    return pos_ < text_.size() && text_[pos_] == c;
  }

  Node parse_primary() {
    Node node = parse_atom();
    while (accept('[')) {
      Node sub{Node::Kind::subscript, {}, {}};
      sub.children.push_back(std::move(node));
      if (peek_is(']')) fail("empty subscript");
      do {
        if (peek_is(']')) break;  // trailing comma
        sub.children.push_back(parse_expr());
      } while (accept(','));
      expect(']');
      node = std::move(sub);
    }
    return node;
  }

  Node parse_atom() {
    skip_space();
    if (pos_ >= text_.size()) fail("expected a type before the end of the annotation");
    const char c = text_[pos_];
    if (is_name_start(c)) {
      std::string name;
      while (true) {
        const std::size_t start = pos_;
        while (pos_ < text_.size() && is_name_char(text_[pos_])) ++pos_;
        name.append(text_.substr(start, pos_ - start));
        skip_space();
        if (pos_ < text_.size() && text_[pos_] == '.' && !(text_.substr(pos_, 3) == "...")) {
          ++pos_;
          skip_space();
          if (pos_ >= text_.size() || !is_name_start(text_[pos_])) fail("expected a name after `.`");
          name.push_back('.');
          continue;
        }
        break;
      }
      return Node{Node::Kind::name, std::move(name), {}};
    }
    if (c == '\'' || c == '"') return parse_string();
    if (text_.substr(pos_, 3) == "...") {
      pos_ += 3;
      return Node{Node::Kind::ellipsis, "...", {}};
    }
    if (ascii::is_digit(static_cast<unsigned char>(c)) || c == '-') {
      const std::size_t start = pos_++;
      while (pos_ < text_.size() && (ascii::is_alnum(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '.' || text_[pos_] == '_')) ++pos_;
      if (pos_ - start == 1 && c == '-') fail("expected a number after `-`");
      return Node{Node::Kind::number, std::string(text_.substr(start, pos_ - start)), {}};
    }
    if (c == '[') {
      ++pos_;
      Node list{Node::Kind::list, {}, {}};
      if (!peek_is(']')) {
        do {
          if (peek_is(']')) break;
          list.children.push_back(parse_expr());
        } while (accept(','));
      }
      expect(']');
      return list;
    }
    if (c == '(') {
      ++pos_;
      if (accept(')')) return Node{Node::Kind::empty_tuple, "()", {}};
      Node inner = parse_expr();
      expect(')');
      return inner;
    }
    fail(std::string("unexpected `") + c + "`");
  }

  Node parse_string() {
    const char quote = text_[pos_++];
    std::string out;
    while (pos_ < text_.size() && text_[pos_] != quote) {
      if (text_[pos_] == '\\' && pos_ + 1 < text_.size()) ++pos_;
      out.push_back(text_[pos_++]);
    }
    if (pos_ >= text_.size()) fail("unterminated string in annotation");
    ++pos_;
    return Node{Node::Kind::string, std::move(out), {}};
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  int depth_;
  int nesting_ = 0;
};

std::string canonical_name(std::string_view name) {
  static constexpr std::array<std::string_view, 6> kPrefixes = {
      "typing.", "typing_extensions.", "builtins.", "collections.abc.", "collections.", "types."};
  for (std::string_view prefix : kPrefixes) {
    if (name.starts_with(prefix) && name.find('.', prefix.size()) == std::string_view::npos) {
      name.remove_prefix(prefix.size());
      break;
    }
  }
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 10> kAliases = {{
      {"List", "list"}, {"Dict", "dict"}, {"Set", "set"}, {"FrozenSet", "frozenset"}, {"Tuple", "tuple"},
      {"Type", "type"}, {"Deque", "deque"}, {"DefaultDict", "defaultdict"}, {"Text", "str"}, {"NoneType", "None"},
  }};
  for (const auto& [alias, canonical] : kAliases) {
    if (name == alias) return std::string(canonical);
  }
  return std::string(name);
}

std::string render(const Node& node);

Node normalise(Node node, int depth, bool literal_context);

Node make_union(std::vector<Node> members) {
  // Flatten, render each once, deduplicate, sort with None last: Union equality in Python is by set.
  std::vector<std::pair<std::string, Node>> flat;
  std::unordered_set<std::string> seen;  // a hash set: hostile unions have a hundred thousand members
  std::vector<Node> pending = std::move(members);
  for (size_t i = 0; i < pending.size(); ++i) {
    if (pending[i].kind == Node::Kind::union_of) {
      for (auto& child : pending[i].children) pending.push_back(std::move(child));
      continue;
    }
    std::string key = render(pending[i]);
    if (seen.insert(key).second) flat.emplace_back(std::move(key), std::move(pending[i]));
  }
  std::sort(flat.begin(), flat.end(), [](const auto& a, const auto& b) {
    const bool a_none = a.first == "None", b_none = b.first == "None";
    if (a_none != b_none) return b_none;
    return a.first < b.first;
  });
  if (flat.size() == 1) return std::move(flat.front().second);
  Node u{Node::Kind::union_of, {}, {}};
  for (auto& [key, node] : flat) u.children.push_back(std::move(node));
  return u;
}

Node parse_forward_reference(const std::string& text, int depth) {
  Parser parser(text, depth + 1);
  return normalise(parser.parse_all(), depth + 1, false);
}

Node normalise(Node node, int depth, bool literal_context) {
  switch (node.kind) {
    case Node::Kind::string:
      if (literal_context) return node;
      return parse_forward_reference(node.text, depth);
    case Node::Kind::name:
      node.text = canonical_name(node.text);
      return node;
    case Node::Kind::union_of: {
      std::vector<Node> members;
      for (auto& child : node.children) members.push_back(normalise(std::move(child), depth, false));
      return make_union(std::move(members));
    }
    case Node::Kind::list:
      for (auto& child : node.children) child = normalise(std::move(child), depth, literal_context);
      return node;
    case Node::Kind::subscript: {
      Node base = normalise(std::move(node.children.front()), depth, false);
      std::vector<Node> args(std::make_move_iterator(node.children.begin() + 1), std::make_move_iterator(node.children.end()));
      if (base.kind == Node::Kind::name && base.text == "Optional" && args.size() == 1) {
        args[0] = normalise(std::move(args[0]), depth, false);
        args.push_back(Node{Node::Kind::name, "None", {}});
        return make_union(std::move(args));
      }
      if (base.kind == Node::Kind::name && base.text == "Union") {
        for (auto& arg : args) arg = normalise(std::move(arg), depth, false);
        return make_union(std::move(args));
      }
      const bool is_literal = base.kind == Node::Kind::name && base.text == "Literal";
      const bool is_annotated = base.kind == Node::Kind::name && base.text == "Annotated";
      for (size_t i = 0; i < args.size(); ++i) {
        // Annotated metadata and Literal members are values, not types: quoted text stays text.
        const bool value_position = is_literal || (is_annotated && i > 0);
        args[i] = normalise(std::move(args[i]), depth, value_position);
      }
      if (is_literal) {
        // Rendered once each, then sorted and deduplicated by that text.
        std::vector<std::pair<std::string, Node>> keyed;
        for (auto& arg : args) keyed.emplace_back(render(arg), std::move(arg));
        std::sort(keyed.begin(), keyed.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
        keyed.erase(std::unique(keyed.begin(), keyed.end(), [](const auto& a, const auto& b) { return a.first == b.first; }), keyed.end());
        args.clear();
        for (auto& [key, arg] : keyed) args.push_back(std::move(arg));
      }
      Node out{Node::Kind::subscript, {}, {}};
      out.children.push_back(std::move(base));
      for (auto& arg : args) out.children.push_back(std::move(arg));
      return out;
    }
    default:
      return node;
  }
}

std::string quote_literal(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out + "'";
}

std::string join(const std::vector<Node>& nodes, size_t from, std::string_view separator) {
  std::string out;
  for (size_t i = from; i < nodes.size(); ++i) {
    if (i > from) out += separator;
    out += render(nodes[i]);
  }
  return out;
}

std::string render(const Node& node) {
  switch (node.kind) {
    case Node::Kind::name:
    case Node::Kind::number:
    case Node::Kind::ellipsis:
    case Node::Kind::empty_tuple: return node.text;
    case Node::Kind::string: return quote_literal(node.text);
    case Node::Kind::union_of: return join(node.children, 0, " | ");
    case Node::Kind::list: return "[" + join(node.children, 0, ", ") + "]";
    case Node::Kind::subscript: {
      // `Optional[X][Y]`: the base is a union, which must keep its parentheses to be read back the same.
      const Node& base = node.children.front();
      const std::string rendered = base.kind == Node::Kind::union_of ? "(" + render(base) + ")" : render(base);
      return rendered + "[" + join(node.children, 1, ", ") + "]";
    }
  }
  return node.text;
}

}  // namespace

std::optional<std::string> canonical_annotation(std::string_view text, AnnotationSyntaxError* error) {
  if (text.size() > kMaxAnnotationBytes) {
    if (error) {
      *error = AnnotationSyntaxError{0, "the annotation is " + std::to_string(text.size()) + " bytes, more than the limit of " +
                                                             std::to_string(kMaxAnnotationBytes)};
    }
    return std::nullopt;
  }
  try {
    Parser parser(text, 0);
    return render(normalise(parser.parse_all(), 0, false));
  } catch (const ParseFailure& failure) {
    if (error) *error = AnnotationSyntaxError{failure.offset, failure.message};
    return std::nullopt;
  }
}

std::string canonical_annotation_or_text(std::string_view text) {
  if (auto canonical = canonical_annotation(text)) return *std::move(canonical);
  std::string folded;
  bool pending_space = false;
  for (char c : text) {
    if (ascii::is_space(static_cast<unsigned char>(c))) {
      pending_space = !folded.empty();
      continue;
    }
    if (pending_space) folded.push_back(' ');
    pending_space = false;
    folded.push_back(c);
  }
  return folded;
}

}  // namespace importspy
