//! The canonical formatter of fgl: one layout for every program, like gofmt.
//!
//! - 2-space indentation; one newline at the end (an empty file stays empty); no trailing
//!   white space, except inside `"""` strings, whose text is never touched.
//! - `{ … }` and `[ … ]` holding entries (records, lists, instantiations, schemas, record
//!   types) stay on one line — `{ a = 1, b = 2 }`, `[1, 2]`, `Probe { path = "/" }` — when the
//!   source had the first entry on the bracket's line, no comment is inside, every such
//!   bracket inside qualifies too, and the line ends by column 100 (counted in characters).
//!   Otherwise they hold one entry per line, without commas; brackets inside then decide for
//!   themselves. Empty ones print as `{}` / `[]`.
//! - Everything else is printed on one line: `a + b`, `a.b`, `f(a, b)`, `x: T = v`,
//!   `fn(x: Int) => …`, `if … then … else …`, `let … in …`, comprehensions
//!   (`[x for x in xs if c]`, `{ k = v for k, v in m }`), `A | B`, `fn(A) -> B`. Only a
//!   comment breaks such a line; the rest of the entry goes on one level deeper.
//! - Literals are printed as written (escapes, interpolations, `"""` strings, `1_000`);
//!   parentheses and quoted keys are kept; `T? ?` keeps its space (`??` is an operator).
//! - Every comment is kept, in order. One that ended a line of code still does, after two
//!   spaces; one that stood alone on its line still does, indented like the code around it.
//!   A comment inside an expression stays at its place when a line may break there, or moves
//!   forward to the next place where one may. One blank line at most is kept
//!   between items, entries and comments where the source had one or more; none after an
//!   opening bracket or before a closing one. A `##` line that documents nothing stays
//!   separated by a blank line from the entry below, so that it does not become its doc.
//!
//! Broken code is never formatted: [`format_source`] returns the parse errors instead.

mod comments;
mod entries;
mod exprs;
mod items;
mod layout;
mod printer;
mod types;
mod walk;

use fgl_syntax::ast::Module;
use fgl_syntax::{Diagnostic, FileId};

use crate::comments::Comments;
use crate::printer::Printer;

/// Parses and formats `source`. Returns the diagnostics instead when there is any error (a
/// file with warnings only is formatted).
pub fn format_source(file: FileId, source: &str) -> Result<String, Vec<Diagnostic>> {
    let (module, diagnostics) = fgl_syntax::parse(file, source);
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(diagnostics);
    }
    Ok(format_module(source, &module))
}

/// Formats a module parsed from `source` without errors. (Error nodes, if any, are printed as
/// their source text.)
pub fn format_module(source: &str, module: &Module) -> String {
    let mut printer = Printer::new(source, Comments::new(module));
    printer.entries(&module.items, source.len());
    printer.finish()
}

#[cfg(test)]
mod tests;
