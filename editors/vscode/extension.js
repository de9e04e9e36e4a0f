// The fgl extension: starts `fgl lsp` (the path is the `fgl.server.path` setting) for fgl
// files. Everything else (diagnostics, completion, hover, definitions, formatting) comes from
// the language server.
'use strict';

const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

let client;

function activate(context) {
  const command = vscode.workspace.getConfiguration('fgl').get('server.path') || 'fgl';
  const server = { command, args: ['lsp'] };
  client = new LanguageClient(
    'fgl',
    'fgl',
    { run: server, debug: server },
    {
      documentSelector: [{ language: 'fgl' }],
      synchronize: {
        fileEvents: vscode.workspace.createFileSystemWatcher('**/*.fgl'),
      },
    },
  );
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('fgl.server.path')) {
        vscode.window.showInformationMessage('fgl: reload the window to use the new server path.');
      }
    }),
  );
  return client.start().catch((err) => {
    vscode.window.showErrorMessage(
      `fgl: cannot start \`${command} lsp\` (${err.message}). Install fgl or set fgl.server.path.`,
    );
  });
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
