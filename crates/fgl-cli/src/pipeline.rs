//! The language pipeline for one root file: load (parse it and its imports) → resolve names and
//! type check → evaluate (params, checks, resources) → the AWS rules on the evaluated resources
//! (after adding the default network), and on request the lowering to the AWS resource graph.
//! Each stage runs only if the one before reported no error, so a problem is reported once, at
//! the earliest stage that can see it.

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
    /// The AWS resource graph, when asked for and every stage passed.
    pub lowered: Option<fgl_lower::Graph>,
}

pub fn analyze(input: &Input, text: String, inputs: &EvalInputs) -> Analysis {
    analyze_with(input, text, inputs, false)
}

/// [`analyze`], and with `lower` the AWS resource graph too (which needs a stack name).
pub fn analyze_with(input: &Input, text: String, inputs: &EvalInputs, lower: bool) -> Analysis {
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
    let mut lowered = None;
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
                optional_reads: checked.optional_reads.clone(),
                ..fgl_eval::Options::default()
            };
            match fgl_eval::evaluate(&checked.decls, &options) {
                Ok(mut out) => {
                    // `--stack` names a stack whose file has no `stack` binding too (the
                    // evaluator validated it).
                    if out.stack.is_none() {
                        out.stack = inputs.stack.clone();
                    }
                    fgl_lower::complete(&checked.decls, &mut out);
                    let rules = fgl_lower::check(&checked.decls, &out);
                    let failed = rules.iter().any(Diagnostic::is_error);
                    diagnostics.extend(rules);
                    if !failed && lower {
                        match fgl_lower::lower(&checked.decls, &out) {
                            Ok(graph) => lowered = Some(graph),
                            Err(errors) => diagnostics.extend(errors),
                        }
                    }
                    if !failed {
                        output = Some(out);
                    }
                }
                Err(errors) => diagnostics.extend(errors),
            }
        }
        exit_soon(checked.decls);
    }
    let mut files = SourceMap::default();
    let fgl_check::Program {
        files: sources,
        modules,
    } = program;
    for file in sources {
        files.add(file.name, file.text);
    }
    exit_soon(modules);
    Analysis {
        files,
        diagnostics,
        output,
        lowered,
    }
}

/// Lets go of a large structure without freeing it: `fgl` exits as soon as a command is done,
/// and freeing a big program's syntax trees and values one small allocation at a time costs
/// more than a tenth of `fgl check` on a large file. (The language server, which lives on,
/// frees them as usual; it does not use this pipeline.)
pub fn exit_soon<T>(value: T) {
    std::mem::forget(value);
}
