//! How long `pol lsp` takes to answer each kind of request on the whole
//! Xuchang package (8 files, about 140 KB): a change and its diagnostics,
//! hover, definition, references, completion, formatting, symbols and code
//! lenses, each asked 30 times. `cargo bench --bench lsp_latency`.

use serde_json::{Value as Json, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};
use std::time::Instant;

fn main() {
    let top = env!("CARGO_MANIFEST_DIR");
    let file = format!("{top}/policies/xuchang-2021/01-support-enterprises.pol");
    let text = std::fs::read_to_string(&file).expect("the file");
    let uri = format!("file://{file}");
    let mut child = Command::new(env!("CARGO_BIN_EXE_pol"))
        .arg("lsp")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("pol lsp starts");
    let mut stdin = child.stdin.take().expect("stdin");
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    let mut send = |m: Json| {
        let b = m.to_string();
        write!(stdin, "Content-Length: {}\r\n\r\n{b}", b.len()).expect("write");
        stdin.flush().expect("flush");
    };
    let mut receive = move || -> Json {
        let mut n = 0;
        loop {
            let mut line = String::new();
            stdout.read_line(&mut line).expect("a header");
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(v) = line.strip_prefix("Content-Length: ") {
                n = v.parse().expect("a length");
            }
        }
        let mut body = vec![0; n];
        stdout.read_exact(&mut body).expect("a body");
        serde_json::from_slice(&body).expect("JSON")
    };
    let mut id = 0;
    let mut ask = |send: &mut dyn FnMut(Json),
                   receive: &mut dyn FnMut() -> Json,
                   method: &str,
                   params: Json| {
        id += 1;
        send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let m = receive();
            if m["id"] == id {
                return m;
            }
        }
    };
    ask(
        &mut send,
        &mut receive,
        "initialize",
        json!({"capabilities": {}}),
    );
    send(json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}));
    send(
        json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {"uri": uri, "languageId": "pol", "version": 1, "text": text}}}),
    );
    let at = |needle: &str, skip: usize| {
        let i = text.find(needle).expect("the needle");
        let line = text[..i].matches('\n').count();
        let col: usize = text[text[..i].rfind('\n').map_or(0, |j| j + 1)..i]
            .chars()
            .map(char::len_utf16)
            .sum();
        json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": col + skip}})
    };
    let doc = json!({"textDocument": {"uri": uri}});
    let mut with_context = at("hire.contract_term >= 1 year", 6);
    with_context["context"] = json!({"includeDeclaration": true});
    let requests: Vec<(&str, &str, Json)> = vec![
        (
            "hover",
            "textDocument/hover",
            at("hire_subsidy(hire).eligible", 2),
        ),
        (
            "definition",
            "textDocument/definition",
            at("hire.contract_term >= 1 year", 6),
        ),
        ("references", "textDocument/references", with_context),
        (
            "completion",
            "textDocument/completion",
            at("hire.contract_term >= 1 year", 5),
        ),
        (
            "formatting",
            "textDocument/formatting",
            json!({"textDocument": {"uri": uri}, "options": {"tabSize": 2, "insertSpaces": true}}),
        ),
        ("symbols", "textDocument/documentSymbol", doc.clone()),
        ("code lens", "textDocument/codeLens", doc.clone()),
    ];
    println!("pol lsp on policies/xuchang-2021, 30 requests of each kind (median, max):");
    let mut version = 1;
    let mut changes = Vec::new();
    for _ in 0..30 {
        version += 1;
        let t = Instant::now();
        send(
            json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": format!("{text}\n# {version}\n")}]}}),
        );
        // The change is checked before the next request is answered.
        ask(
            &mut send,
            &mut receive,
            "textDocument/documentSymbol",
            doc.clone(),
        );
        changes.push(t.elapsed());
    }
    let report = |name: &str, mut times: Vec<std::time::Duration>| {
        times.sort();
        println!(
            "  {name:<28} {:>7.2} ms {:>7.2} ms",
            times[times.len() / 2].as_secs_f64() * 1000.0,
            times[times.len() - 1].as_secs_f64() * 1000.0
        );
    };
    report("change, check, diagnostics", changes);
    for (name, method, params) in requests {
        let mut times = Vec::new();
        for _ in 0..30 {
            let t = Instant::now();
            let r = ask(&mut send, &mut receive, method, params.clone());
            assert!(r.get("error").is_none(), "{name}: {r}");
            times.push(t.elapsed());
        }
        report(name, times);
    }
    ask(&mut send, &mut receive, "shutdown", Json::Null);
    send(json!({"jsonrpc": "2.0", "method": "exit"}));
    let _ = child.wait();
}
