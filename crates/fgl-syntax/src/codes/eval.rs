//! Evaluation: E03xx, reported by `fgl-eval` for what only evaluation can know.

use super::CodeInfo;
use crate::diagnostic::Code;

pub const CHECK_FAILED: Code = Code("E0300");
pub const VALUE_OUT_OF_TYPE: Code = Code("E0301");
pub const STEP_BUDGET: Code = Code("E0302");
pub const DEPTH_BUDGET: Code = Code("E0303");
pub const ARITHMETIC: Code = Code("E0304");
pub const BAD_ARGUMENT: Code = Code("E0305");
pub const PARAM_ERROR: Code = Code("E0306");
pub const UNREACHABLE_RESOURCE: Code = Code("E0307");
pub const KEY_ERROR: Code = Code("E0308");
pub const INVALID_LOGICAL_ID: Code = Code("E0309");

pub const CODES: &[CodeInfo] = &[
    CodeInfo {
        code: CHECK_FAILED,
        title: "check failed",
        explanation: r#"A `check COND else "message"` clause evaluated to `false`: a module-level
check, or one of a schema's checks when a value of that schema was made. The message is the
check's own; for a schema check, the error points at the instantiation (or the `//` that
made the value) with a label at the check, and its help shows the values of the fields the check
reads.

Wrong:

```fgl
schema Range { lo: Int, hi: Int, check lo <= hi else "lo must not exceed hi" }
r = Range { lo = 5, hi = 1 }
```

Right:

```fgl
schema Range { lo: Int, hi: Int, check lo <= hi else "lo must not exceed hi" }
r = Range { lo = 1, hi = 5 }
```
"#,
    },
    CodeInfo {
        code: VALUE_OUT_OF_TYPE,
        title: "computed value outside its type",
        explanation: r#"A value computed during evaluation does not fit the type of the place it
flows into: an integer outside a range, a string outside a union of literals. (Literals are
caught before evaluation, `E0206`.)

Wrong:

```fgl
type Port = 1..65535
let base = 65000
port: Port = base + 1000
```

Right:

```fgl
type Port = 1..65535
let base = 8000
port: Port = base + 80
```
"#,
    },
    CodeInfo {
        code: STEP_BUDGET,
        title: "evaluation step budget exhausted",
        explanation: r#"Evaluation took more steps than its budget (10 million by default; building
large lists and strings counts by their size). The budget guarantees that every program ends
quickly with either a value or this error. The usual cause is recursion that branches (each call
calling itself twice) or a huge `range`.

Wrong:

```fgl
let fib = fn(n: Int) => if n < 2 then n else fib(n - 1) + fib(n - 2)
x = fib(40)
```

Right:

```fgl
let fib = fn(n: Int) => if n < 2 then n else fib(n - 1) + fib(n - 2)
x = fib(15)
```
"#,
    },
    CodeInfo {
        code: DEPTH_BUDGET,
        title: "recursion too deep",
        explanation: r#"Function calls nested deeper than the evaluator's limit (1,000 calls), usually
recursion without a reachable base case.

Wrong:

```fgl
let count = fn(n: Int) => if n == 0 then 0 else 1 + count(n + 1)
x = count(5)
```

Right:

```fgl
let count = fn(n: Int) => if n <= 0 then 0 else 1 + count(n - 1)
x = count(5)
```
"#,
    },
    CodeInfo {
        code: ARITHMETIC,
        title: "arithmetic error",
        explanation: r#"Division or remainder by zero, or an integer result beyond the 64-bit range.

Wrong:

```fgl
let replicas = 0
per_replica = 1024 / replicas
```

Right:

```fgl
let replicas = 2
per_replica = 1024 / replicas
```
"#,
    },
    CodeInfo {
        code: BAD_ARGUMENT,
        title: "invalid argument to a built-in function",
        explanation: r#"A built-in function received a value it cannot work with: `to_int` of text
that is not a number, `min` or `max` of an empty list, `range` with a negative count (or
`range(lo, hi)` with `hi < lo`), `split` by or `replace` of the empty string.

Wrong:

```fgl
port = to_int("80a")
```

Right:

```fgl
port = to_int("80")
```
"#,
    },
    CodeInfo {
        code: PARAM_ERROR,
        title: "invalid parameter value",
        explanation: r#"A `--set NAME=VALUE` names no `param` of the file, a param without a default
is not set, or a value does not parse as the param's type (`Int`, `Bool`, a range or union; a
`String` takes the text as it is).

Wrong:

```
param replicas: 1..10
```

run as `fgl eval app.fgl --set replicas=20`

Right: `fgl eval app.fgl --set replicas=2`
"#,
    },
    CodeInfo {
        code: UNREACHABLE_RESOURCE,
        title: "resource not reachable from a public binding",
        explanation: r#"A resource is referenced by another resource, but no public binding of the
file reaches it, so it would have no logical id and would not be deployed. Bind it to a public
name (its logical id), or reach it through one.

Wrong:

```fgl
import "std/aws"
let password = aws.Secret { name = "db/password" }
web = aws.Container { image = "app:1", secrets = { DB_PASSWORD = password } }
```

Right:

```fgl
import "std/aws"
password = aws.Secret { name = "db/password" }
web = aws.Container { image = "app:1", secrets = { DB_PASSWORD = password } }
```
"#,
    },
    CodeInfo {
        code: KEY_ERROR,
        title: "missing or repeated key",
        explanation: r#"A key known only during evaluation is wrong: reading `m.key` of a map that
has no such key, or a record comprehension (or a record with interpolated keys) that makes the
same key twice. Test membership with `"key" in m` first, or make the keys unique.

Wrong:

```fgl
let names = ["api", "web", "api"]
ports = { "${n}" = 8080 for n in names }
```

Right:

```fgl
let names = ["api", "web", "api"]
ports = { "${n}" = 8080 for n in unique(names) }
```
"#,
    },
    CodeInfo {
        code: INVALID_LOGICAL_ID,
        title: "invalid logical id",
        explanation: r#"A resource's logical id is the dotted path of the public binding that reaches
it (`web`, `services.api`, `workers.0`). Every step of that path must be made of letters,
digits and `_`: the id becomes part of the names of its AWS resources, and a key such as
`api-v2` or `a.b` could give two resources the same id or the same AWS names.

Wrong:

```fgl
import "std/aws"
services = { "api-v2" = aws.Container { image = "app:2" } }
```

Right:

```fgl
import "std/aws"
services = { api_v2 = aws.Container { image = "app:2" } }
```
"#,
    },
];
