// The Pol extension: the grammar and language configuration are declared in
// package.json; this starts `pol lsp` for the .pol files of the workspace.
"use strict";
const vscode = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");

let client;

function activate() {
  const command = vscode.workspace.getConfiguration("pol").get("path") || "pol";
  const server = { command, args: ["lsp"], transport: TransportKind.stdio };
  client = new LanguageClient("pol", "Pol", { run: server, debug: server }, {
    documentSelector: [{ scheme: "file", language: "pol" }],
  });
  // The server's commands (`pol.runTest`, behind each test's code lens) are
  // registered by the client from the server's capabilities.
  client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
