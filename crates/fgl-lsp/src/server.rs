//! The `LanguageServer` implementation: each request runs on a blocking thread, inside
//! `catch_unwind` (a panic is logged and answered with no result; the server goes on), on the
//! document as the client last sent it.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use fgl_syntax::FileId;
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer};

use crate::analysis::{self, Analyzer, Loaded, Shared};
use crate::semantic::Model;
use crate::{completion, hover, navigation, symbols, Config};

pub struct Backend {
    client: Client,
    shared: Arc<Shared>,
    analyzer: Analyzer,
    snippets: AtomicBool,
}

impl Backend {
    pub fn new(client: Client, shared: Arc<Shared>, config: &Config) -> Self {
        let analyzer = Analyzer::start(
            shared.clone(),
            client.clone(),
            tokio::runtime::Handle::current(),
            config.debounce,
        );
        Backend {
            client,
            shared,
            analyzer,
            snippets: AtomicBool::new(false),
        }
    }

    /// Runs `f` on a blocking thread; a panic is logged, and the answer is None.
    async fn run<T, F>(&self, what: &'static str, f: F) -> Result<Option<T>>
    where
        T: Send + 'static,
        F: FnOnce(&Shared) -> Option<T> + Send + 'static,
    {
        let shared = self.shared.clone();
        let joined =
            tokio::task::spawn_blocking(move || catch_unwind(AssertUnwindSafe(|| f(&shared))))
                .await;
        match joined {
            Ok(Ok(answer)) => Ok(answer),
            Ok(Err(_)) | Err(_) => {
                self.client
                    .log_message(MessageType::ERROR, format!("internal error in {what}"))
                    .await;
                Ok(None)
            }
        }
    }
}

/// The document with its imports, and the cursor's byte offset in it.
fn at(shared: &Shared, uri: &Uri, pos: Position) -> Option<(Arc<Loaded>, usize)> {
    let loaded = analysis::load(shared, uri)?;
    let offset = crate::position::offset(loaded.root_text(), loaded.index(FileId(0)), pos);
    Some((loaded, offset))
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let snippets = params
            .capabilities
            .text_document
            .as_ref()
            .and_then(|t| t.completion.as_ref())
            .and_then(|c| c.completion_item.as_ref())
            .and_then(|i| i.snippet_support)
            .unwrap_or(false);
        self.snippets.store(snippets, Ordering::Relaxed);
        Ok(InitializeResult {
            offset_encoding: None,
            server_info: Some(ServerInfo {
                name: "fgl".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
            capabilities: ServerCapabilities {
                text_document_sync: Some(TextDocumentSyncCapability::Options(
                    TextDocumentSyncOptions {
                        open_close: Some(true),
                        change: Some(TextDocumentSyncKind::INCREMENTAL),
                        ..TextDocumentSyncOptions::default()
                    },
                )),
                completion_provider: Some(CompletionOptions {
                    trigger_characters: Some([".", "{", "=", "\"", "/"].map(String::from).to_vec()),
                    ..CompletionOptions::default()
                }),
                hover_provider: Some(HoverProviderCapability::Simple(true)),
                definition_provider: Some(OneOf::Left(true)),
                references_provider: Some(OneOf::Left(true)),
                rename_provider: Some(OneOf::Right(RenameOptions {
                    prepare_provider: Some(true),
                    work_done_progress_options: WorkDoneProgressOptions::default(),
                })),
                document_symbol_provider: Some(OneOf::Left(true)),
                document_formatting_provider: Some(OneOf::Left(true)),
                ..ServerCapabilities::default()
            },
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        if self.shared.std_dir.is_none() {
            self.client
                .log_message(
                    MessageType::WARNING,
                    "no writable cache directory: definitions in the standard library are not available",
                )
                .await;
        }
    }

    async fn shutdown(&self) -> Result<()> {
        self.analyzer.stop();
        Ok(())
    }

    // The documents themselves were changed by `Ordered`, in order; check them again.
    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        self.analyzer.touch(params.text_document.uri);
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        self.analyzer.touch(params.text_document.uri);
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        self.analyzer.touch(params.text_document.uri);
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        let p = params.text_document_position;
        let snippets = self.snippets.load(Ordering::Relaxed);
        self.run("completion", move |shared| {
            let (loaded, offset) = at(shared, &p.text_document.uri, p.position)?;
            let model = Model::build(&loaded, Some(offset));
            let items = completion::complete(&model, offset, snippets);
            Some(CompletionResponse::Array(items))
        })
        .await
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let p = params.text_document_position_params;
        self.run("hover", move |shared| {
            let (loaded, offset) = at(shared, &p.text_document.uri, p.position)?;
            let model = Model::build(&loaded, Some(offset));
            let lowering = || analysis::lowering(shared, &loaded);
            let (text, span) = hover::hover(&model, offset, &lowering)?;
            Some(Hover {
                contents: HoverContents::Markup(MarkupContent {
                    kind: MarkupKind::Markdown,
                    value: text,
                }),
                range: Some(loaded.range(span)),
            })
        })
        .await
    }

    async fn goto_definition(
        &self,
        params: GotoDefinitionParams,
    ) -> Result<Option<GotoDefinitionResponse>> {
        let p = params.text_document_position_params;
        self.run("definition", move |shared| {
            let (loaded, offset) = at(shared, &p.text_document.uri, p.position)?;
            let model = Model::build(&loaded, None);
            let location = navigation::definition(&model, offset)?;
            Some(GotoDefinitionResponse::Scalar(location))
        })
        .await
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        let p = params.text_document_position;
        let include = params.context.include_declaration;
        self.run("references", move |shared| {
            let (loaded, offset) = at(shared, &p.text_document.uri, p.position)?;
            let model = Model::build(&loaded, None);
            Some(navigation::references(&model, offset, include))
        })
        .await
    }

    async fn prepare_rename(
        &self,
        params: TextDocumentPositionParams,
    ) -> Result<Option<PrepareRenameResponse>> {
        let answer = self
            .run("prepareRename", move |shared| {
                let (loaded, offset) = at(shared, &params.text_document.uri, params.position)?;
                let model = Model::build(&loaded, None);
                Some(match navigation::prepare(&model, offset) {
                    Ok((span, target)) => Ok(PrepareRenameResponse::RangeWithPlaceholder {
                        range: loaded.range(span),
                        placeholder: target.name().to_string(),
                    }),
                    Err(e) => Err(rename_error(e)),
                })
            })
            .await?;
        answer.transpose()
    }

    async fn rename(&self, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
        let p = params.text_document_position;
        let new_name = params.new_name;
        let answer = self
            .run("rename", move |shared| {
                let (loaded, offset) = at(shared, &p.text_document.uri, p.position)?;
                let model = Model::build(&loaded, None);
                Some(
                    navigation::rename(&model, offset, &new_name)
                        .map(|changes| WorkspaceEdit::new(changes.into_iter().collect()))
                        .map_err(rename_error),
                )
            })
            .await?;
        answer.transpose()
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        self.run("documentSymbol", move |shared| {
            let loaded = analysis::load(shared, &params.text_document.uri)?;
            let symbols = symbols::document_symbols(
                &loaded.program.root().ast,
                loaded.root_text(),
                loaded.index(FileId(0)),
            );
            Some(DocumentSymbolResponse::Nested(symbols))
        })
        .await
    }

    async fn formatting(&self, params: DocumentFormattingParams) -> Result<Option<Vec<TextEdit>>> {
        self.run("formatting", move |shared| {
            let docs = shared.docs();
            let doc = docs.get(&params.text_document.uri)?;
            // Like `fgl fmt`: a file with syntax errors is left as it is.
            let formatted = fgl_fmt::format_source(FileId(0), &doc.text).ok()?;
            if formatted == doc.text {
                return Some(Vec::new());
            }
            let range = crate::position::whole(&doc.text, &doc.index);
            Some(vec![TextEdit::new(range, formatted)])
        })
        .await
    }
}

fn rename_error(e: navigation::RenameError) -> Error {
    let message = match e {
        navigation::RenameError::NothingHere => "there is no name to rename here".to_string(),
        navigation::RenameError::NotRenamable(what) => format!("cannot rename {what}"),
        navigation::RenameError::BadName(why) => why,
    };
    Error::invalid_params(message)
}
