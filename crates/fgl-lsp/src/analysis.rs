//! Running the language pipeline on open documents.
//!
//! - [`load`] parses a document and its imports (imports read open documents before the disk)
//!   into a [`Loaded`], cached per document until any document changes; every request starts
//!   from it.
//! - [`diagnose`] runs the same stages as `fgl check` (crates/fgl-cli/src/pipeline.rs): load →
//!   check → evaluate → the AWS rules, each only when the one before found no error.
//! - The [`Analyzer`] runs [`diagnose`] on a thread of its own, debounced: changes arriving
//!   within the debounce window are checked once, and a check whose document changed again
//!   stops at the next stage boundary without publishing (the newer change is queued behind
//!   it). Every run is wrapped in `catch_unwind`: a bug is logged, the server goes on.

use std::collections::{HashMap, HashSet};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use fgl_check::{Host, Program, RootSource};
use fgl_syntax::{Diagnostic, FileId, LineIndex};
use tower_lsp_server::ls_types::{self as lsp, MessageType, Uri};
use tower_lsp_server::Client;

use crate::convert;
use crate::documents::{self, Documents};
use crate::stdlib_files;

/// What every part of the server shares.
pub struct Shared {
    pub docs: Mutex<Documents>,
    cache: Mutex<HashMap<Uri, Arc<Loaded>>>,
    /// AWS resources per fgl resource of a document, with the generation they are of (hover).
    lowered: Mutex<HashMap<Uri, (u64, Arc<Lowered>)>>,
    /// Where the stdlib's files were written (None: not writable).
    pub std_dir: Option<PathBuf>,
}

/// The AWS resources each fgl resource becomes: logical id → (AWS kind, node id).
pub type Lowered = HashMap<String, Vec<(String, String)>>;

impl Shared {
    pub fn new(docs: Documents, std_dir: Option<PathBuf>) -> Self {
        Shared {
            docs: Mutex::new(docs),
            cache: Mutex::new(HashMap::new()),
            lowered: Mutex::new(HashMap::new()),
            std_dir,
        }
    }

    pub fn docs(&self) -> MutexGuard<'_, Documents> {
        lock(&self.docs)
    }
}

/// A poisoned lock only means a panic happened while it was held (caught and logged); the
/// data is still the last consistent state, so go on with it.
pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// A document parsed with its imports.
pub struct Loaded {
    /// The documents' generation it was made from.
    pub generation: u64,
    pub version: i32,
    pub uri: Uri,
    pub program: Program,
    /// Syntax and import diagnostics.
    pub load_diagnostics: Vec<Diagnostic>,
    /// By `FileId`: each file's URI (None for an untitled root's imports that failed, etc.).
    pub uris: Vec<Option<Uri>>,
    /// By `FileId`.
    pub indexes: Vec<LineIndex>,
}

impl Loaded {
    pub fn root_text(&self) -> &str {
        &self.program.file(FileId(0)).text
    }

    pub fn text(&self, file: FileId) -> &str {
        &self.program.file(file).text
    }

    pub fn index(&self, file: FileId) -> &LineIndex {
        &self.indexes[file.0 as usize]
    }

    pub fn uri(&self, file: FileId) -> Option<&Uri> {
        self.uris.get(file.0 as usize).and_then(Option::as_ref)
    }

    pub fn range(&self, span: fgl_syntax::Span) -> lsp::Range {
        crate::position::range(self.text(span.file), self.index(span.file), span)
    }

    pub fn location(&self, span: fgl_syntax::Span) -> Option<lsp::Location> {
        Some(lsp::Location::new(
            self.uri(span.file)?.clone(),
            self.range(span),
        ))
    }

    /// Whether a file of the program is part of the standard library.
    pub fn is_std(&self, file: FileId) -> bool {
        self.program.file(file).is_std
    }
}

/// Reads imports from the open documents first, then from the disk.
struct DocsHost {
    open: HashMap<PathBuf, String>,
}

impl Host for DocsHost {
    fn read(&self, path: &Path) -> std::io::Result<String> {
        match self.open.get(path) {
            Some(text) => Ok(text.clone()),
            None => std::fs::read_to_string(path),
        }
    }
}

/// The document `uri` with its imports, from the cache when no document changed since.
pub fn load(shared: &Shared, uri: &Uri) -> Option<Arc<Loaded>> {
    let (generation, version, text, open) = {
        let docs = shared.docs();
        let doc = docs.get(uri)?;
        if let Some(hit) = lock(&shared.cache).get(uri) {
            if hit.generation == docs.generation() {
                return Some(hit.clone());
            }
        }
        (
            docs.generation(),
            doc.version,
            doc.text.clone(),
            docs.by_path(),
        )
    };
    let path = documents::file_path(uri);
    let name = path
        .as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| uri.as_str().to_string());
    let root = RootSource {
        name,
        path: path.clone(),
        text,
    };
    let (program, load_diagnostics) = fgl_check::load(&DocsHost { open }, root);
    let uris = program
        .files
        .iter()
        .map(|f| {
            if f.id == FileId(0) {
                return Some(uri.clone());
            }
            if f.is_std {
                let name = stdlib_files::file_name(&f.name)?;
                return Uri::from_file_path(shared.std_dir.as_ref()?.join(name));
            }
            Uri::from_file_path(&f.name)
        })
        .collect();
    let indexes = program
        .files
        .iter()
        .map(|f| LineIndex::new(&f.text))
        .collect();
    let loaded = Arc::new(Loaded {
        generation,
        version,
        uri: uri.clone(),
        program,
        load_diagnostics,
        uris,
        indexes,
    });
    let mut cache = lock(&shared.cache);
    // Keep the newest: a slower request may finish after a faster, newer one.
    let newer = cache
        .get(uri)
        .is_some_and(|c| c.generation > loaded.generation);
    if !newer {
        cache.insert(uri.clone(), loaded.clone());
    }
    Some(loaded)
}

/// Why a run stopped early.
pub struct Cancelled;

/// The diagnostics `fgl check` reports for this root (every file), in stage order; `stale` is
/// asked between stages.
pub fn diagnose(loaded: &Loaded, stale: &dyn Fn() -> bool) -> Result<Vec<Diagnostic>, Cancelled> {
    let mut diagnostics = loaded.load_diagnostics.clone();
    // As in the CLI: a file with syntax errors is not resolved (every hole would repeat as a
    // name or type error).
    let syntax_errors = diagnostics
        .iter()
        .any(|d| d.is_error() && d.code.as_str().starts_with("E01"));
    if syntax_errors {
        return Ok(diagnostics);
    }
    if stale() {
        return Err(Cancelled);
    }
    let checked = fgl_check::check(&loaded.program);
    diagnostics.extend(checked.diagnostics);
    fgl_syntax::diagnostic::sort_and_dedup(&mut diagnostics);
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Ok(diagnostics);
    }
    if stale() {
        return Err(Cancelled);
    }
    // No `--set` or `--stack` in an editor: what `fgl check FILE` reports. The evaluator's
    // step and depth budgets bound a pathological file.
    let options = fgl_eval::Options {
        optional_reads: checked.optional_reads.clone(),
        ..fgl_eval::Options::default()
    };
    match fgl_eval::evaluate(&checked.decls, &options) {
        Ok(mut out) => {
            fgl_lower::complete(&checked.decls, &mut out);
            diagnostics.extend(fgl_lower::check(&checked.decls, &out));
        }
        Err(errors) => diagnostics.extend(errors),
    }
    Ok(diagnostics)
}

/// The AWS resources each fgl resource of the document becomes, when it checks cleanly and
/// has a stack name: computed on demand (hover), once per change — never on the way to the
/// diagnostics.
pub fn lowering(shared: &Shared, loaded: &Loaded) -> Option<Arc<Lowered>> {
    if let Some((generation, hit)) = lock(&shared.lowered).get(&loaded.uri) {
        if *generation == loaded.generation {
            return Some(hit.clone());
        }
    }
    let mut lowered = Lowered::new();
    if !loaded.load_diagnostics.iter().any(Diagnostic::is_error) {
        let checked = fgl_check::check(&loaded.program);
        if !checked.diagnostics.iter().any(Diagnostic::is_error) {
            let options = fgl_eval::Options {
                optional_reads: checked.optional_reads.clone(),
                ..fgl_eval::Options::default()
            };
            if let Ok(mut out) = fgl_eval::evaluate(&checked.decls, &options) {
                fgl_lower::complete(&checked.decls, &mut out);
                if let Ok(graph) = fgl_lower::lower(&checked.decls, &out) {
                    for node in graph.nodes {
                        lowered
                            .entry(node.owner)
                            .or_default()
                            .push((node.kind, node.id));
                    }
                }
            }
        }
    }
    let lowered = Arc::new(lowered);
    lock(&shared.lowered).insert(loaded.uri.clone(), (loaded.generation, lowered.clone()));
    Some(lowered)
}

enum Job {
    Touch(Uri),
    Stop,
}

/// The handle of the diagnostics thread.
pub struct Analyzer {
    tx: Mutex<mpsc::Sender<Job>>,
}

impl Analyzer {
    pub fn start(
        shared: Arc<Shared>,
        client: Client,
        runtime: tokio::runtime::Handle,
        debounce: Duration,
    ) -> Self {
        let (tx, rx) = mpsc::channel();
        let worker = Worker {
            shared,
            client,
            runtime,
            debounce,
            deps: HashMap::new(),
            foreign: HashMap::new(),
        };
        // Deep (but bounded) trees are walked recursively: give the thread room.
        let spawned = std::thread::Builder::new()
            .name("fgl-diagnostics".into())
            .stack_size(16 << 20)
            .spawn(move || worker.run(rx));
        if let Err(e) = spawned {
            eprintln!("fgl lsp: cannot start the diagnostics thread: {e}");
        }
        Analyzer { tx: Mutex::new(tx) }
    }

    /// The document changed (or opened, or closed): check it again.
    pub fn touch(&self, uri: Uri) {
        let _ = lock(&self.tx).send(Job::Touch(uri));
    }

    pub fn stop(&self) {
        let _ = lock(&self.tx).send(Job::Stop);
    }
}

struct Worker {
    shared: Arc<Shared>,
    client: Client,
    runtime: tokio::runtime::Handle,
    debounce: Duration,
    /// Root → the local files its program read (to re-check it when one of them changes).
    deps: HashMap<Uri, HashSet<Uri>>,
    /// Diagnostics published on files other than the root that found them: file → root →
    /// diagnostics (a file shows the union).
    foreign: HashMap<Uri, HashMap<Uri, Vec<lsp::Diagnostic>>>,
}

impl Worker {
    fn run(mut self, rx: mpsc::Receiver<Job>) {
        let mut dirty: Vec<Uri> = Vec::new();
        loop {
            if dirty.is_empty() {
                match rx.recv() {
                    Ok(Job::Touch(uri)) => dirty.push(uri),
                    Ok(Job::Stop) | Err(_) => return,
                }
            }
            // Debounce: wait until no change came for the whole window.
            loop {
                match rx.recv_timeout(self.debounce) {
                    Ok(Job::Touch(uri)) => {
                        if !dirty.contains(&uri) {
                            dirty.push(uri)
                        }
                    }
                    Ok(Job::Stop) | Err(RecvTimeoutError::Disconnected) => return,
                    Err(RecvTimeoutError::Timeout) => break,
                }
            }
            let mut batch = std::mem::take(&mut dirty);
            // Open documents importing a changed one are checked again too.
            let dependents: Vec<Uri> = self
                .deps
                .iter()
                .filter(|(root, files)| {
                    !batch.contains(root) && batch.iter().any(|b| files.contains(b))
                })
                .map(|(root, _)| root.clone())
                .collect();
            batch.extend(dependents);
            for uri in batch {
                let outcome = catch_unwind(AssertUnwindSafe(|| self.check(&uri)));
                if outcome.is_err() {
                    self.log(format!("internal error while checking {}", uri.as_str()));
                }
            }
        }
    }

    fn check(&mut self, uri: &Uri) {
        let is_open = self.shared.docs().get(uri).is_some();
        let is_std = documents::file_path(uri)
            .is_some_and(|p| stdlib_files::is_std_path(self.shared.std_dir.as_deref(), &p));
        if !is_open || is_std {
            // Closed (or the read-only stdlib): clear what it published.
            self.deps.remove(uri);
            self.publish(uri.clone(), Vec::new(), None);
            self.set_foreign(uri, HashMap::new());
            return;
        }
        let Some(loaded) = load(&self.shared, uri) else {
            return;
        };
        let shared = self.shared.clone();
        let version = loaded.version;
        let stale = || shared.docs().get(uri).map(|d| d.version) != Some(version);
        let Ok(diagnostics) = diagnose(&loaded, &stale) else {
            return; // a newer change is queued: it will be checked
        };
        if stale() {
            return;
        }
        self.publish_all(&loaded, uri, &diagnostics);
    }

    /// Publishes a root's diagnostics: its own on it, those of imported files on them.
    fn publish_all(&mut self, loaded: &Loaded, uri: &Uri, diagnostics: &[Diagnostic]) {
        let mut own = Vec::new();
        let mut elsewhere: HashMap<Uri, Vec<lsp::Diagnostic>> = HashMap::new();
        for d in diagnostics {
            let file = d.span().file;
            let lsp = convert::diagnostic(loaded, d);
            if file == FileId(0) {
                own.push(lsp);
            } else if !loaded.is_std(file) {
                if let Some(target) = loaded.uri(file) {
                    elsewhere.entry(target.clone()).or_default().push(lsp);
                }
            }
        }
        let files: HashSet<Uri> = (1..loaded.program.files.len())
            .filter(|&i| !loaded.is_std(FileId(i as u32)))
            .filter_map(|i| loaded.uris[i].clone())
            .collect();
        self.deps.insert(uri.clone(), files);
        self.publish(uri.clone(), own, Some(loaded.version));
        self.set_foreign(uri, elsewhere);
    }

    /// Replaces what `root` published on other files, and republishes those files.
    fn set_foreign(&mut self, root: &Uri, now: HashMap<Uri, Vec<lsp::Diagnostic>>) {
        let mut touched: HashSet<Uri> = now.keys().cloned().collect();
        for (file, by_root) in self.foreign.iter_mut() {
            if by_root.remove(root).is_some() {
                touched.insert(file.clone());
            }
        }
        for (file, diags) in now {
            self.foreign
                .entry(file)
                .or_default()
                .insert(root.clone(), diags);
        }
        for file in touched {
            // An open file publishes its own diagnostics.
            if self.shared.docs().get(&file).is_some() {
                continue;
            }
            let mut all: Vec<lsp::Diagnostic> = Vec::new();
            if let Some(by_root) = self.foreign.get(&file) {
                for d in by_root.values().flatten() {
                    if !all.contains(d) {
                        all.push(d.clone());
                    }
                }
            }
            self.publish(file, all, None);
        }
    }

    fn publish(&self, uri: Uri, diagnostics: Vec<lsp::Diagnostic>, version: Option<i32>) {
        let client = self.client.clone();
        self.runtime
            .block_on(async move { client.publish_diagnostics(uri, diagnostics, version).await });
    }

    fn log(&self, message: String) {
        let client = self.client.clone();
        self.runtime
            .block_on(async move { client.log_message(MessageType::ERROR, message).await });
    }
}
