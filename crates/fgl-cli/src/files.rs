//! Finding, reading and remembering source files: expands directory arguments, reads files as
//! UTF-8 with one-line errors, and keeps every file's text under its [`FileId`] for rendering.

use std::collections::HashSet;
use std::fmt;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use fgl_syntax::{FileId, LineCol, LineIndex};

/// The name standard input is shown under.
pub const STDIN_NAME: &str = "<stdin>";

/// One thing to read: a file, or standard input (`-` on the command line).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Input {
    Stdin,
    File(PathBuf),
}

impl Input {
    pub fn is_stdin(&self) -> bool {
        matches!(self, Input::Stdin)
    }

    /// The name used in messages and diagnostics: the path as given (or as found under a
    /// directory argument), so output is relative when the arguments are.
    pub fn display_name(&self) -> String {
        match self {
            Input::Stdin => STDIN_NAME.to_string(),
            Input::File(path) => path.display().to_string(),
        }
    }
}

/// A file that could not be found, read or written; printed as one `error:` line.
#[derive(Debug)]
pub struct FileError {
    pub verb: &'static str,
    pub name: String,
    pub reason: String,
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot {} {}: {}", self.verb, self.name, self.reason)
    }
}

impl FileError {
    fn read(name: impl Into<String>, reason: impl fmt::Display) -> Self {
        FileError {
            verb: "read",
            name: name.into(),
            reason: reason.to_string(),
        }
    }

    pub fn write(name: impl Into<String>, reason: impl fmt::Display) -> Self {
        FileError {
            verb: "write",
            name: name.into(),
            reason: reason.to_string(),
        }
    }
}

/// One item of the expanded argument list.
#[derive(Debug)]
pub enum Expanded {
    Input(Input),
    /// A directory could not be walked (exit status 2).
    Error(FileError),
    /// A directory argument holds no `*.fgl` file: worth a warning, not a failure (as an empty
    /// project is fine), but never silent.
    NoFiles(PathBuf),
}

/// What the path arguments expand to, in order: each file once, directories walked recursively
/// for `*.fgl` in sorted order. Problems come back in place, so they are reported in argument
/// order too.
pub fn expand(paths: &[PathBuf]) -> Vec<Expanded> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    let mut push = |out: &mut Vec<_>, input: Input| {
        if seen.insert(input.clone()) {
            out.push(Expanded::Input(input));
        }
    };
    for path in paths {
        if path.as_os_str() == "-" {
            push(&mut out, Input::Stdin);
        } else if path.is_dir() {
            let mut found = 0usize;
            for entry in walk(path) {
                match entry {
                    Ok(file) => {
                        found += 1;
                        push(&mut out, Input::File(file));
                    }
                    Err(e) => out.push(Expanded::Error(e)),
                }
            }
            if found == 0 {
                out.push(Expanded::NoFiles(path.clone()));
            }
        } else {
            // A missing file stays an input: reading it gives the one-line error.
            push(&mut out, Input::File(path.clone()));
        }
    }
    out
}

/// `*.fgl` files under `dir`, sorted by name at every level, skipping hidden directories and
/// `target/` (build output) below the root. Symbolic links are not followed (no cycles).
fn walk(dir: &Path) -> impl Iterator<Item = Result<PathBuf, FileError>> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| {
            // The root is always walked, even when given as `.` or `.config/`.
            if entry.depth() == 0 || !entry.file_type().is_dir() {
                return true;
            }
            let name = entry.file_name().to_string_lossy();
            !(name.starts_with('.') || name == "target")
        })
        .filter_map(|entry| match entry {
            Ok(entry) => {
                let is_fgl = entry.path().extension().is_some_and(|ext| ext == "fgl");
                (entry.file_type().is_file() && is_fgl).then(|| Ok(entry.into_path()))
            }
            Err(e) => {
                let name = e
                    .path()
                    .map(|p| p.display().to_string())
                    .unwrap_or_default();
                let reason = match e.io_error() {
                    Some(io) => io.to_string(),
                    None => e.to_string(),
                };
                Some(Err(FileError::read(name, reason)))
            }
        })
}

/// Reads an input as UTF-8 text.
pub fn read(input: &Input) -> Result<String, FileError> {
    let name = input.display_name();
    let mut bytes = Vec::new();
    let result = match input {
        Input::Stdin => io::stdin().lock().read_to_end(&mut bytes).map(|_| ()),
        Input::File(path) => std::fs::read(path).map(|b| bytes = b),
    };
    if let Err(e) = result {
        return Err(FileError::read(name, e));
    }
    // Spans are u32 byte offsets.
    if u32::try_from(bytes.len()).is_err() {
        return Err(FileError::read(
            name,
            format!(
                "file is too large ({} bytes; the limit is 4 GiB)",
                bytes.len()
            ),
        ));
    }
    String::from_utf8(bytes).map_err(|e| {
        FileError::read(
            name,
            format!(
                "file is not valid UTF-8 (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ),
        )
    })
}

/// A file read in this run.
pub struct SourceFile {
    pub name: String,
    pub text: String,
    pub lines: LineIndex,
}

impl SourceFile {
    /// 0-based line and character column of a byte offset.
    pub fn line_col(&self, offset: usize) -> LineCol {
        self.lines.line_col(&self.text, offset)
    }
}

/// Every file read in this run, by [`FileId`] (the index in the table).
#[derive(Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

impl SourceMap {
    /// The id the next [`SourceMap::add`] returns (so a file can be parsed before it is added).
    pub fn next_id(&self) -> FileId {
        FileId(self.files.len() as u32)
    }

    pub fn add(&mut self, name: String, text: String) -> FileId {
        let id = self.next_id();
        let lines = LineIndex::new(&text);
        self.files.push(SourceFile { name, text, lines });
        id
    }

    pub fn get(&self, id: FileId) -> Option<&SourceFile> {
        self.files.get(id.0 as usize)
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_ids_index_the_table() {
        let mut map = SourceMap::default();
        let a = map.add("a.fgl".into(), "x = 1\n".into());
        let b = map.add("b.fgl".into(), "é = 1\ny = 2".into());
        assert_eq!(map.get(a).map(|f| f.name.as_str()), Some("a.fgl"));
        let b_file = map.get(b).unwrap();
        assert_eq!(b_file.line_col(b_file.text.find('y').unwrap()).line, 1);
        assert_eq!(b_file.line_col(2).column, 1, "é is one character");
        assert!(map.get(FileId(7)).is_none());
    }
}
