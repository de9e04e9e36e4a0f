//! `check_with`: the same diagnostics as `check`, and the recorder sees every expression with
//! the type its place expected.

use std::collections::HashMap;

use fgl_check::{check, check_with, load, FsHost, Recorder, RootSource, Ty};
use fgl_syntax::ast::{Expr, ExprKind};

#[derive(Default)]
struct Seen {
    /// Record literals: span start → (expected, found) as shown.
    records: HashMap<u32, (Option<Ty>, Ty)>,
    count: usize,
}

impl Recorder for Seen {
    fn expr(&mut self, expr: &Expr, expected: Option<&Ty>, found: &Ty) {
        self.count += 1;
        if matches!(expr.kind, ExprKind::Record(_)) {
            self.records
                .insert(expr.span.start, (expected.cloned(), found.clone()));
        }
    }
}

#[test]
fn records_expected_types_without_changing_diagnostics() {
    let text = "import \"std/aws\"\nweb = aws.Container { image = \"x\", health = { path = \"/\" }, cpu = 3 }\nplain = { a = 1 }\n";
    let root = || RootSource {
        name: "app.fgl".into(),
        path: None,
        text: text.into(),
    };
    let (program, _) = load(&FsHost, root());
    let plain = check(&program);
    let mut seen = Seen::default();
    let recorded = check_with(&program, &mut seen);
    assert_eq!(plain.diagnostics, recorded.diagnostics);
    assert_eq!(recorded.diagnostics.len(), 1, "cpu = 3");
    assert!(seen.count > 5);

    let health = text.find("{ path").unwrap_or_default() as u32;
    let (expected, _) = &seen.records[&health];
    let shown = expected
        .as_ref()
        .map(|t| t.show(&recorded.decls).to_string());
    // The type of the field, pushed into the record (`T?` unwrapped for a record literal).
    assert_eq!(shown.as_deref(), Some("aws.HealthCheck"));

    let plain_record = text.find("{ a = 1").unwrap_or_default() as u32;
    let (expected, found) = &seen.records[&plain_record];
    assert!(expected.is_none());
    assert_eq!(found.show(&recorded.decls).to_string(), "{ a: 1 }");
}
