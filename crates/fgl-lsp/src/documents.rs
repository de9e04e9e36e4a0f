//! The open documents: their text and version, changed only by `didOpen`, `didChange` and
//! `didClose`, applied in the order the client sent them (see `ordered.rs`).

use std::collections::HashMap;
use std::path::PathBuf;

use fgl_syntax::LineIndex;
use tower_lsp_server::ls_types::{TextDocumentContentChangeEvent, Uri};

use crate::position;

pub struct Document {
    pub text: String,
    pub version: i32,
    pub index: LineIndex,
}

impl Document {
    fn new(text: String, version: i32) -> Self {
        let index = LineIndex::new(&text);
        Document {
            text,
            version,
            index,
        }
    }
}

#[derive(Default)]
pub struct Documents {
    docs: HashMap<Uri, Document>,
    /// Bumped by every change to any document: an analysis made at an older generation may
    /// have read an import that changed since.
    generation: u64,
}

impl Documents {
    pub fn generation(&self) -> u64 {
        self.generation
    }

    pub fn get(&self, uri: &Uri) -> Option<&Document> {
        self.docs.get(uri)
    }

    pub fn open(&mut self, uri: Uri, text: String, version: i32) {
        self.generation += 1;
        self.docs.insert(uri, Document::new(text, version));
    }

    pub fn close(&mut self, uri: &Uri) {
        self.generation += 1;
        self.docs.remove(uri);
    }

    /// Applies the changes of one `didChange`, in order. A change to a document that is not
    /// open is ignored (the client will open it first).
    pub fn change(
        &mut self,
        uri: &Uri,
        version: i32,
        changes: Vec<TextDocumentContentChangeEvent>,
    ) {
        let Some(doc) = self.docs.get_mut(uri) else {
            return;
        };
        self.generation += 1;
        for change in changes {
            match change.range {
                Some(range) => {
                    let start = position::offset(&doc.text, &doc.index, range.start);
                    let end = position::offset(&doc.text, &doc.index, range.end).max(start);
                    doc.text.replace_range(start..end, &change.text);
                }
                None => doc.text = change.text,
            }
            doc.index = LineIndex::new(&doc.text);
        }
        doc.version = version;
    }

    /// The open documents that are files, by path: imports read these before the disk.
    pub fn by_path(&self) -> HashMap<PathBuf, String> {
        self.docs
            .iter()
            .filter_map(|(uri, doc)| Some((file_path(uri)?, doc.text.clone())))
            .collect()
    }
}

/// The path of a `file:` URI.
pub fn file_path(uri: &Uri) -> Option<PathBuf> {
    if uri.scheme().as_str() != "file" {
        return None;
    }
    uri.to_file_path().map(|p| p.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower_lsp_server::ls_types::{Position, Range};

    fn edit(range: ((u32, u32), (u32, u32)), text: &str) -> TextDocumentContentChangeEvent {
        TextDocumentContentChangeEvent {
            range: Some(Range::new(
                Position::new(range.0 .0, range.0 .1),
                Position::new(range.1 .0, range.1 .1),
            )),
            range_length: None,
            text: text.to_string(),
        }
    }

    #[test]
    fn applies_incremental_changes_in_order() {
        let uri: Uri = "file:///tmp/a.fgl".parse().expect("a valid URI");
        let mut docs = Documents::default();
        docs.open(uri.clone(), "a = 1\n".into(), 1);
        docs.change(
            &uri,
            2,
            vec![
                edit(((0, 4), (0, 5)), "42"),
                edit(((1, 0), (1, 0)), "b = a\n"),
            ],
        );
        let doc = docs.get(&uri).expect("open");
        assert_eq!(doc.text, "a = 42\nb = a\n");
        assert_eq!(doc.version, 2);
    }
}
