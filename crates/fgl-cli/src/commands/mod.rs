//! The subcommands. Each returns the [`Status`] the process exits with.

pub mod apply;
pub mod check;
pub mod destroy;
pub mod eval;
pub mod explain;
pub mod fmt;
pub mod graph;
pub mod logs;
pub mod lsp;
pub mod plan;
pub mod secret;
pub mod stack;
pub mod status;
pub mod watch;

use fgl_syntax::Diagnostic;

use crate::cli::Format;
use crate::files::SourceMap;
use crate::render::human::HumanRenderer;
use crate::render::json::{self, JsonDiagnostic};
use crate::render::{plural, Style};

/// The exit status, ordered by severity so the worst outcome of a run wins.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    Ok,
    /// `plan --detailed-exitcode`: the plan has changes (exit 2, as terraform's).
    Changes,
    /// Errors in the files (or `fmt --check` found files to format), or from AWS.
    Failed,
    /// A usage error, or a file that could not be read or written.
    Error,
}

impl Status {
    /// The process's exit code.
    pub fn code(self) -> u8 {
        match self {
            Status::Ok => 0,
            Status::Failed => 1,
            Status::Changes | Status::Error => 2,
        }
    }
}

/// What every command needs to report.
pub struct Ctx {
    pub format: Format,
    pub style: Style,
    /// `--color`, for output that goes to stdout (a plan).
    pub color: crate::cli::ColorChoice,
}

/// Shows diagnostics as they are found (human) or collects them for the one JSON document, and
/// counts them for the summary.
pub struct Reporter<'c> {
    ctx: &'c Ctx,
    pub json: Vec<JsonDiagnostic>,
    pub errors: usize,
    pub warnings: usize,
    /// Files with at least one diagnostic (imported files included).
    pub files_with_problems: usize,
}

impl<'c> Reporter<'c> {
    pub fn new(ctx: &'c Ctx) -> Self {
        Reporter {
            ctx,
            json: Vec::new(),
            errors: 0,
            warnings: 0,
            files_with_problems: 0,
        }
    }

    /// Reports the diagnostics of one file (all in `files`).
    pub fn report(&mut self, files: &SourceMap, diagnostics: &[Diagnostic]) {
        if diagnostics.is_empty() {
            return;
        }
        let mut ids: Vec<_> = diagnostics.iter().map(|d| d.span().file).collect();
        ids.sort_unstable();
        ids.dedup();
        self.files_with_problems += ids.len();
        let errors = diagnostics.iter().filter(|d| d.is_error()).count();
        self.errors += errors;
        self.warnings += diagnostics.len() - errors;
        match self.ctx.format {
            Format::Json => self
                .json
                .extend(diagnostics.iter().map(|d| json::diagnostic(files, d))),
            Format::Human => {
                let mut renderer = HumanRenderer::new(files, self.ctx.style);
                let mut err = std::io::stderr().lock();
                for d in diagnostics {
                    // Nothing sensible can be done when stderr itself is gone.
                    let _ = renderer.render(d, &mut err);
                }
            }
        }
    }

    /// `3 errors`, `3 errors and 1 warning`, `1 warning`.
    pub fn counts(&self) -> String {
        match (self.errors, self.warnings) {
            (e, 0) => plural(e, "error"),
            (0, w) => plural(w, "warning"),
            (e, w) => format!("{} and {}", plural(e, "error"), plural(w, "warning")),
        }
    }
}

/// Reads the one file a command works on (`-` is standard input); an unreadable file is
/// reported and gives `None`.
pub fn read_single(path: &std::path::Path, ctx: &Ctx) -> Option<(crate::files::Input, String)> {
    use crate::files::{self, Input};
    let input = if path.as_os_str() == "-" {
        Input::Stdin
    } else {
        Input::File(path.to_path_buf())
    };
    match files::read(&input) {
        Ok(text) => Some((input, text)),
        Err(e) => {
            ctx.style.error(e);
            None
        }
    }
}

/// Reads every `.fgl` file the paths name (files, directories, `-`), in order, and hands each
/// readable one to `each`, which returns the status its file earned. Unreadable paths are
/// reported as [`Status::Error`]; a directory without `.fgl` files is a warning. Returns the
/// worst status.
pub fn for_each_source(
    paths: &[std::path::PathBuf],
    ctx: &Ctx,
    mut each: impl FnMut(crate::files::Input, String) -> std::io::Result<Status>,
) -> std::io::Result<Status> {
    use crate::files::{self, Expanded};
    let mut status = Status::Ok;
    for item in files::expand(paths) {
        let input = match item {
            Expanded::Input(input) => input,
            Expanded::Error(e) => {
                ctx.style.error(e);
                status = status.max(Status::Error);
                continue;
            }
            Expanded::NoFiles(dir) => {
                ctx.style
                    .warning(format!("no .fgl files in {}", dir.display()));
                continue;
            }
        };
        match files::read(&input) {
            Ok(text) => status = status.max(each(input, text)?),
            Err(e) => {
                ctx.style.error(e);
                status = status.max(Status::Error);
            }
        }
    }
    Ok(status)
}
