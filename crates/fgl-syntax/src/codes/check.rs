//! Names and types: E02xx, reported by `fgl-check` before anything is evaluated.

use super::CodeInfo;
use crate::diagnostic::Code;

pub const UNKNOWN_NAME: Code = Code("E0200");
pub const UNKNOWN_FIELD: Code = Code("E0201");
pub const MISSING_FIELDS: Code = Code("E0202");
pub const TYPE_MISMATCH: Code = Code("E0203");
pub const WRONG_ARITY: Code = Code("E0204");
pub const UNKNOWN_ARGUMENT: Code = Code("E0205");
pub const OUT_OF_RANGE: Code = Code("E0206");
pub const SECRET_AS_VALUE: Code = Code("E0207");
pub const DUPLICATE_FIELD: Code = Code("E0208");
pub const DUPLICATE_BINDING: Code = Code("E0209");
pub const CYCLE: Code = Code("E0210");
pub const IMPORT_NOT_FOUND: Code = Code("E0211");
pub const IMPORT_CYCLE: Code = Code("E0212");
pub const INVALID_STACK: Code = Code("E0213");
pub const WRONG_KIND_OF_NAME: Code = Code("E0214");
pub const PRIVATE_MEMBER: Code = Code("E0215");
pub const NOT_CALLABLE: Code = Code("E0216");

pub const CODES: &[CodeInfo] = &[
    CodeInfo {
        code: UNKNOWN_NAME,
        title: "unknown name",
        explanation: r#"A name is used that no binding, parameter, `let`, import, type or schema
in scope defines. Names are looked up from the innermost scope outwards: comprehension
variables, function parameters, `let … in`, then the module's bindings (in any order), then the
built-ins. When a close name exists, the message suggests it.

Wrong:

```fgl
let port = 8080
url = "http://localhost:${prot}"
```

Right:

```fgl
let port = 8080
url = "http://localhost:${port}"
```
"#,
    },
    CodeInfo {
        code: UNKNOWN_FIELD,
        title: "unknown field",
        explanation: r#"A field is set in a schema instantiation, or read from a record or schema
value, that its type does not declare. The message suggests a close name, or lists the fields
that exist.

Wrong:

```fgl
schema Probe { path: String = "/", interval: Int = 30 }
probe = Probe { pth = "/healthz" }
```

Right:

```fgl
schema Probe { path: String = "/", interval: Int = 30 }
probe = Probe { path = "/healthz" }
```
"#,
    },
    CodeInfo {
        code: MISSING_FIELDS,
        title: "missing required fields",
        explanation: r#"A schema instantiation (or a record given where a schema is expected) leaves
out fields that have no default and are not optional. All missing fields are listed at once.

Wrong:

```fgl
schema Service { name: String, port: Int, replicas: Int = 1 }
api = Service { name = "api" }
```

Right:

```fgl
schema Service { name: String, port: Int, replicas: Int = 1 }
api = Service { name = "api", port = 8080 }
```
"#,
    },
    CodeInfo {
        code: TYPE_MISMATCH,
        title: "type mismatch",
        explanation: r#"A value of one type stands where another is expected. The message says what
was expected and what was found, and a label points at where the expectation comes from (the
field's declaration, the parameter, the annotation).

Wrong:

```fgl
schema Service { name: String, port: Int }
api = Service { name = "api", port = "8080" }
```

Right:

```fgl
schema Service { name: String, port: Int }
api = Service { name = "api", port = 8080 }
```
"#,
    },
    CodeInfo {
        code: WRONG_ARITY,
        title: "wrong number of arguments",
        explanation: r#"A function is called with too many arguments, or without one of its
required parameters (those without a default).

Wrong:

```fgl
let greet = fn(name: String, greeting: String = "hello") => "${greeting}, ${name}"
message = greet()
```

Right:

```fgl
let greet = fn(name: String, greeting: String = "hello") => "${greeting}, ${name}"
message = greet("world")
```
"#,
    },
    CodeInfo {
        code: UNKNOWN_ARGUMENT,
        title: "unknown or repeated named argument",
        explanation: r#"A named argument does not match any parameter of the function, or names a
parameter that already received a value.

Wrong:

```fgl
let greet = fn(name: String, greeting: String = "hello") => "${greeting}, ${name}"
message = greet("world", greting = "hi")
```

Right:

```fgl
let greet = fn(name: String, greeting: String = "hello") => "${greeting}, ${name}"
message = greet("world", greeting = "hi")
```
"#,
    },
    CodeInfo {
        code: OUT_OF_RANGE,
        title: "value outside its range or union",
        explanation: r#"A literal (or a value known before evaluation) lies outside the integer range
or the union of literals its place expects. Values computed during evaluation are checked
against the same types by the evaluator (`E0301`).

Wrong:

```fgl
type Port = 1..65535
port: Port = 70000
```

Right:

```fgl
type Port = 1..65535
port: Port = 8080
```
"#,
    },
    CodeInfo {
        code: SECRET_AS_VALUE,
        title: "secret used as a plain value",
        explanation: r#"A `Secret` may only flow into fields typed `Secret` (such as a container's
`secrets` map), where the task reads it from SSM at start. Interpolating it into a string,
comparing it, concatenating it or passing it where a `String` is expected would put it in plain
text, so it is an error.

Wrong:

```fgl
import "std/aws"
password = aws.Secret { name = "db/password" }
url = "postgres://app:${password}@db"
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
        code: DUPLICATE_FIELD,
        title: "duplicate field",
        explanation: r#"A record, a schema instantiation, a record type or a schema sets or declares
the same field twice (nested keys such as `a.b = 1` count as setting `a`).

Wrong:

```fgl
env = { USER = "shop", USER = "web" }
```

Right:

```fgl
env = { USER = "shop", GROUP = "web" }
```
"#,
    },
    CodeInfo {
        code: DUPLICATE_BINDING,
        title: "name defined twice",
        explanation: r#"Two module-level items (bindings, `let`s, params, types, schemas, imports)
define the same name, or a function has two parameters with the same name. A module has one
namespace, so a type and a binding cannot share a name either.

Wrong:

```fgl
let port = 8080
port = 9090
```

Right:

```fgl
let default_port = 8080
port = 9090
```
"#,
    },
    CodeInfo {
        code: CYCLE,
        title: "cycle between definitions",
        explanation: r#"A binding's value depends on itself, through a chain of other bindings, or a
type alias is defined in terms of itself. The message lists the whole cycle. (Functions may call
themselves: recursion through a function body is not a cycle, and is bounded by the evaluator's
budgets.)

Wrong:

```fgl
a = b + 1
b = a + 1
```

Right:

```fgl
a = 1
b = a + 1
```
"#,
    },
    CodeInfo {
        code: IMPORT_NOT_FOUND,
        title: "cannot import",
        explanation: r#"An import names a standard-library module that does not exist, a file that
cannot be read, or a path of the wrong form. `std/NAME` loads the embedded standard library;
`./file.fgl` and `../dir/file.fgl` load a file relative to the importing file. When the alias
cannot be derived from the path (it is not an identifier), give one with `as`.

Wrong:

```fgl
import "std/awss"
```

Right:

```fgl
import "std/aws"
```
"#,
    },
    CodeInfo {
        code: IMPORT_CYCLE,
        title: "import cycle",
        explanation: r#"Modules import each other in a circle. The message lists the whole cycle.
Move what both need into a third module that both import.

Wrong (in `a.fgl`, while `b.fgl` imports `./a.fgl`):

```
import "./b.fgl"
```

Right: put the shared definitions in `common.fgl`, imported by both `a.fgl` and `b.fgl`.
"#,
    },
    CodeInfo {
        code: INVALID_STACK,
        title: "invalid stack name",
        explanation: r#"`stack` names the owner of everything deployed: it must be a string of 1 to
28 characters, lowercase letters, digits and `-`, starting with a letter (it becomes part of AWS
resource names and tags).

Wrong:

```fgl
stack = "My Shop"
```

Right:

```fgl
stack = "my-shop"
```
"#,
    },
    CodeInfo {
        code: WRONG_KIND_OF_NAME,
        title: "wrong kind of name",
        explanation: r#"A name stands where a different kind of thing is needed: a value where a type
or schema is expected, a type used as a value, or `Name { … }` where `Name` is not a schema.

Wrong:

```fgl
type Port = 1..65535
port = Port
```

Right:

```fgl
type Port = 1..65535
port: Port = 8080
```
"#,
    },
    CodeInfo {
        code: PRIVATE_MEMBER,
        title: "private member of another module",
        explanation: r#"`let` bindings are private to their module: another module cannot read them
through an import. Make the binding public (`name = …`) in the module that defines it.

Wrong (in `app.fgl`, with `let zone = "example.com"` in `net.fgl`):

```
import "./net.fgl"
domain = "shop.${net.zone}"
```

Right: write `zone = "example.com"` in `net.fgl`.
"#,
    },
    CodeInfo {
        code: NOT_CALLABLE,
        title: "not a function",
        explanation: r#"Something that is not a function is called.

Wrong:

```fgl
let port = 8080
x = port(1)
```

Right:

```fgl
let port = fn(offset: Int) => 8080 + offset
x = port(1)
```
"#,
    },
];
