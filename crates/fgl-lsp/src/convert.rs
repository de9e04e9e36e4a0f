//! fgl diagnostics → LSP diagnostics: the same code and message as `fgl check`, positions in
//! UTF-16 columns, labels (in any file) as related information, and the primary label's text
//! and the help also as related information at the primary place (LSP has no field for them).

use fgl_syntax::{Diagnostic, Severity};
use tower_lsp_server::ls_types::{self as lsp, DiagnosticRelatedInformation, NumberOrString};

use crate::analysis::Loaded;

pub fn diagnostic(loaded: &Loaded, d: &Diagnostic) -> lsp::Diagnostic {
    let span = d.span();
    let mut related = Vec::new();
    let primary = loaded.location(span);
    if let Some(at) = &primary {
        if !d.primary.message.is_empty() {
            related.push(DiagnosticRelatedInformation {
                location: at.clone(),
                message: d.primary.message.clone(),
            });
        }
    }
    for label in &d.labels {
        if let Some(location) = loaded.location(label.span) {
            related.push(DiagnosticRelatedInformation {
                location,
                message: label.message.clone(),
            });
        }
    }
    if let (Some(at), Some(help)) = (&primary, &d.help) {
        related.push(DiagnosticRelatedInformation {
            location: at.clone(),
            message: format!("help: {help}"),
        });
    }
    lsp::Diagnostic {
        range: loaded.range(span),
        severity: Some(match d.severity {
            Severity::Error => lsp::DiagnosticSeverity::ERROR,
            Severity::Warning => lsp::DiagnosticSeverity::WARNING,
        }),
        code: Some(NumberOrString::String(d.code.as_str().to_string())),
        code_description: None,
        source: Some("fgl".to_string()),
        message: d.message.clone(),
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        // For clients and tests that want the parts apart.
        data: Some(serde_json::json!({
            "primary": d.primary.message,
            "help": d.help,
        })),
    }
}
