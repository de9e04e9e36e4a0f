//! Diagnostics as JSON for tools and editors. Lines and columns are 1-based and count
//! characters (Unicode scalar values); `end_line`/`end_column` point just past the span.

use std::io::{self, Write};

use fgl_syntax::{Diagnostic, Span};
use serde::Serialize;

use crate::files::SourceMap;

#[derive(Debug, Serialize)]
pub struct JsonDiagnostic {
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
    pub code: &'static str,
    pub severity: &'static str,
    pub message: String,
    /// What the primary span's label says, when it says more than `message` (else null).
    pub primary_message: Option<String>,
    pub labels: Vec<JsonLabel>,
    pub help: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct JsonLabel {
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
    pub message: String,
}

/// A 1-based character range.
struct Position {
    file: String,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
}

fn position(files: &SourceMap, span: Span) -> Position {
    match files.get(span.file) {
        Some(file) => {
            let start = file.line_col(span.start as usize);
            let end = file.line_col(span.end.max(span.start) as usize);
            Position {
                file: file.name.clone(),
                line: start.line + 1,
                column: start.column + 1,
                end_line: end.line + 1,
                end_column: end.column + 1,
            }
        }
        // Only a bug elsewhere gets here; still say something rather than fail.
        None => Position {
            file: "<unknown>".to_string(),
            line: 1,
            column: 1,
            end_line: 1,
            end_column: 1,
        },
    }
}

pub fn diagnostic(files: &SourceMap, d: &Diagnostic) -> JsonDiagnostic {
    let at = position(files, d.primary.span);
    JsonDiagnostic {
        file: at.file,
        line: at.line,
        column: at.column,
        end_line: at.end_line,
        end_column: at.end_column,
        code: d.code.as_str(),
        severity: d.severity.as_str(),
        message: d.message.clone(),
        primary_message: (!d.primary.message.is_empty()).then(|| d.primary.message.clone()),
        labels: d
            .labels
            .iter()
            .map(|label| {
                let at = position(files, label.span);
                JsonLabel {
                    file: at.file,
                    line: at.line,
                    column: at.column,
                    end_line: at.end_line,
                    end_column: at.end_column,
                    message: label.message.clone(),
                }
            })
            .collect(),
        help: d.help.clone(),
    }
}

/// Writes one JSON document and a newline to stdout.
pub fn print(document: &impl Serialize) -> io::Result<()> {
    let mut out = io::stdout().lock();
    serde_json::to_writer(&mut out, document)?;
    writeln!(out)?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use fgl_syntax::codes;

    #[test]
    fn columns_are_one_based_characters() {
        let mut files = SourceMap::default();
        let text = "a = 1\nb = \"é😀\" ]\n";
        let id = files.add("t.fgl".into(), text.into());
        let at = text.find(']').unwrap();
        let d = Diagnostic::error(codes::UNMATCHED_CLOSER, Span::new(id, at, at + 1), "m")
            .with_label(Span::new(id, 0, 1), "here");
        let json = serde_json::to_value(diagnostic(&files, &d)).unwrap();
        assert_eq!(json["line"], 2);
        assert_eq!(json["column"], 10);
        assert_eq!(json["end_line"], 2);
        assert_eq!(json["end_column"], 11);
        assert_eq!(json["primary_message"], serde_json::Value::Null);
        assert_eq!(json["labels"][0]["column"], 1);
        assert_eq!(json["labels"][0]["end_column"], 2);
        assert_eq!(json["help"], serde_json::Value::Null);
    }
}
