#include "importspy/source/token.hpp"

namespace importspy {

bool is_operator(TokenKind kind) { return kind >= TokenKind::lpar; }

std::string_view token_type_name(TokenKind kind) {
  switch (kind) {
    case TokenKind::end_marker: return "ENDMARKER";
    case TokenKind::name: return "NAME";
    case TokenKind::number: return "NUMBER";
    case TokenKind::string:
    case TokenKind::fstring: return "STRING";
    case TokenKind::newline: return "NEWLINE";
    case TokenKind::nl: return "NL";
    case TokenKind::comment: return "COMMENT";
    case TokenKind::indent: return "INDENT";
    case TokenKind::dedent: return "DEDENT";
    default: return "OP";
  }
}

std::string_view token_exact_name(TokenKind kind) {
  switch (kind) {
    case TokenKind::lpar: return "LPAR";
    case TokenKind::rpar: return "RPAR";
    case TokenKind::lsqb: return "LSQB";
    case TokenKind::rsqb: return "RSQB";
    case TokenKind::lbrace: return "LBRACE";
    case TokenKind::rbrace: return "RBRACE";
    case TokenKind::colon: return "COLON";
    case TokenKind::comma: return "COMMA";
    case TokenKind::semi: return "SEMI";
    case TokenKind::dot: return "DOT";
    case TokenKind::ellipsis: return "ELLIPSIS";
    case TokenKind::plus: return "PLUS";
    case TokenKind::minus: return "MINUS";
    case TokenKind::star: return "STAR";
    case TokenKind::slash: return "SLASH";
    case TokenKind::vbar: return "VBAR";
    case TokenKind::amper: return "AMPER";
    case TokenKind::less: return "LESS";
    case TokenKind::greater: return "GREATER";
    case TokenKind::equal: return "EQUAL";
    case TokenKind::percent: return "PERCENT";
    case TokenKind::tilde: return "TILDE";
    case TokenKind::circumflex: return "CIRCUMFLEX";
    case TokenKind::at: return "AT";
    case TokenKind::exclamation: return "EXCLAMATION";
    case TokenKind::eqequal: return "EQEQUAL";
    case TokenKind::notequal: return "NOTEQUAL";
    case TokenKind::lessequal: return "LESSEQUAL";
    case TokenKind::greaterequal: return "GREATEREQUAL";
    case TokenKind::leftshift: return "LEFTSHIFT";
    case TokenKind::rightshift: return "RIGHTSHIFT";
    case TokenKind::doublestar: return "DOUBLESTAR";
    case TokenKind::doubleslash: return "DOUBLESLASH";
    case TokenKind::rarrow: return "RARROW";
    case TokenKind::colonequal: return "COLONEQUAL";
    case TokenKind::plusequal: return "PLUSEQUAL";
    case TokenKind::minequal: return "MINEQUAL";
    case TokenKind::starequal: return "STAREQUAL";
    case TokenKind::slashequal: return "SLASHEQUAL";
    case TokenKind::percentequal: return "PERCENTEQUAL";
    case TokenKind::amperequal: return "AMPEREQUAL";
    case TokenKind::vbarequal: return "VBAREQUAL";
    case TokenKind::circumflexequal: return "CIRCUMFLEXEQUAL";
    case TokenKind::atequal: return "ATEQUAL";
    case TokenKind::leftshiftequal: return "LEFTSHIFTEQUAL";
    case TokenKind::rightshiftequal: return "RIGHTSHIFTEQUAL";
    case TokenKind::doublestarequal: return "DOUBLESTAREQUAL";
    case TokenKind::doubleslashequal: return "DOUBLESLASHEQUAL";
    default: return token_type_name(kind);
  }
}

}  // namespace importspy
