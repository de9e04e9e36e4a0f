//! Syntax errors: E01xx, reported by the lexer, the delimiter pass and the parser.

use super::CodeInfo;
use crate::diagnostic::Code;

pub const UNEXPECTED_TOKEN: Code = Code("E0100");
pub const UNCLOSED_DELIMITER: Code = Code("E0101");
pub const UNTERMINATED_STRING: Code = Code("E0102");
pub const UNTERMINATED_INTERPOLATION: Code = Code("E0103");
pub const UNMATCHED_CLOSER: Code = Code("E0104");
pub const KEYWORD_AS_NAME: Code = Code("E0105");
pub const INVALID_NUMBER: Code = Code("E0106");
pub const ASSIGN_IN_CONDITION: Code = Code("E0107");
pub const TYPE_IN_EXPRESSION: Code = Code("E0108");
pub const EXPRESSION_IN_TYPE: Code = Code("E0109");
pub const MISSING_EQUALS: Code = Code("E0110");
pub const MISSING_SEPARATOR: Code = Code("E0111");
pub const INVALID_ESCAPE: Code = Code("E0112");
pub const NESTING_TOO_DEEP: Code = Code("E0113");
pub const INVALID_CHARACTER: Code = Code("E0114");
pub const CHAINED_COMPARISON: Code = Code("E0115");
pub const MISMATCHED_DELIMITER: Code = Code("E0116");

pub const CODES: &[CodeInfo] = &[
    CodeInfo {
        code: UNEXPECTED_TOKEN,
        title: "unexpected token",
        explanation: "The parser found something that cannot stand at this place. The message says \
what was expected.\n\nWrong:\n\n```fgl\nports = [80, 443 +]\n```\n\nRight:\n\n\
```fgl\nports = [80, 443]\n```\n",
    },
    CodeInfo {
        code: UNCLOSED_DELIMITER,
        title: "unclosed delimiter",
        explanation: "A `{`, `[` or `(` is never closed. The label points at the opening \
delimiter; fgl assumes it ends before the next line that is indented as little as the line \
that opened it.\n\nWrong:\n\n```fgl\nweb = aws.Container {\n  image = \"nginx\"\n\nlb = 1\n```\n\n\
Right:\n\n```fgl\nweb = aws.Container {\n  image = \"nginx\"\n}\n\nlb = 1\n```\n",
    },
    CodeInfo {
        code: UNTERMINATED_STRING,
        title: "unterminated string",
        explanation: "A string is never closed. A `\"…\"` string ends on the line it starts; \
use `\"\"\"…\"\"\"` for text over several lines.\n\nWrong:\n\n```fgl\nimage = \"nginx:1.27\n```\n\n\
Right:\n\n```fgl\nimage = \"nginx:1.27\"\n```\n",
    },
    CodeInfo {
        code: UNTERMINATED_INTERPOLATION,
        title: "unterminated interpolation",
        explanation: "A `${` inside a string is never closed with `}`.\n\nWrong:\n\n```fgl\n\
url = \"https://${host\"\n```\n\nRight:\n\n```fgl\nurl = \"https://${host}\"\n```\n\nTo write a \
literal `${`, escape the dollar: `\"\\${not interpolated}\"`.\n",
    },
    CodeInfo {
        code: UNMATCHED_CLOSER,
        title: "unmatched closing delimiter",
        explanation: "A `}`, `]` or `)` closes nothing: no matching opening delimiter is \
open.\n\nWrong:\n\n```fgl\nport = 8080 }\n```\n\nRight:\n\n```fgl\nport = 8080\n```\n",
    },
    CodeInfo {
        code: KEYWORD_AS_NAME,
        title: "keyword used as a name",
        explanation: "Keywords (`import as let in if then else fn schema resource type param \
check for true false null`) cannot name a binding, parameter or field. A record key that is a \
keyword can be quoted.\n\nWrong:\n\n```fgl\nlet type = \"web\"\nlabels = { type = \"web\" }\n\
```\n\nRight:\n\n```fgl\nlet kind = \"web\"\nlabels = { \"type\" = \"web\" }\n```\n",
    },
    CodeInfo {
        code: INVALID_NUMBER,
        title: "invalid number",
        explanation: "Numbers are integers written in decimal, with optional `_` between \
digits (`1_000`). fgl v0 has no floating-point numbers, no hexadecimal and no suffixes, and an \
integer must fit in 64 bits.\n\nWrong:\n\n```fgl\ncpu = 0.25\nmemory = 512mb\n```\n\nRight:\n\n\
```fgl\ncpu = 256\nmemory = 512\n```\n",
    },
    CodeInfo {
        code: ASSIGN_IN_CONDITION,
        title: "`=` used as a comparison",
        explanation: "`=` binds a name or a field; comparison is `==`.\n\nWrong:\n\n```fgl\n\
replicas = if env = \"prod\" then 3 else 1\n```\n\nRight:\n\n```fgl\nreplicas = if env == \
\"prod\" then 3 else 1\n```\n",
    },
    CodeInfo {
        code: TYPE_IN_EXPRESSION,
        title: "a type where an expression is expected",
        explanation: "Type syntax (`List[T]`, `1..10`, `\"a\" | \"b\"`, `{ name: String }`) \
can only appear after `:` in a `param`, a typed binding, a schema field or a `type` alias. A \
value is expected here.\n\nWrong:\n\n```fgl\nport = 1..65535\n```\n\nRight:\n\n```fgl\ntype Port = \
1..65535\nport: Port = 8080\n```\n",
    },
    CodeInfo {
        code: EXPRESSION_IN_TYPE,
        title: "an expression where a type is expected",
        explanation: "After `:` (and after `type NAME =`) fgl expects a type such as `Int`, \
`String`, `List[String]`, `{ name: String }`, `1..65535` or `\"http\" | \"https\"`; a value was \
found.\n\nWrong:\n\n```fgl\nparam replicas: 1 + 1\nschema Probe { path: \"/\" + \"x\" }\n```\n\n\
Right:\n\n```fgl\nparam replicas: Int = 2\nschema Probe { path: String = \"/x\" }\n```\n",
    },
    CodeInfo {
        code: MISSING_EQUALS,
        title: "missing `=` after a field name",
        explanation: "A record field is written `name = value`.\n\nWrong:\n\n```fgl\nweb = \
aws.Container { image \"nginx\" }\n```\n\nRight:\n\n```fgl\nweb = aws.Container { image = \
\"nginx\" }\n```\n",
    },
    CodeInfo {
        code: MISSING_SEPARATOR,
        title: "missing `,` or newline between entries",
        explanation: "Entries of records, lists and schemas are separated by commas or \
newlines.\n\nWrong:\n\n```fgl\nenv = { A = \"1\" B = \"2\" }\n```\n\nRight:\n\n```fgl\nenv = { A \
= \"1\", B = \"2\" }\n```\n",
    },
    CodeInfo {
        code: INVALID_ESCAPE,
        title: "invalid escape sequence",
        explanation: "Strings know the escapes `\\n`, `\\t`, `\\r`, `\\\"`, `\\\\` and `\\$`.\n\n\
Wrong:\n\n```fgl\npath = \"C:\\temp\\x\"\n```\n\nRight:\n\n```fgl\npath = \"C:\\\\temp\\\\x\"\n```\n",
    },
    CodeInfo {
        code: NESTING_TOO_DEEP,
        title: "nesting too deep",
        explanation: "Brackets may nest at most 128 levels deep, expressions and types (through \
`if`, `let`, `fn`, brackets and prefix operators) at most 256 levels, and one chain of binary \
operators, prefix operators or field accesses may have at most 512 links, and a whole expression \
tree at most 1,000 levels, so that every tool stays fast and bounded. Split the expression with \
`let` bindings.\n",
    },
    CodeInfo {
        code: INVALID_CHARACTER,
        title: "invalid character",
        explanation: "This character cannot start any token of fgl. Identifiers are ASCII \
(`[A-Za-z_][A-Za-z0-9_]*`); other text belongs in strings or comments.\n\nWrong:\n\n```fgl\n\
prix€ = 3\n```\n\nRight:\n\n```fgl\nprix = 3   # €\n```\n",
    },
    CodeInfo {
        code: CHAINED_COMPARISON,
        title: "chained comparison",
        explanation: "Comparison operators do not chain: `a < b < c` is not `a < b && b < c`.\n\n\
Wrong:\n\n```fgl\nok = 1 < x < 10\n```\n\nRight:\n\n```fgl\nok = 1 < x && x < 10\n```\n",
    },
    CodeInfo {
        code: MISMATCHED_DELIMITER,
        title: "mismatched closing delimiter",
        explanation: "A closing delimiter does not match the one that is open.\n\nWrong:\n\n\
```fgl\nports = [80, 443}\n```\n\nRight:\n\n```fgl\nports = [80, 443]\n```\n",
    },
];
