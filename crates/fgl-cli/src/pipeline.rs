//! The language pipeline for one root file: load (parse it and its imports) → resolve names and
//! type check → evaluate (params, checks, resources). Each stage runs only if the one before
//! reported no error, so a problem is reported once, at the earliest stage that can see it.

use std::path::PathBuf;

use fgl_syntax::Diagnostic;

use crate::cli::EvalInputs;
use crate::files::{Input, SourceMap};

/// What the pipeline found for one root file.
pub struct Analysis {
    /// Every file of the program (the root is file 0), for rendering diagnostics.
    pub files: SourceMap,
    /// In stage order; sorted by position within each stage.
    pub diagnostics: Vec<Diagnostic>,
    /// The evaluated program, when every stage passed.
    pub output: Option<fgl_eval::Output>,
}

pub fn analyze(input: &Input, text: String, inputs: &EvalInputs) -> Analysis {
    let path = match input {
        Input::Stdin => None,
        Input::File(path) => Some(PathBuf::from(path)),
    };
    let root = fgl_check::RootSource {
        name: input.display_name(),
        path,
        text,
    };
    let (program, mut diagnostics) = fgl_check::load(&fgl_check::FsHost, root);
    let mut output = None;
    // A file with syntax errors is not resolved: its tree has holes, and every hole would
    // repeat as a name or type error.
    let syntax_errors = diagnostics
        .iter()
        .any(|d| d.is_error() && d.code.as_str().starts_with("E01"));
    if !syntax_errors {
        let checked = fgl_check::check(&program);
        diagnostics.extend(checked.diagnostics);
        fgl_syntax::diagnostic::sort_and_dedup(&mut diagnostics);
        if !diagnostics.iter().any(Diagnostic::is_error) {
            let options = fgl_eval::Options {
                params: inputs.set.clone(),
                stack: inputs.stack.clone(),
                ..fgl_eval::Options::default()
            };
            match fgl_eval::evaluate(&checked.decls, &options) {
                Ok(out) => output = Some(out),
                Err(errors) => diagnostics.extend(errors),
            }
        }
    }
    let mut files = SourceMap::default();
    for file in program.files {
        files.add(file.name, file.text);
    }
    Analysis {
        files,
        diagnostics,
        output,
    }
}
