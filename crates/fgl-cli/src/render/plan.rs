//! A plan for people: the changes grouped by the user's resources (`web` → its task
//! definition, service, roles …), each with its fields' old and new values and the reason for
//! a replace; secrets were masked as `(secret)` when the plan was made.

use std::fmt::Write;

use fgl_plan::{Action, Change, Plan};
use serde_json::Value;

use super::{plural, Style};

const GREEN: &str = "\x1b[32m";
const YELLOW: &str = "\x1b[33m";
const RED: &str = "\x1b[31m";
const MAGENTA: &str = "\x1b[35m";
const DIM: &str = "\x1b[2m";

/// The whole plan, ending with its one-line summary.
pub fn render(plan: &Plan, style: Style) -> String {
    let mut out = String::new();
    for (owner, owner_kind, changes) in plan.by_owner() {
        let kind = if owner_kind.is_empty() {
            String::new()
        } else {
            style.paint(DIM, format!(" ({owner_kind})"))
        };
        let _ = writeln!(out, "{}{kind}", style.bold(owner));
        for change in changes {
            change_lines(&mut out, change, style);
        }
        out.push('\n');
    }
    for c in &plan.conflicts {
        let _ = writeln!(
            out,
            "{} {}: {}",
            style.paint(RED, "conflict"),
            c.id,
            c.message
        );
    }
    if !plan.conflicts.is_empty() {
        out.push('\n');
    }
    out.push_str(&summary(plan));
    out.push('\n');
    out
}

/// `Plan: 3 to create, 1 to update, 0 to replace, 0 to delete (24 unchanged).`, or that
/// nothing changes.
pub fn summary(plan: &Plan) -> String {
    let [create, update, replace, delete, unchanged] = plan.counts();
    if create + update + replace + delete == 0 {
        return format!(
            "No changes: AWS matches stack `{}` ({}).",
            plan.stack,
            plural(unchanged, "resource")
        );
    }
    format!(
        "Plan: {create} to create, {update} to update, {replace} to replace, {delete} to delete ({unchanged} unchanged)."
    )
}

fn change_lines(out: &mut String, change: &Change, style: Style) {
    let color = match change.action {
        Action::Create => GREEN,
        Action::Update { .. } => YELLOW,
        Action::Replace { .. } => MAGENTA,
        Action::Delete => RED,
        Action::NoOp => DIM,
    };
    let _ = writeln!(
        out,
        "  {} {} {}",
        style.paint(color, format!("{:>3}", change.action.symbol())),
        change.id,
        style.paint(DIM, format!("({})", change.kind))
    );
    let fields = match &change.action {
        Action::Update { fields } => fields,
        Action::Replace { reason, fields } => {
            let _ = writeln!(
                out,
                "        {}",
                style.paint(MAGENTA, format!("replace: {reason}"))
            );
            fields
        }
        _ => return,
    };
    for f in fields {
        let line = match f.path.strip_prefix(SECRET_VERSIONS) {
            // A secret's new value reaches tasks only when they start: a redeploy.
            Some(secret) => format!(
                "redeploy {}: secret `{secret}` changed (version {} → {})",
                change.owner,
                show(f.before.as_ref()),
                show(f.after.as_ref())
            ),
            None => format!(
                "{}: {} → {}",
                f.path,
                show(f.before.as_ref()),
                show(f.after.as_ref())
            ),
        };
        let _ = writeln!(out, "        {line}");
    }
}

/// The service field holding the version of each secret its tasks read.
const SECRET_VERSIONS: &str = "SecretVersions.";

/// A value in one line: strings quoted, placeholders (`(secret)`, `(known after apply)`) and
/// absent values plain.
fn show(value: Option<&Value>) -> String {
    match value {
        None => "(none)".into(),
        Some(Value::String(s)) if s == fgl_plan::MASK || s == fgl_plan::resolve::UNKNOWN => {
            s.clone()
        }
        Some(v) => v.to_string(),
    }
}
