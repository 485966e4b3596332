// Renders a .pol file as HTML, highlighted by the extension's TextMate
// grammar (with vscode-textmate, as VS Code tokenizes it), for a picture of
// the highlighting in docs/editors.md:
//   node editors/vscode/test/render.mjs FILE.pol > out.html
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
const require = createRequire(import.meta.url);
const vsctm = require("vscode-textmate");
const oniguruma = require("vscode-oniguruma");

const here = path.dirname(new URL(import.meta.url).pathname);
const wasm = fs.readFileSync(require.resolve("vscode-oniguruma/release/onig.wasm")).buffer;
await oniguruma.loadWASM(wasm);
const registry = new vsctm.Registry({
  onigLib: Promise.resolve({
    createOnigScanner: p => new oniguruma.OnigScanner(p),
    createOnigString: s => new oniguruma.OnigString(s),
  }),
  loadGrammar: async () => vsctm.parseRawGrammar(
    fs.readFileSync(path.join(here, "../syntaxes/pol.tmLanguage.json"), "utf8"), "pol.tmLanguage.json"),
});
const grammar = await registry.loadGrammar("source.pol");
// Colours close to VS Code's light theme.
const colours = [
  ["comment", "#008000"], ["markup.quote", "#795e26"], ["string", "#a31515"],
  ["constant.numeric", "#098658"], ["constant.other", "#098658"], ["constant.language", "#0000ff"],
  ["keyword.declaration", "#0000ff"], ["keyword", "#af00db"], ["entity.name.function", "#795e26"],
  ["entity.name.type", "#267f99"], ["support.type", "#267f99"], ["support.function", "#795e26"],
  ["variable", "#001080"],
];
const escape = s => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const lines = fs.readFileSync(process.argv[2], "utf8").split("\n");
let state = vsctm.INITIAL;
const out = [];
for (const line of lines) {
  const r = grammar.tokenizeLine(line, state);
  out.push(r.tokens.map(t => {
    const text = escape(line.slice(t.startIndex, t.endIndex));
    const scope = [...t.scopes].reverse().find(s => colours.some(([k]) => s.startsWith(k)));
    const colour = scope && colours.find(([k]) => scope.startsWith(k))[1];
    return colour ? `<span style="color:${colour}" title="${scope}">${text}</span>` : text;
  }).join(""));
  state = r.ruleStack;
}
process.stdout.write(`<!DOCTYPE html><html><head><meta charset="utf-8"><style>
body{margin:0;background:#fff}pre{font:14px/1.45 "DejaVu Sans Mono","Noto Sans Mono CJK SC",monospace;padding:14px 18px;margin:0}
</style></head><body><pre>${out.join("\n")}</pre></body></html>\n`);
