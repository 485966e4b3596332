//! `pol lsp`, driven over stdio by a test client through a scripted session
//! on a copy of the Xuchang package: open, an edit with an error (after
//! Chinese text, so that UTF-16 columns matter), the diagnostic, the fix,
//! hover, definition across files, references, completion, rename,
//! formatting, symbols, and the code lens of a test.

use serde_json::{Value as Json, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};

struct Client {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<std::process::ChildStdout>,
    next: u64,
    /// Notifications received while waiting for answers.
    notes: Vec<Json>,
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Client {
    fn start() -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_pol"))
            .env("LC_ALL", "C.UTF-8")
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("pol lsp starts");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = BufReader::new(child.stdout.take().expect("stdout"));
        let mut c = Client {
            child,
            stdin,
            stdout,
            next: 0,
            notes: Vec::new(),
        };
        let init = c.request(
            "initialize",
            json!({"processId": null, "rootUri": null, "capabilities": {}}),
        );
        assert_eq!(init["result"]["capabilities"]["hoverProvider"], true);
        c.notify("initialized", json!({}));
        c
    }

    fn send(&mut self, msg: Json) {
        let body = msg.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).expect("write");
        self.stdin.flush().expect("flush");
    }

    fn receive(&mut self) -> Json {
        let mut length = 0usize;
        loop {
            let mut line = String::new();
            self.stdout.read_line(&mut line).expect("a header line");
            assert!(!line.is_empty(), "the server closed its output");
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(n) = line.strip_prefix("Content-Length: ") {
                length = n.parse().expect("a length");
            }
        }
        let mut body = vec![0; length];
        self.stdout.read_exact(&mut body).expect("the body");
        serde_json::from_slice(&body).expect("JSON")
    }

    fn notify(&mut self, method: &str, params: Json) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    fn request(&mut self, method: &str, params: Json) -> Json {
        self.next += 1;
        let id = self.next;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let m = self.receive();
            if m["id"] == id {
                return m;
            }
            self.notes.push(m);
        }
    }

    /// The diagnostics last published for `uri`, after a round trip.
    fn diagnostics(&mut self, uri: &str) -> Vec<Json> {
        self.request(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": "file:///nowhere.pol"}}),
        );
        self.notes
            .iter()
            .rev()
            .find(|n| n["method"] == "textDocument/publishDiagnostics" && n["params"]["uri"] == uri)
            .map(|n| {
                n["params"]["diagnostics"]
                    .as_array()
                    .expect("a list")
                    .clone()
            })
            .unwrap_or_default()
    }
}

fn copy_of_xuchang() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary directory");
    for e in std::fs::read_dir("policies/xuchang-2021").expect("the package") {
        let p = e.expect("an entry").path();
        if p.is_file() {
            std::fs::copy(&p, dir.path().join(p.file_name().expect("a name"))).expect("copy");
        }
    }
    dir
}

/// The markdown of a hover's answer.
fn markdown(hover: &Json) -> String {
    hover["result"]["contents"]["value"]
        .as_str()
        .expect("markdown")
        .to_string()
}

fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// The (line, UTF-16 column) of the `nth` occurrence of `needle`, plus `skip` characters.
fn position(text: &str, needle: &str, nth: usize, skip: usize) -> Json {
    let at = text.match_indices(needle).nth(nth).expect("the needle").0;
    let line = text[..at].matches('\n').count();
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let column: usize = text[start..at].chars().map(char::len_utf16).sum();
    json!({"line": line, "character": column + skip})
}

#[test]
fn a_scripted_editing_session_on_the_xuchang_package() {
    let dir = copy_of_xuchang();
    let file: PathBuf = dir.path().join("01-support-enterprises.pol");
    let types = dir.path().join("types.pol");
    let text = std::fs::read_to_string(&file).expect("the file");
    let u = uri(&file);
    let mut c = Client::start();
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": u, "languageId": "pol", "version": 1, "text": text}}),
    );
    assert_eq!(c.diagnostics(&u), Vec::<Json>::new(), "the package checks");

    // An error after Chinese text on its line: the range counts UTF-16 units.
    let broken = text.replacen(
        "clause hiring_subsidy \"[1b] 一次性吸纳就业补贴\" {",
        "clause hiring_subsidy \"[1b] 一次性吸纳就业补贴\" { output probe = nope",
        1,
    );
    assert_ne!(broken, text);
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": u, "version": 2}, "contentChanges": [{"text": broken}]}),
    );
    let diags = c.diagnostics(&u);
    assert_eq!(diags.len(), 1, "{diags:?}");
    let d = &diags[0];
    assert_eq!(d["code"], "pol::check::unknown_name", "{d}");
    assert_eq!(d["source"], "pol");
    assert!(
        d["code"].as_str().expect("a code").starts_with("pol::"),
        "{d}"
    );
    assert_eq!(d["range"]["start"], position(&broken, "nope", 0, 0), "{d}");
    assert_eq!(d["range"]["end"], position(&broken, "nope", 0, 4), "{d}");
    assert!(
        d["message"].as_str().expect("a message").contains("nope"),
        "{d}"
    );

    // The fix clears it.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": u, "version": 3}, "contentChanges": [{"text": text}]}),
    );
    assert_eq!(c.diagnostics(&u), Vec::<Json>::new());

    let at = |needle: &str, nth: usize, skip: usize| json!({"textDocument": {"uri": u}, "position": position(&text, needle, nth, skip)});

    // Hover: a clause with its label and quote; a field with its type and label; a builtin.
    let h = c.request(
        "textDocument/hover",
        at("hire_subsidy(hire).eligible", 0, 2),
    );
    let v = markdown(&h);
    assert!(
        v.contains("clause hire_subsidy")
            && v.contains("一次性吸纳就业补贴")
            && v.contains("> 对当年新招用"),
        "{v}"
    );
    let h = c.request(
        "textDocument/hover",
        at("hire.contract_term >= 1 year", 0, 6),
    );
    let v = markdown(&h);
    assert!(
        v.contains("Hire.contract_term: duration") && v.contains("劳动合同期限"),
        "{v}"
    );
    let h = c.request("textDocument/hover", at("min(hire.si_months", 0, 1));
    let v = markdown(&h);
    assert!(v.contains("min("), "{v}");

    // Definition across files: the field is declared in types.pol.
    let d = c.request(
        "textDocument/definition",
        at("hire.contract_term >= 1 year", 0, 6),
    );
    assert_eq!(d["result"]["uri"], uri(&types));
    let types_text = std::fs::read_to_string(&types).expect("types.pol");
    assert_eq!(
        d["result"]["range"]["start"],
        position(&types_text, "contract_term", 0, 0)
    );

    // References: the declaration and every use, in several files.
    let r = c.request("textDocument/references", json!({"textDocument": {"uri": u}, "position": position(&text, "hire.contract_term >= 1 year", 0, 6), "context": {"includeDeclaration": true}}));
    let refs = r["result"].as_array().expect("locations");
    assert!(refs.len() > 10, "{refs:?}");
    let files: std::collections::BTreeSet<&str> = refs
        .iter()
        .map(|l| l["uri"].as_str().expect("a URI"))
        .collect();
    assert!(files.len() >= 2, "{files:?}");

    // A record's references include the types that name it, in other files.
    let types_uri = uri(&types);
    c.notify("textDocument/didOpen", json!({"textDocument": {"uri": types_uri, "languageId": "pol", "version": 1, "text": types_text}}));
    let r = c.request("textDocument/references", json!({"textDocument": {"uri": types_uri}, "position": position(&types_text, "record Hire", 0, 8), "context": {"includeDeclaration": false}}));
    let refs = r["result"].as_array().expect("locations");
    assert!(
        refs.iter().any(|l| l["uri"] == u),
        "`input hire: Hire` is a use: {refs:?}"
    );

    // Completion after `hire.`: the fields of Hire, with labels.
    // Half typed, the package does not check: completion after `hire.` and
    // hover still answer, from the last version that checked.
    let probe = text.replacen(
        "  eligible if sme and",
        "  eligible if hire. and sme and",
        1,
    );
    assert_ne!(probe, text);
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": u, "version": 4}, "contentChanges": [{"text": probe}]}),
    );
    assert!(!c.diagnostics(&u).is_empty());
    let comp = c.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": u}, "position": position(&probe, "hire. and", 0, 5)}),
    );
    let labels: Vec<&str> = comp["result"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["label"].as_str().expect("a label"))
        .collect();
    assert!(
        labels.contains(&"contract_term") && labels.contains(&"graduate"),
        "{labels:?}"
    );
    let h = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": u}, "position": position(&probe, "employer.size in", 0, 2)}),
    );
    let v = markdown(&h);
    assert!(
        v.contains("input employer") && v.contains("last version that checked"),
        "{v}"
    );
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": u, "version": 5}, "contentChanges": [{"text": text}]}),
    );
    let comp = c.request(
        "textDocument/completion",
        at("hire.contract_term >= 1 year", 0, 5),
    );
    let items = comp["result"].as_array().expect("items");
    let contract = items
        .iter()
        .find(|i| i["label"] == "contract_term")
        .expect("contract_term is offered");
    assert!(
        contract["detail"]
            .as_str()
            .expect("a detail")
            .contains("劳动合同期限"),
        "{contract}"
    );
    assert!(items.iter().any(|i| i["label"] == "si_months"));
    let comp = c.request("textDocument/completion", at("  let sme", 0, 6));
    let labels: Vec<&str> = comp["result"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["label"].as_str().expect("a label"))
        .collect();
    for want in [
        "hire",
        "employer",
        "hiring_subsidy",
        "min",
        "allocate",
        "clause",
        "sme",
        "target_group",
    ] {
        assert!(labels.contains(&want), "{want} in {labels:?}");
    }

    // Rename an input across the package.
    let rename = c.request("textDocument/rename", json!({"textDocument": {"uri": u}, "position": position(&text, "eligible if hire_subsidy(hire)", 0, 26), "newName": "new_hire"}));
    let changes = rename["result"]["changes"].as_object().expect("changes");
    let edits: usize = changes
        .values()
        .map(|e| e.as_array().expect("edits").len())
        .sum();
    assert!(edits > 20, "{rename}");
    assert!(
        changes
            .values()
            .flat_map(|e| e.as_array().expect("edits"))
            .all(|e| e["newText"] == "new_hire")
    );
    let bad = c.request("textDocument/rename", json!({"textDocument": {"uri": u}, "position": position(&text, "eligible if hire_subsidy(hire)", 0, 26), "newName": "if"}));
    assert!(
        bad["error"]["message"]
            .as_str()
            .expect("an error")
            .contains("reserved"),
        "{bad}"
    );

    // Formatting: a badly laid out file comes back as `pol fmt` writes it.
    let messy = text.replacen(
        "  benefit amount = 1000 yuan\n",
        "  benefit   amount =   1000 yuan\n",
        1,
    );
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": u, "version": 6}, "contentChanges": [{"text": messy}]}),
    );
    let f = c.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": u}, "options": {"tabSize": 2, "insertSpaces": true}}),
    );
    assert_eq!(f["result"][0]["newText"], text);
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": u, "version": 7}, "contentChanges": [{"text": text}]}),
    );
    let f = c.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": u}, "options": {"tabSize": 2, "insertSpaces": true}}),
    );
    assert_eq!(f["result"], json!([]));

    // Full-width punctuation typed in code: the diagnostic, and the quick
    // fixes that write it in ASCII (the run at the cursor, or every run).
    let typed = text.replacen(
        "  benefit amount = 1000 yuan\n",
        "  benefit amount = max（1000 yuan，500 yuan）\n",
        1,
    );
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": u, "version": 8}, "contentChanges": [{"text": typed}]}),
    );
    let diags = c.diagnostics(&u);
    let full = diags
        .iter()
        .find(|d| d["code"] == "pol::syntax::full_width")
        .cloned()
        .unwrap_or_else(|| panic!("a full-width diagnostic in {diags:?}"));
    let actions = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": u}, "range": full["range"], "context": {"diagnostics": [full]}}),
    );
    let actions = actions["result"].as_array().expect("actions").clone();
    let all = actions
        .iter()
        .find(|a| a["title"].as_str().is_some_and(|t| t.contains("3 places")))
        .unwrap_or_else(|| panic!("a fix of every run in {actions:?}"));
    assert_eq!(all["kind"], "quickfix");
    let edits = all["edit"]["changes"][&u].as_array().expect("edits");
    // Applied, the edits give the file as `pol fmt --fix` writes it.
    let mut fixed = typed.clone();
    let lines = |t: &str, p: &Json| {
        let line = p["line"].as_u64().expect("a line") as usize;
        let col = p["character"].as_u64().expect("a column") as usize;
        let start: usize = t.split_inclusive('\n').take(line).map(str::len).sum();
        let rest = &t[start..];
        let mut units = 0;
        let mut at = 0;
        for ch in rest.chars() {
            if units >= col {
                break;
            }
            units += ch.len_utf16();
            at += ch.len_utf8();
        }
        start + at
    };
    let mut sorted = edits.clone();
    sorted.sort_by_key(|e| {
        std::cmp::Reverse((
            e["range"]["start"]["line"].as_u64(),
            e["range"]["start"]["character"].as_u64(),
        ))
    });
    for e in &sorted {
        let (a, b) = (
            lines(&fixed, &e["range"]["start"]),
            lines(&fixed, &e["range"]["end"]),
        );
        fixed.replace_range(a..b, e["newText"].as_str().expect("a text"));
    }
    assert!(
        fixed.contains("  benefit amount = max(1000 yuan,500 yuan)\n"),
        "{fixed}"
    );
    assert!(
        actions.iter().any(|a| a["title"] == "Write `（` as `(`"),
        "{actions:?}"
    );
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": u, "version": 9}, "contentChanges": [{"text": text}]}),
    );
    let none = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": u}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "context": {"diagnostics": []}}),
    );
    assert_eq!(none["result"], json!([]));

    // Symbols: the clauses with their labels, and their results inside.
    let s = c.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": u}}),
    );
    let symbols = s["result"].as_array().expect("symbols");
    let clause = symbols
        .iter()
        .find(|s| s["name"] == "hiring_subsidy")
        .expect("the clause");
    assert_eq!(clause["detail"], "[1b] 一次性吸纳就业补贴");
    assert!(
        clause["children"]
            .as_array()
            .expect("results")
            .iter()
            .any(|d| d["name"] == "amount")
    );

    // Code lens: each test, and running one.
    let lens = c.request("textDocument/codeLens", json!({"textDocument": {"uri": u}}));
    let lenses = lens["result"].as_array().expect("lenses");
    assert!(lenses.len() > 10);
    assert!(lenses.iter().all(|l| {
        l["command"]["title"]
            .as_str()
            .expect("a title")
            .starts_with('✓')
    }));
    let args = lenses[0]["command"]["arguments"].clone();
    let run = c.request(
        "workspace/executeCommand",
        json!({"command": "pol.runTest", "arguments": args}),
    );
    assert_eq!(run["result"]["passed"], true, "{run}");

    // Hover on a result inside a test: its value for the test's facts.
    let h = c.request(
        "textDocument/hover",
        at("expect hiring_subsidies.amount = 2000 yuan", 0, 26),
    );
    let v = markdown(&h);
    assert!(
        v.contains("In the test") && v.contains("2000.00 yuan"),
        "{v}"
    );

    // A name nowhere, a file of no package: null answers, no crash.
    let h = c.request("textDocument/hover", json!({"textDocument": {"uri": "file:///nowhere/x.pol"}, "position": {"line": 0, "character": 0}}));
    assert_eq!(h["result"], Json::Null);
    let shut = c.request("shutdown", Json::Null);
    assert_eq!(shut["result"], Json::Null);
    c.notify("exit", Json::Null);
    assert!(c.child.wait().expect("the server exits").success());
}

#[test]
fn half_typed_and_broken_texts_never_crash_the_server() {
    let dir = copy_of_xuchang();
    let file = dir.path().join("02-more-jobs.pol");
    let text = std::fs::read_to_string(&file).expect("the file");
    let u = uri(&file);
    let mut c = Client::start();
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": u, "languageId": "pol", "version": 1, "text": text}}),
    );
    // Every prefix of the file at a few hundred cuts, and bytes that are
    // not Pol, each followed by requests at the end of the text.
    let cuts: Vec<usize> = (0..text.len())
        .step_by(97)
        .filter(|i| text.is_char_boundary(*i))
        .collect();
    let mut version = 1;
    for (k, cut) in cuts.iter().enumerate() {
        version += 1;
        let t = if k % 7 == 3 {
            format!("{}（，）“{}", &text[..*cut], "\u{0}")
        } else {
            text[..*cut].to_string()
        };
        c.notify("textDocument/didChange", json!({"textDocument": {"uri": u, "version": version}, "contentChanges": [{"text": t}]}));
        let end = json!({"line": t.matches('\n').count(), "character": 0});
        for method in [
            "textDocument/hover",
            "textDocument/completion",
            "textDocument/definition",
        ] {
            let r = c.request(method, json!({"textDocument": {"uri": u}, "position": end}));
            assert!(r.get("result").is_some() || r.get("error").is_some(), "{r}");
        }
    }
    let shut = c.request("shutdown", Json::Null);
    assert_eq!(shut["result"], Json::Null);
}
