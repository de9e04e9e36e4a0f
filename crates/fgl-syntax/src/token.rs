//! Tokens as the parser sees them, after the lexer resolved string modes, matched delimiters
//! and decided which newlines separate entries.

use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Tok<'s> {
    Ident(&'s str),
    Int(i64),
    /// `"` or `"""` opening a string.
    StrStart {
        multiline: bool,
    },
    /// Raw text inside a string (escapes not yet resolved).
    StrText(&'s str),
    /// `${` inside a string.
    InterpStart,
    /// The `}` closing an interpolation.
    InterpEnd,
    StrEnd,

    Import,
    As,
    Let,
    In,
    If,
    Then,
    Else,
    Fn,
    Schema,
    Resource,
    Type,
    Param,
    Check,
    For,
    True,
    False,
    Null,

    LBrace,
    RBrace,
    LBracket,
    RBracket,
    LParen,
    RParen,
    Comma,
    Dot,
    DotDot,
    Colon,
    Assign,
    EqEq,
    NotEq,
    Lt,
    Le,
    Gt,
    Ge,
    Plus,
    PlusPlus,
    Minus,
    Star,
    Slash,
    SlashSlash,
    Percent,
    AndAnd,
    OrOr,
    Bang,
    Question,
    QuestionQuestion,
    Pipe,
    Arrow,
    FatArrow,
    /// A newline that separates entries (others are dropped by the lexer).
    Newline,
    /// Something the lexer already reported (an invalid number or character, or a region
    /// collapsed for being nested too deeply). Parses as an erroneous expression or type.
    Error,
}

/// Every keyword of the language.
pub const KEYWORDS: &[&str] = &[
    "import", "as", "let", "in", "if", "then", "else", "fn", "schema", "resource", "type", "param",
    "check", "for", "true", "false", "null",
];

/// Whether `word` is a keyword (and so cannot name a binding, parameter or field).
pub fn is_keyword(word: &str) -> bool {
    KEYWORDS.contains(&word)
}

impl Tok<'_> {
    pub fn keyword_text(self) -> Option<&'static str> {
        Some(match self {
            Tok::Import => "import",
            Tok::As => "as",
            Tok::Let => "let",
            Tok::In => "in",
            Tok::If => "if",
            Tok::Then => "then",
            Tok::Else => "else",
            Tok::Fn => "fn",
            Tok::Schema => "schema",
            Tok::Resource => "resource",
            Tok::Type => "type",
            Tok::Param => "param",
            Tok::Check => "check",
            Tok::For => "for",
            Tok::True => "true",
            Tok::False => "false",
            Tok::Null => "null",
            _ => return None,
        })
    }

    pub fn is_keyword(self) -> bool {
        self.keyword_text().is_some()
    }

    /// The binary operators of expressions (`-` is also a prefix operator; `in` is left out
    /// because it is a keyword first).
    pub fn is_binary_operator(self) -> bool {
        matches!(
            self,
            Tok::Plus
                | Tok::PlusPlus
                | Tok::Minus
                | Tok::Star
                | Tok::Slash
                | Tok::SlashSlash
                | Tok::Percent
                | Tok::AndAnd
                | Tok::OrOr
                | Tok::EqEq
                | Tok::NotEq
                | Tok::Lt
                | Tok::Le
                | Tok::Gt
                | Tok::Ge
                | Tok::QuestionQuestion
        )
    }

    fn punct_text(self) -> Option<&'static str> {
        Some(match self {
            Tok::LBrace => "{",
            Tok::RBrace | Tok::InterpEnd => "}",
            Tok::LBracket => "[",
            Tok::RBracket => "]",
            Tok::LParen => "(",
            Tok::RParen => ")",
            Tok::Comma => ",",
            Tok::Dot => ".",
            Tok::DotDot => "..",
            Tok::Colon => ":",
            Tok::Assign => "=",
            Tok::EqEq => "==",
            Tok::NotEq => "!=",
            Tok::Lt => "<",
            Tok::Le => "<=",
            Tok::Gt => ">",
            Tok::Ge => ">=",
            Tok::Plus => "+",
            Tok::PlusPlus => "++",
            Tok::Minus => "-",
            Tok::Star => "*",
            Tok::Slash => "/",
            Tok::SlashSlash => "//",
            Tok::Percent => "%",
            Tok::AndAnd => "&&",
            Tok::OrOr => "||",
            Tok::Bang => "!",
            Tok::Question => "?",
            Tok::QuestionQuestion => "??",
            Tok::Pipe => "|",
            Tok::Arrow => "->",
            Tok::FatArrow => "=>",
            Tok::InterpStart => "${",
            _ => return None,
        })
    }
}

/// How a token is named in messages: "`{`", "identifier `web`", "end of line".
impl fmt::Display for Tok<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(text) = self.keyword_text() {
            return write!(f, "keyword `{text}`");
        }
        if let Some(text) = self.punct_text() {
            return write!(f, "`{text}`");
        }
        match self {
            Tok::Ident(name) => write!(f, "identifier `{name}`"),
            Tok::Int(value) => write!(f, "number `{value}`"),
            Tok::StrStart { .. } => f.write_str("string"),
            Tok::StrText(_) => f.write_str("string text"),
            Tok::StrEnd => f.write_str("end of string"),
            Tok::Newline => f.write_str("end of line"),
            Tok::Error => f.write_str("invalid token"),
            _ => write!(f, "{self:?}"),
        }
    }
}
