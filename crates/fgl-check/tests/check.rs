//! What the checker reports (code, span, message) for small programs, loaded from memory.

mod common;

use common::{codes, diagnose, diagnose_with, ok, one};

#[test]
fn unknown_names_suggest_close_ones() {
    let f = one("let port = 1\nx = prot + 1\n", "E0200", "prot");
    assert_eq!(f.help.as_deref(), Some("did you mean `port`?"));
    let f = one("x = zzz\n", "E0200", "zzz");
    assert_eq!(f.help, None);
    // Locals and built-ins are candidates too.
    let f = one("x = [ itm + 1 for item in [1] ]\n", "E0200", "itm");
    assert_eq!(f.help.as_deref(), Some("did you mean `item`?"));
    let f = one("x = lenn(\"a\")\n", "E0200", "lenn");
    assert_eq!(f.help.as_deref(), Some("did you mean `len`?"));
}

#[test]
fn order_does_not_matter_and_builtins_can_be_shadowed() {
    ok("a = b + 1\nb = 2\n");
    ok("len = fn(x: Int) => x\nn = len(3) + 1\n");
    ok("x = let len = 2 in len + 1\n");
}

#[test]
fn unknown_fields_suggest_or_list() {
    let src =
        "schema Probe { path: String = \"/\", interval: Int = 30 }\np = Probe { pth = \"/x\" }\n";
    let f = one(src, "E0201", "pth");
    assert_eq!(f.message, "`Probe` has no field `pth`");
    assert_eq!(f.help.as_deref(), Some("did you mean `path`?"));
    let src =
        "schema Probe { path: String = \"/\", interval: Int = 30 }\np = Probe { zzzzz = 1 }\n";
    let f = one(src, "E0201", "zzzzz");
    assert_eq!(
        f.help.as_deref(),
        Some("its fields are `path` and `interval`")
    );
    let f = one("r = { a = 1 }\nx = r.b\n", "E0201", "b");
    assert_eq!(f.message, "the record has no field `b`");
}

#[test]
fn missing_fields_are_listed_at_once() {
    let src = "schema S { a: Int, b: String, c: Int = 1, d: Int? }\ns = S { }\n";
    let f = one(src, "E0202", "S");
    assert_eq!(f.message, "missing required fields `a` and `b` of `S`");
}

#[test]
fn mismatches_point_at_the_value_and_the_declaration() {
    let src = "schema Service { name: String, port: Int }\napi = Service { name = \"api\", port = \"8080\" }\n";
    let f = one(src, "E0203", "\"8080\"");
    assert_eq!(f.message, "expected Int, found \"8080\"");
    assert_eq!(f.labels, ["app.fgl:1:32: field `port` declared here"]);
    let f = one("x: Int = \"a\"\n", "E0203", "\"a\"");
    assert_eq!(f.labels, ["app.fgl:1:4: expected because of this type"]);
    let f = one("let f = fn(n: Int) => n\nx = f(\"a\")\n", "E0203", "\"a\"");
    assert_eq!(f.labels, ["app.fgl:1:12: parameter `n` declared here"]);
}

#[test]
fn std_aws_fields_are_checked_with_labels_in_the_std_file() {
    let src = "import \"std/aws\"\nweb = aws.Container { image = \"x\", cpu = 300 }\n";
    let f = one(src, "E0206", "300");
    assert_eq!(
        f.message,
        "expected 256 | 512 | 1024 | 2048 | 4096 | 8192 | 16384, found 300"
    );
    assert!(f.labels[0].starts_with("<std>/aws.fgl:"), "{:?}", f.labels);
    assert!(f.labels[0].ends_with("field `cpu` declared here"));
    let src = "import \"std/aws\"\nweb = aws.Container { imgae = \"x\" }\n";
    let found = diagnose(src);
    assert_eq!(found.len(), 2, "{found:#?}");
    assert_eq!(
        (found[0].code.as_str(), found[0].text.as_str()),
        ("E0202", "aws.Container")
    );
    assert_eq!(
        (found[1].code.as_str(), found[1].help.as_deref()),
        ("E0201", Some("did you mean `image`?"))
    );
}

#[test]
fn records_instantiate_plain_schemas_recursively() {
    ok(r#"import "std/aws"
web = aws.Container {
  image = "x"
  health = { path = "/healthz" }
  deployment = { circuit_breaker = { rollback = false } }
  logs.retention_days = 7
}
d = aws.Container { image = "y", deployment.circuit_breaker.rollback = false, deployment.min_percent = 50 }
"#);
    one(
        "import \"std/aws\"\nweb = aws.Container { image = \"x\", health = { interval = 1 } }\n",
        "E0206",
        "1",
    );
    one(
        "import \"std/aws\"\nweb = aws.Container { image = \"x\", deployment.circuit_breaker.rollbak = false }\n",
        "E0201",
        "rollbak",
    );
    // A resource is never made from a plain record.
    let f = one(
        "import \"std/aws\"\nlb = aws.LoadBalancer { target = { image = \"x\" } }\n",
        "E0203",
        "{ image = \"x\" }",
    );
    assert!(f.help.unwrap_or_default().contains("aws.Container { … }"));
}

#[test]
fn duplicate_fields_and_nested_keys() {
    one("r = { a = 1, a = 2 }\n", "E0208", "a");
    one("r = { a = { b = 1 }, a.c = 2 }\n", "E0208", "a");
    one("r = { a.b = 1, a.b = 2 }\n", "E0208", "b");
    ok("r = { a.b = 1, a.c = 2 }\nx = r.a.b + r.a.c\n");
    one("schema S { a: Int, a: Int }\n", "E0208", "a");
}

#[test]
fn duplicate_bindings_and_params() {
    one("let port = 1\nport = 2\n", "E0209", "port");
    one("f = fn(a: Int, a: Int) => a\n", "E0209", "a");
    one("x = [ 1 for k, k in { a = 1 } ]\n", "E0209", "k");
}

#[test]
fn cycles_show_the_whole_chain() {
    let found = diagnose("a = b + 1\nb = c + 1\nc = a + 1\n");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].message, "`a` depends on itself: a → b → c → a");
    assert_eq!(found[0].labels.len(), 3);
    one("a = a\n", "E0210", "a");
    // Recursion through a function body is not a cycle.
    ok("let fact = fn(n: Int) => if n <= 1 then 1 else n * fact(n - 1)\nx = fact(5)\n");
    ok("f = fn(n: Int) => g(n)\ng = fn(n: Int) => if n > 0 then f(n - 1) else 0\n");
    ok("f: fn(Int) -> Int = fn(n: Int) => if n > 0 then f(n - 1) else 0\n");
}

#[test]
fn arity_and_named_arguments() {
    let src =
        "let greet = fn(name: String, greeting: String = \"hello\") => \"${greeting}, ${name}\"\n";
    one(&format!("{src}m = greet()\n"), "E0204", "greet()");
    one(
        &format!("{src}m = greet(\"a\", \"b\", \"c\")\n"),
        "E0204",
        "\"c\"",
    );
    let f = one(
        &format!("{src}m = greet(\"a\", greting = \"hi\")\n"),
        "E0205",
        "greting",
    );
    assert_eq!(f.help.as_deref(), Some("did you mean `greeting`?"));
    one(
        &format!("{src}m = greet(\"a\", name = \"b\")\n"),
        "E0205",
        "name",
    );
    ok(&format!(
        "{src}m = greet(greeting = \"hi\", name = \"b\")\n"
    ));
    one("x = len(\"a\", \"b\")\n", "E0204", "len(\"a\", \"b\")");
    one("x = len(s = \"a\")\n", "E0205", "s");
}

#[test]
fn secrets_never_become_strings() {
    let pre = "import \"std/aws\"\npw = aws.Secret { name = \"db\" }\n";
    one(&format!("{pre}url = \"x${{pw}}\"\n"), "E0207", "pw");
    one(&format!("{pre}same = pw == pw\n"), "E0207", "pw");
    one(&format!("{pre}c = \"a\" ++ pw\n"), "E0207", "pw");
    one(
        &format!("{pre}let f = fn(s: String) => s\nx = f(pw)\n"),
        "E0207",
        "pw",
    );
    one(
        &format!("{pre}w = aws.Container {{ image = pw }}\n"),
        "E0207",
        "pw",
    );
    one(
        &format!("{pre}w = aws.Container {{ image = \"i\", env = {{ PW = pw }} }}\n"),
        "E0207",
        "pw",
    );
    one(&format!("{pre}s = to_string(pw)\n"), "E0207", "pw");
    ok(&format!(
        "{pre}w = aws.Container {{ image = \"i\", secrets = {{ PW = pw }} }}\n"
    ));
}

#[test]
fn stack_names() {
    one("stack = \"My Shop\"\n", "E0213", "\"My Shop\"");
    one(
        "stack = \"a-very-long-stack-name-over-28-chars\"\n",
        "E0213",
        "\"a-very-long-stack-name-over-28-chars\"",
    );
    one("stack = 42\n", "E0203", "42");
    ok("stack = \"shop-staging\"\n");
    ok("let env = \"dev\"\nstack = \"shop-${env}\"\n");
}

#[test]
fn wrong_kind_of_name() {
    one("type Port = 1..65535\nport = Port\n", "E0214", "Port");
    one("let x = 1\ny = x { a = 1 }\n", "E0214", "x");
    one("schema S { a: Int }\nx = S\n", "E0214", "S");
    one(
        "import \"std/aws\"\nx = aws.Container\n",
        "E0214",
        "Container",
    );
    one("x = Int\n", "E0214", "Int");
}

#[test]
fn imports_read_public_bindings_only() {
    let net = "let zone = \"example.com\"\ndomain = \"shop.${zone}\"\nschema Probe { path: String = \"/\" }\n";
    let files = [("net.fgl", net)];
    assert!(diagnose_with(
        "import \"./net.fgl\"\nd = net.domain ++ \"x\"\np = net.Probe { path = \"/x\" }\n",
        &files
    )
    .is_empty());
    let found = diagnose_with("import \"./net.fgl\"\nd = net.zone\n", &files);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].code, "E0215");
    let found = diagnose_with("import \"./net.fgl\"\nd = net.domian\n", &files);
    assert_eq!(found[0].code, "E0200");
    assert_eq!(found[0].help.as_deref(), Some("did you mean `domain`?"));
    let found = diagnose_with(
        "import \"./net.fgl\"\np = net.Probe { pth = \"/\" }\n",
        &files,
    );
    assert_eq!(found[0].code, "E0201");
    let found = diagnose_with("import \"./net.fgl\"\np = net.Prob { }\n", &files);
    assert_eq!(found[0].code, "E0200");
}

#[test]
fn calling_a_non_function() {
    let f = one("let port = 8080\nx = port(1)\n", "E0216", "port");
    assert_eq!(f.message, "`port` is not a function");
}

#[test]
fn optional_values_need_a_fallback() {
    let src = "import \"std/aws\"\nlet c = aws.Container { image = \"x\" }\nlet lb = aws.LoadBalancer { target = c }\np = lb.certificate.domain\n";
    let f = one(src, "E0203", "lb.certificate");
    assert!(f.help.unwrap_or_default().contains("??"));
    ok("import \"std/aws\"\nlet c = aws.Container { image = \"x\" }\nlet lb = aws.LoadBalancer { target = c }\nlet cert = aws.Certificate { domain = \"a.b.c\", zone = \"b.c\" }\np = (lb.certificate ?? cert).domain\nq: Int = c.port ?? 80\n");
    one("param p: Int? = null\nx: Int = p\n", "E0203", "p");
}

#[test]
fn comprehensions() {
    ok("xs = [ x * 2 for x in [1, 2, 3] if x > 1 ]\nys = [ i + x for i, x in [1, 2] ]\n");
    ok("m = { \"${k}\" = v + 1 for k, v in { a = 1, b = 2 } }\nn: Map[Int] = m\n");
    ok("import \"std/aws\"\nenv: Map[String] = { \"${k}_X\" = v for k, v in { a = \"1\" } }\n");
    one("xs = [ x for x in 3 ]\n", "E0203", "3");
    one("xs = [ k for k in { a = 1 } ]\n", "E0203", "{ a = 1 }");
    one("xs = [ x for x in [1] if x ]\n", "E0203", "x");
}

#[test]
fn operators() {
    one("x = 1 + \"a\"\n", "E0203", "\"a\"");
    one("x = \"a\" ++ 1\n", "E0203", "1");
    ok("x = [1] ++ [2]\ny = \"a\" ++ \"b\"\nz = 1 < 2 && \"a\" < \"b\"\nw = 2 in [1, 2]\nv = \"a\" in { a = 1 }\n");
    one("x = 1 == \"a\"\n", "E0203", "1 == \"a\"");
    one("x = !1\n", "E0203", "1");
    one("x = if 1 then 2 else 3\n", "E0203", "1");
    ok("x: -10..10 = -5\n");
    one("x: 0..10 = -5\n", "E0206", "-5");
}

#[test]
fn merges_recheck_schema_fields() {
    let pre = "import \"std/aws\"\nlet base = aws.Container { image = \"x\" }\n";
    ok(&format!("{pre}web = base // {{ cpu = 512 }}\n"));
    one(
        &format!("{pre}web = base // {{ cpu = 300 }}\n"),
        "E0206",
        "300",
    );
    one(
        &format!("{pre}web = base // {{ cpuu = 512 }}\n"),
        "E0201",
        "cpuu",
    );
    ok("r = { a = 1 } // { b = 2 }\nx = r.a + r.b\n");
    one("x = 1 // { a = 1 }\n", "E0203", "1");
}

#[test]
fn schema_defaults_and_checks() {
    ok("schema S { a: Int = 1, b: Int = a + 1, check a < b else \"a before b\" }\n");
    one("schema S { a: Int = b, b: Int = 1 }\n", "E0200", "b");
    one("schema S { a: 1..5 = 9 }\n", "E0206", "9");
    one(
        "schema S { a: Int = 1, check a else \"x\" }\n",
        "E0203",
        "a",
    );
    one(
        "schema S { a: Int = 1, check a > 0 else 3 }\n",
        "E0203",
        "3",
    );
    one("check 1 else \"x\"\n", "E0203", "1");
    one("param p: Int = \"x\"\n", "E0203", "\"x\"");
}

#[test]
fn builtins_are_typed() {
    ok(r#"a = len("x") + len([1]) + len({ a = 1 })
b: List[String] = keys({ a = 1 })
c: List[Int] = values({ a = 1, b = 2 })
d: List[Int] = range(3) ++ range(1, 4)
e: String = join(split("a,b", ","), ";")
f: String = replace(lower(upper("x")), "a", "b")
g: Bool = contains("abc", "b") && contains([1, 2], 1) && starts_with("ab", "a") && ends_with("ab", "b")
h: String = to_string(1) ++ to_string(true)
i: Int = to_int("3") + min([1, 2]) + max(1, 2, 3) + sum([1])
j: Bool = any([true]) || all([false])
k: List[String] = sort(unique(["b", "a"]))
"#);
    one("x = join([1], \",\")\n", "E0203", "1");
    one("x = len(3)\n", "E0203", "3");
    one("x = sum([\"a\"])\n", "E0203", "\"a\"");
}

#[test]
fn independent_errors_are_all_reported_without_cascades() {
    let src = r#"import "std/aws"
web = aws.Container { image = 1, cpu = 300, memroy = 5 }
x = unknown_thing + 1
y = x + 1
z = web.imag
"#;
    assert_eq!(codes(src), ["E0203", "E0206", "E0201", "E0200", "E0201"]);
}

#[test]
fn broken_syntax_is_silent_here() {
    let found = diagnose("x = (1 +\ny = 2\n");
    assert!(
        found.iter().all(|f| f.code.starts_with("E01")),
        "{found:#?}"
    );
}
