mod common;

use common::*;
use serde_json::json;

#[test]
fn literals_and_operators() {
    let v = values(
        r#"
a = 1 + 2 * 3
b = "x${a}y"
c = [1, 2] ++ [3]
d = { a = 1, b.c = 2, b.d = 3 }
e = if a > 5 then "big" else "small"
f = let n = 3 in n * 2
g = null ?? 4
h = { a = 1, b = 2 } // { b = 3, c = 4 }
i = 2 in [1, 2, 3]
j = "ell" in "hello"
k = -7 / 2
l = -7 % 2
m = !true || false
"#,
    );
    assert_eq!(
        v,
        json!({
            "a": 7, "b": "x7y", "c": [1, 2, 3], "d": { "a": 1, "b": { "c": 2, "d": 3 } },
            "e": "big", "f": 6, "g": 4, "h": { "a": 1, "b": 3, "c": 4 }, "i": true, "j": true,
            "k": -3, "l": -1, "m": false
        })
    );
}

#[test]
fn functions_and_comprehensions() {
    let v = values(
        r#"
let double = fn(x: Int) => x * 2
let greet = fn(name: String, greeting: String = "hello") => "${greeting} ${name}"
a = double(21)
b = greet("bob")
c = greet("ann", greeting = "hi")
d = [x * x for x in range(5) if x % 2 == 0]
e = { "${k}" = v + 1 for k, v in { a = 1, b = 2 } }
f = [ "${i}:${x}" for i, x in ["a", "b"] ]
let fact = fn(n: Int) => if n <= 1 then 1 else n * fact(n - 1)
g = fact(10)
"#,
    );
    assert_eq!(
        v,
        json!({
            "a": 42, "b": "hello bob", "c": "hi ann", "d": [0, 4, 16],
            "e": { "a": 2, "b": 3 }, "f": ["0:a", "1:b"], "g": 3628800
        })
    );
}

#[test]
fn resources_get_ids_and_references() {
    let doc = run(r#"
import "std/aws"
stack = "shop"
password = aws.Secret { name = "db/password" }
services = {
  api = aws.Container { image = "api:1", secrets = { PW = password } }
}
lb = aws.LoadBalancer { target = services.api }
"#)
    .unwrap();
    assert_eq!(doc["stack"], json!("shop"));
    assert_eq!(doc["values"]["lb"], json!({ "$ref": "lb" }));
    assert_eq!(doc["values"]["password"], json!({ "$secret": "password" }));
    let resources = doc["resources"].as_object().unwrap();
    let ids: Vec<&String> = resources.keys().collect();
    assert_eq!(ids, ["password", "services.api", "lb"]);
    assert_eq!(
        resources["services.api"]["fields"]["secrets"],
        json!({ "PW": { "$secret": "password" } })
    );
    assert_eq!(
        resources["lb"]["fields"]["target"],
        json!({ "$ref": "services.api" })
    );
    assert_eq!(
        resources["services.api"]["fields"]["logs"],
        json!({ "retention_days": 30 })
    );
}

#[test]
fn errors() {
    let (code, msg, under) = error("let base = 65000\nport: 1..65535 = base + 1000");
    assert_eq!(
        (code.as_str(), under.as_str()),
        ("E0301", "base + 1000"),
        "{msg}"
    );
    assert_eq!(
        msg,
        "`port` must be 1..65535, but the computed value is 66000"
    );

    let (code, msg, under) = error("schema R { lo: Int, hi: Int, check lo <= hi else \"lo must not exceed hi\" }\nr = R { lo = 5, hi = 1 }");
    assert_eq!(
        (code.as_str(), msg.as_str(), under.as_str()),
        ("E0300", "lo must not exceed hi", "R { lo = 5, hi = 1 }")
    );

    let (code, _, _) =
        error("let f = fn(n: Int) => if n < 2 then n else f(n - 1) + f(n - 2)\nx = f(40)");
    assert_eq!(code, "E0302");
    let (code, _, _) = error("let f = fn(n: Int) => 1 + f(n + 1)\nx = f(0)");
    assert_eq!(code, "E0303");
    let (code, _, _) = error("let z = 0\nx = 1 / z");
    assert_eq!(code, "E0304");
    let (code, msg, _) = error("x = to_int(\"80a\")");
    assert_eq!(code, "E0305", "{msg}");
    let (code, msg, _) = error("import \"std/aws\"\nlet pw = aws.Secret { name = \"p\" }\nweb = aws.Container { image = \"a\", secrets = { P = pw } }");
    assert_eq!(code, "E0307", "{msg}");
}
