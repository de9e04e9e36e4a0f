//! Loading a program: the root file and, transitively, every module it imports (`std/NAME`
//! from the embedded standard library, `./x.fgl` relative to the importing file). Each module
//! is parsed once, however often it is imported; import cycles are reported with the whole
//! cycle.

use rustc_hash::FxHashMap as HashMap;
use std::path::{Component, Path, PathBuf};

use fgl_syntax::ast::{self, ItemKind};
use fgl_syntax::{codes, Diagnostic, FileId, Span};

use crate::stdlib;

/// Where imported files come from: the file system for the CLI, open documents for the editor.
pub trait Host {
    fn read(&self, path: &Path) -> std::io::Result<String>;
}

/// Reads imports from the file system.
pub struct FsHost;

impl Host for FsHost {
    fn read(&self, path: &Path) -> std::io::Result<String> {
        std::fs::read_to_string(path)
    }
}

/// One source file of a program.
#[derive(Debug)]
pub struct SourceFile {
    pub id: FileId,
    /// The name shown in diagnostics: the path as given or derived, `<std>/aws.fgl`, `<stdin>`.
    pub name: String,
    pub text: String,
    /// Whether this file is part of the embedded standard library.
    pub is_std: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ModuleId(pub u32);

impl ModuleId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A parsed module and where its imports lead.
#[derive(Debug)]
pub struct Module {
    pub id: ModuleId,
    pub file: FileId,
    pub ast: ast::Module,
    /// One entry per import item, in source order.
    pub imports: Vec<Import>,
}

#[derive(Debug)]
pub struct Import {
    /// Index of the import in `ast.items`.
    pub item: usize,
    /// The name the import binds (`aws` for `import "std/aws"`), if it could be derived.
    pub alias: Option<String>,
    /// The `as` name, or the path when the alias is derived from it.
    pub alias_span: Span,
    /// `None` when the module could not be loaded or the import closes a cycle (reported).
    pub target: Option<ModuleId>,
}

/// The root module and everything it imports.
#[derive(Debug)]
pub struct Program {
    /// Indexed by `FileId`.
    pub files: Vec<SourceFile>,
    /// Indexed by `ModuleId`; the root is module 0.
    pub modules: Vec<Module>,
}

impl Program {
    pub const ROOT: ModuleId = ModuleId(0);

    pub fn root(&self) -> &Module {
        &self.modules[0]
    }

    pub fn module(&self, id: ModuleId) -> &Module {
        &self.modules[id.index()]
    }

    pub fn file(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    /// The module whose file is `file`.
    pub fn module_of_file(&self, file: FileId) -> Option<&Module> {
        self.modules.iter().find(|m| m.file == file)
    }
}

/// The file given to a command.
pub struct RootSource {
    /// Shown in diagnostics.
    pub name: String,
    /// The file's path, from which relative imports are resolved; `None` for standard input
    /// (imports resolve from the current directory).
    pub path: Option<PathBuf>,
    pub text: String,
}

/// Loads the root and its imports, returning every syntax and import diagnostic. FileIds are
/// assigned from 0 in load order (the root is file 0).
pub fn load(host: &dyn Host, root: RootSource) -> (Program, Vec<Diagnostic>) {
    let mut loader = Loader {
        host,
        program: Program {
            files: Vec::new(),
            modules: Vec::new(),
        },
        by_key: HashMap::default(),
        diagnostics: Vec::new(),
        stack: Vec::new(),
    };
    let dir = root
        .path
        .as_deref()
        .and_then(Path::parent)
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let key = match &root.path {
        Some(path) => Key::File(normalize(path)),
        None => Key::Stdin,
    };
    loader.add(key, root.name, root.text, false, Origin::Dir(dir));
    let mut diagnostics = loader.diagnostics;
    fgl_syntax::diagnostic::sort_and_dedup(&mut diagnostics);
    (loader.program, diagnostics)
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Key {
    Stdin,
    Std(String),
    File(PathBuf),
}

/// Where a module's relative imports resolve from.
enum Origin {
    Dir(PathBuf),
    Std,
}

struct Loader<'h> {
    host: &'h dyn Host,
    program: Program,
    by_key: HashMap<Key, ModuleId>,
    diagnostics: Vec<Diagnostic>,
    /// Modules being loaded, outermost first, with the span of the import that led to the next.
    stack: Vec<(ModuleId, Option<Span>)>,
}

impl Loader<'_> {
    fn add(
        &mut self,
        key: Key,
        name: String,
        text: String,
        is_std: bool,
        origin: Origin,
    ) -> ModuleId {
        let file = FileId(self.program.files.len() as u32);
        let id = ModuleId(self.program.modules.len() as u32);
        let (ast, syntax) = fgl_syntax::parse(file, &text);
        self.diagnostics.extend(syntax);
        self.program.files.push(SourceFile {
            id: file,
            name,
            text,
            is_std,
        });
        self.program.modules.push(Module {
            id,
            file,
            ast,
            imports: Vec::new(),
        });
        self.by_key.insert(key, id);

        self.stack.push((id, None));
        let requests: Vec<(usize, ast::Import)> = self.program.modules[id.index()]
            .ast
            .items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| match &item.kind {
                ItemKind::Import(import) => Some((i, import.clone())),
                _ => None,
            })
            .collect();
        let mut imports = Vec::with_capacity(requests.len());
        for (item, import) in requests {
            if let Some(last) = self.stack.last_mut() {
                last.1 = Some(import.path_span);
            }
            let alias = self.alias(&import);
            let target = self.resolve(&import, &origin);
            imports.push(Import {
                item,
                alias,
                alias_span: import.alias.as_ref().map_or(import.path_span, |a| a.span),
                target,
            });
        }
        self.stack.pop();
        self.program.modules[id.index()].imports = imports;
        id
    }

    /// The name an import binds: its `as` name, or the path's last segment without `.fgl`.
    fn alias(&mut self, import: &ast::Import) -> Option<String> {
        if let Some(alias) = &import.alias {
            return Some(alias.name.clone());
        }
        let last = import.path.rsplit('/').next().unwrap_or_default();
        let stem = last.strip_suffix(".fgl").unwrap_or(last);
        if is_identifier(stem) {
            return Some(stem.to_string());
        }
        self.diagnostics.push(
            Diagnostic::error(
                codes::IMPORT_NOT_FOUND,
                import.path_span,
                format!("cannot derive a name for the import of \"{}\"", import.path),
            )
            .with_primary_message(format!("`{stem}` is not an identifier"))
            .with_help(format!(
                "name it with `as`: import \"{}\" as {}",
                import.path,
                suggested_alias(stem)
            )),
        );
        None
    }

    fn resolve(&mut self, import: &ast::Import, origin: &Origin) -> Option<ModuleId> {
        let span = import.path_span;
        let path = import.path.as_str();
        let (key, name, is_std, next_origin) = if let Some(name) = path.strip_prefix("std/") {
            let Some(_) = stdlib::source(name) else {
                let known: Vec<&str> = stdlib::MODULES.iter().map(|(n, _)| *n).collect();
                let mut diag = Diagnostic::error(
                    codes::IMPORT_NOT_FOUND,
                    span,
                    format!("there is no standard-library module `std/{name}`"),
                )
                .with_primary_message("not in the standard library");
                diag = match crate::suggest::closest(name, known.iter().copied()) {
                    Some(close) => diag.with_help(format!("did you mean \"std/{close}\"?")),
                    None => diag.with_help(format!(
                        "the standard library has {}",
                        crate::suggest::list(
                            &known
                                .iter()
                                .map(|n| n.to_string())
                                .collect::<Vec<_>>()
                                .iter()
                                .map(|s| s.as_str())
                                .collect::<Vec<_>>()
                        )
                    )),
                };
                self.diagnostics.push(diag);
                return None;
            };
            (
                Key::Std(name.to_string()),
                stdlib::display_name(name),
                true,
                Origin::Std,
            )
        } else if path.starts_with("./") || path.starts_with("../") {
            let Origin::Dir(dir) = origin else {
                self.diagnostics.push(Diagnostic::error(
                    codes::IMPORT_NOT_FOUND,
                    span,
                    "a standard-library module can import only other `std/` modules",
                ));
                return None;
            };
            let full = normalize(&dir.join(path));
            let parent = full.parent().map(Path::to_path_buf).unwrap_or_default();
            (
                Key::File(full.clone()),
                full.display().to_string(),
                false,
                Origin::Dir(parent),
            )
        } else {
            self.diagnostics.push(
                Diagnostic::error(
                    codes::IMPORT_NOT_FOUND,
                    span,
                    format!("cannot import \"{path}\": an import path starts with `std/`, `./` or `../`"),
                )
                .with_primary_message("not a standard-library or relative path")
                .with_help(if path.starts_with('/') {
                    "imports are relative to the importing file, so the configuration can move: \
                     write a path starting with ./ or ../"
                        .to_string()
                } else {
                    format!("for a file next to this one, write \"./{path}\"")
                }),
            );
            return None;
        };

        if let Some(&id) = self.by_key.get(&key) {
            if let Some(pos) = self.stack.iter().position(|(m, _)| *m == id) {
                self.report_cycle(pos, span);
                return None;
            }
            return Some(id);
        }
        let text = if is_std {
            stdlib::source(path.trim_start_matches("std/"))
                .unwrap_or_default()
                .to_string()
        } else {
            let Key::File(full) = &key else { return None };
            match self.host.read(full) {
                Ok(text) => text,
                Err(e) => {
                    self.diagnostics.push(
                        Diagnostic::error(
                            codes::IMPORT_NOT_FOUND,
                            span,
                            format!("cannot read {name}: {}", io_reason(&e)),
                        )
                        .with_primary_message("imported here"),
                    );
                    return None;
                }
            }
        };
        Some(self.add(key, name, text, is_std, next_origin))
    }

    /// Reports the cycle that the import at `span` closes, back to `stack[pos]`.
    fn report_cycle(&mut self, pos: usize, span: Span) {
        let chain: Vec<String> = self.stack[pos..]
            .iter()
            .map(|(m, _)| self.module_name(*m))
            .chain(std::iter::once(self.module_name(self.stack[pos].0)))
            .collect();
        let mut diag = Diagnostic::error(
            codes::IMPORT_CYCLE,
            span,
            format!("import cycle: {}", chain.join(" → ")),
        )
        .with_primary_message("this import closes the cycle")
        .with_help("move what the modules share into a module that both import");
        let count = self.stack.len();
        for (m, at) in &self.stack[pos..count - 1] {
            if let Some(at) = at {
                let from = self.module_name(*m);
                diag = diag.with_label(*at, format!("{from} imports the next module here"));
            }
        }
        self.diagnostics.push(diag);
    }

    fn module_name(&self, id: ModuleId) -> String {
        let file = self.program.modules[id.index()].file;
        self.program.files[file.0 as usize].name.clone()
    }
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_string(),
        std::io::ErrorKind::InvalidData => "not UTF-8 text".to_string(),
        _ => e.to_string(),
    }
}

/// Removes `.` and resolves `..` lexically (the host may not be a real file system).
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            // `..` cancels a name before it, but not a `..` (or the root, or nothing) before it:
            // `../../x` stays `../../x`.
            Component::ParentDir => match out.components().next_back() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                Some(Component::RootDir | Component::Prefix(_)) => {}
                _ => out.push(".."),
            },
            other => out.push(other),
        }
    }
    out
}

pub fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !fgl_syntax::token::is_keyword(name)
}

fn suggested_alias(stem: &str) -> String {
    let cleaned: String = stem
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    if cleaned.starts_with(|c: char| c.is_ascii_digit()) || cleaned.is_empty() {
        format!("m_{cleaned}")
    } else {
        cleaned
    }
}

#[cfg(test)]
mod tests {
    use super::normalize;
    use std::path::Path;

    #[test]
    fn parent_segments_cancel_names_but_not_each_other() {
        let n = |p: &str| normalize(Path::new(p)).display().to_string();
        assert_eq!(n("a/./b/../c.fgl"), "a/c.fgl");
        // A relative root two levels down: `../../x` must stay above it (it once became `x`).
        assert_eq!(n("../../shared.fgl"), "../../shared.fgl");
        assert_eq!(n("p/q/../../../shared.fgl"), "../shared.fgl");
        assert_eq!(n("/a/../../x.fgl"), "/x.fgl");
    }
}
