//! `pol serve`: a real server on an ephemeral loopback port, queried over
//! HTTP. Every answer is held to what the CLI gives for the same request,
//! every bad request to its 4xx status, and the caseworker's page is driven
//! in headless Chromium.

mod common;

use common::{pol, text};
use serde_json::{Value as Json, json};
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

const XUCHANG: &str = "policies/xuchang-2021";

/// A running `pol serve`, stopped when dropped.
struct Server {
    child: Child,
    url: String,
    stderr: std::sync::Arc<std::sync::Mutex<String>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(package: &Path, extra: &[&str]) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_pol"))
        .env("LC_ALL", "C.UTF-8")
        .args([
            "serve",
            package.to_str().expect("a path"),
            "--addr",
            "127.0.0.1:0",
        ])
        .args(extra)
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("pol serve starts");
    let mut first = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut first)
        .expect("the first line");
    // The line ends with the address, in every language.
    let url = first
        .trim()
        .rfind("http://")
        .map(|at| first.trim()[at..].to_string())
        .unwrap_or_else(|| panic!("`serving … on URL`, got {first:?}"));
    let stderr = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let sink = stderr.clone();
    let mut err = child.stderr.take().expect("stderr");
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = err.read(&mut buf) {
            if n == 0 {
                break;
            }
            sink.lock()
                .expect("lock")
                .push_str(&String::from_utf8_lossy(&buf[..n]));
        }
    });
    Server { child, url, stderr }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into()
}

/// `(status, body)` of a request.
fn request(method: &str, url: &str, body: Option<&[u8]>) -> (u16, String) {
    let a = agent();
    let response = match (method, body) {
        ("GET", _) => a.get(url).call(),
        ("DELETE", _) => a.delete(url).call(),
        (_, Some(b)) => a
            .post(url)
            .header("Content-Type", "application/json")
            .send(b),
        (_, None) => a.post(url).send_empty(),
    };
    let mut response = response.unwrap_or_else(|e| panic!("{method} {url}: {e}"));
    let status = response.status().as_u16();
    let body = response
        .body_mut()
        .with_config()
        .limit(1 << 30)
        .read_to_string()
        .expect("a text body");
    (status, body)
}

fn json_of(body: &str) -> Json {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("JSON ({e}): {body}"))
}

fn examples() -> Vec<PathBuf> {
    common::files(&format!("{XUCHANG}/cases"), "json")
}

#[test]
fn the_spec_describes_the_package() {
    let s = start(Path::new(XUCHANG), &[]);
    let (status, body) = request("GET", &format!("{}/api/spec", s.url), None);
    assert_eq!(status, 200);
    let spec = json_of(&body);
    assert_eq!(
        spec["policy"]["title"],
        "许昌市关于进一步做好稳就业工作的实施意见"
    );
    let hire = spec["inputs"]
        .as_array()
        .expect("inputs")
        .iter()
        .find(|i| i["name"] == "hire")
        .expect("the input hire");
    assert_eq!(hire["type"], json!({"kind": "record", "record": "Hire"}));
    let record = spec["records"]
        .as_array()
        .expect("records")
        .iter()
        .find(|r| r["name"] == "Hire")
        .expect("the record Hire");
    assert!(
        record["fields"]
            .as_array()
            .expect("fields")
            .iter()
            .any(|f| f["name"] == "contract_term"
                && f["label"] == "劳动合同期限"
                && f["type"]["kind"] == "duration")
    );
    let clause = spec["clauses"]
        .as_array()
        .expect("clauses")
        .iter()
        .find(|c| c["name"] == "hiring_subsidy")
        .expect("the clause");
    assert_eq!(clause["label"], "[1b] 一次性吸纳就业补贴");
    assert!(
        clause["quotes"][0]
            .as_str()
            .expect("a quote")
            .contains("1000元")
    );
    assert!(
        clause["results"]
            .as_array()
            .expect("results")
            .contains(&json!("hiring_subsidy.amount"))
    );
    assert!(
        spec["enums"]
            .as_array()
            .expect("enums")
            .iter()
            .any(|e| e["name"] == "EnterpriseSize")
    );
    let params = spec["parameters"].as_array().expect("parameters");
    assert!(
        params
            .iter()
            .all(|p| !p["values"].as_array().expect("values").is_empty())
    );
    let (status, body) = request("GET", &format!("{}/api/openapi.json", s.url), None);
    assert_eq!(status, 200);
    let openapi = json_of(&body);
    assert_eq!(openapi["openapi"], "3.0.3");
    for path in [
        "/api/spec",
        "/api/evaluate",
        "/api/whatif",
        "/api/batch",
        "/api/examples",
    ] {
        assert!(openapi["paths"][path].is_object(), "{path}");
    }
    let (status, body) = request("GET", &format!("{}/api/examples", s.url), None);
    assert_eq!(status, 200);
    let names: Vec<String> = json_of(&body)
        .as_array()
        .expect("examples")
        .iter()
        .map(|e| e["name"].as_str().expect("a name").to_string())
        .collect();
    assert_eq!(names.len(), examples().len());
    assert!(names.contains(&"graduate-at-small-firm".to_string()));
}

#[test]
fn evaluate_answers_what_the_cli_answers() {
    let s = start(Path::new(XUCHANG), &[]);
    for case in examples() {
        let body = std::fs::read(&case).expect("the case");
        for (query, args) in [
            ("", vec![]),
            (
                "?results=hiring_subsidy,hiring_subsidies",
                vec!["--results", "hiring_subsidy,hiring_subsidies"],
            ),
            ("?on=2021-03-01", vec!["--on", "2021-03-01"]),
        ] {
            let (status, answer) = request(
                "POST",
                &format!("{}/api/evaluate{query}", s.url),
                Some(&body),
            );
            assert_eq!(status, 200, "{}{query}: {answer}", case.display());
            let mut cli = vec![
                "eval",
                XUCHANG,
                "--case",
                case.to_str().expect("p"),
                "--format",
                "json",
            ];
            cli.extend(args);
            let out = pol(&cli);
            assert_eq!(
                json_of(&answer),
                json_of(&text(&out.stdout)),
                "{}{query}",
                case.display()
            );
        }
        // Explanations: the trees of `--explain --format json`.
        let (status, answer) = request(
            "POST",
            &format!(
                "{}/api/evaluate?explain=true&results=hiring_subsidy.amount",
                s.url
            ),
            Some(&body),
        );
        assert_eq!(status, 200, "{answer}");
        let out = pol(&[
            "eval",
            XUCHANG,
            "--case",
            case.to_str().expect("p"),
            "--format",
            "json",
            "--explain",
            "hiring_subsidy.amount",
        ]);
        assert_eq!(
            json_of(&answer)["explanations"],
            json_of(&text(&out.stdout))["explanations"]
        );
    }
}

#[test]
fn a_batch_answers_what_a_batch_of_the_cli_writes() {
    let s = start(Path::new(XUCHANG), &[]);
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut lines = String::new();
    for case in examples() {
        let c: Json =
            serde_json::from_str(&std::fs::read_to_string(&case).expect("the case")).expect("JSON");
        lines.push_str(&c.to_string());
        lines.push('\n');
    }
    lines.push_str("{\"hire\": 3}\nnot json\n\n");
    let cases = dir.path().join("cases.jsonl");
    std::fs::write(&cases, &lines).expect("write");
    let out = dir.path().join("out.jsonl");
    pol(&[
        "eval",
        XUCHANG,
        "--cases",
        cases.to_str().expect("p"),
        "--results",
        "hiring_subsidies,hiring_subsidy",
        "--out",
        out.to_str().expect("p"),
    ]);
    let expected = std::fs::read_to_string(&out).expect("the CLI's rows");
    let (status, answer) = request(
        "POST",
        &format!(
            "{}/api/batch?results=hiring_subsidies,hiring_subsidy",
            s.url
        ),
        Some(lines.as_bytes()),
    );
    assert_eq!(status, 200);
    assert_eq!(answer, expected);
    assert_eq!(
        answer.lines().count(),
        examples().len() + 3,
        "a row for every line"
    );
}

#[test]
fn a_whatif_lists_every_result_that_changed() {
    let s = start(Path::new(XUCHANG), &[]);
    let case: Json = serde_json::from_str(
        &std::fs::read_to_string(format!("{XUCHANG}/cases/graduate-at-small-firm.json"))
            .expect("the case"),
    )
    .expect("JSON");
    let ask = |changes: Json, query: &str| {
        let body = json!({"case": case, "changes": changes}).to_string();
        request(
            "POST",
            &format!("{}/api/whatif{query}", s.url),
            Some(body.as_bytes()),
        )
    };
    let (status, body) = ask(
        json!({"hire.contract_term": "6 months"}),
        "?results=hiring_subsidy",
    );
    assert_eq!(status, 200, "{body}");
    let answer = json_of(&body);
    assert_eq!(
        answer["changed"],
        json!([
            {"result": "hiring_subsidy.eligible", "before": true, "after": false},
            {"result": "hiring_subsidy.amount", "before": "1000.00", "after": "0.00"},
            {"result": "hiring_subsidy.social_insurance", "before": "9748.80", "after": "0.00"},
        ])
    );
    assert_eq!(answer["case"]["hire"]["contract_term"], "6 months");
    // null makes a fact unknown; no change changes nothing.
    let (_, body) = ask(
        json!({"employer.size": null}),
        "?results=hiring_subsidy.amount",
    );
    assert_eq!(
        json_of(&body)["changed"][0]["after"],
        json!({"undetermined": ["employer.size"]})
    );
    let (_, body) = ask(json!({}), "");
    assert_eq!(json_of(&body)["changed"], json!([]));
    // Wrong changes: each a 4xx that names the path.
    for (changes, status, path) in [
        (
            json!({"hire.contract_term": "six months"}),
            422,
            Some("hire.contract_term"),
        ),
        (
            json!({"hire.contract_trem": "6 months"}),
            422,
            Some("hire.contract_trem"),
        ),
        (
            json!({"employer.hires[3].graduate": true}),
            422,
            Some("employer.hires[3].graduate"),
        ),
        (json!({"hire..x": 1}), 422, Some("hire..x")),
        (json!({"today": "2021-01-01"}), 422, None),
    ] {
        let (got, body) = ask(changes.clone(), "");
        assert_eq!(got, status, "{changes}: {body}");
        let e = json_of(&body);
        assert!(e["error"]["message"].is_string(), "{body}");
        if let Some(p) = path {
            assert_eq!(e["error"]["path"], p, "{changes}: {body}");
        }
    }
    let (status, _) = request(
        "POST",
        &format!("{}/api/whatif", s.url),
        Some(b"{\"case\": {}}"),
    );
    assert_eq!(status, 400);
}

#[test]
fn every_bad_request_gets_its_status_and_a_json_error() {
    let s = start(Path::new(XUCHANG), &[]);
    let u = &s.url;
    let big = vec![b' '; (1 << 20) + 1];
    // (method, URL, body, status, code)
    type Bad<'b> = (&'b str, String, Option<&'b [u8]>, u16, &'b str);
    let cases: Vec<Bad> = vec![
        (
            "POST",
            format!("{u}/api/evaluate"),
            Some(b"{nope"),
            400,
            "pol::case::json",
        ),
        (
            "POST",
            format!("{u}/api/evaluate"),
            Some(b"[1, 2]"),
            400,
            "pol::case::not_object",
        ),
        (
            "POST",
            format!("{u}/api/evaluate"),
            Some(b"{\"hire\": 3}"),
            422,
            "pol::case::type",
        ),
        (
            "POST",
            format!("{u}/api/evaluate"),
            Some(b"{\"hier\": {}}"),
            422,
            "pol::case::unknown_field",
        ),
        (
            "POST",
            format!("{u}/api/evaluate"),
            Some(&[0xff, 0xfe]),
            400,
            "pol::serve::utf8",
        ),
        (
            "POST",
            format!("{u}/api/evaluate?results=nope"),
            Some(b"{}"),
            404,
            "pol::serve::no_result",
        ),
        (
            "POST",
            format!("{u}/api/evaluate?on=2021-02-30"),
            Some(b"{}"),
            400,
            "pol::serve::query",
        ),
        (
            "POST",
            format!("{u}/api/evaluate?explain=maybe"),
            Some(b"{}"),
            400,
            "pol::serve::query",
        ),
        (
            "POST",
            format!("{u}/api/evaluate?file=/etc/passwd"),
            Some(b"{}"),
            400,
            "pol::serve::query",
        ),
        (
            "POST",
            format!("{u}/api/evaluate"),
            Some(&big),
            413,
            "pol::serve::too_large",
        ),
        (
            "POST",
            format!("{u}/api/batch?results=nope"),
            Some(b"{}\n"),
            404,
            "pol::serve::no_result",
        ),
        (
            "POST",
            format!("{u}/api/batch?explain=true"),
            Some(b"{}\n"),
            400,
            "pol::serve::query",
        ),
        (
            "GET",
            format!("{u}/api/evaluate"),
            None,
            405,
            "pol::serve::method",
        ),
        (
            "DELETE",
            format!("{u}/api/spec"),
            None,
            405,
            "pol::serve::method",
        ),
        (
            "GET",
            format!("{u}/etc/passwd"),
            None,
            404,
            "pol::serve::not_found",
        ),
        (
            "GET",
            format!("{u}/api/../../etc/passwd"),
            None,
            404,
            "pol::serve::not_found",
        ),
    ];
    for (method, url, body, status, code) in cases {
        let (got, answer) = request(method, &url, body);
        assert_eq!(got, status, "{method} {url}: {answer}");
        let e = json_of(&answer);
        assert_eq!(e["error"]["code"], code, "{method} {url}: {answer}");
        assert!(
            !e["error"]["message"]
                .as_str()
                .expect("a message")
                .is_empty()
        );
    }
    // A wrong fact names its path.
    let (_, answer) = request(
        "POST",
        &format!("{u}/api/evaluate"),
        Some(b"{\"hire\": {\"si_months\": \"many\"}}"),
    );
    assert_eq!(json_of(&answer)["error"]["path"], "hire.si_months");
}

#[test]
fn it_keeps_serving_many_clients_at_once() {
    let s = start(Path::new(XUCHANG), &[]);
    let body = std::fs::read(format!(
        "{XUCHANG}/cases/sme-hires-graduate-and-unemployed.json"
    ))
    .expect("a case");
    let url = format!("{}/api/evaluate?results=hiring_subsidies", s.url);
    let expected = request("POST", &url, Some(&body)).1;
    let handles: Vec<_> = (0..16)
        .map(|_| {
            let (url, body, expected) = (url.clone(), body.clone(), expected.clone());
            std::thread::spawn(move || {
                for _ in 0..25 {
                    let (status, answer) = request("POST", &url, Some(&body));
                    assert_eq!(status, 200);
                    assert_eq!(answer, expected);
                }
            })
        })
        .collect();
    for h in handles {
        h.join().expect("a client thread");
    }
}

#[test]
fn a_package_with_errors_does_not_start_and_reload_keeps_the_last_good_version() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let file = dir.path().join("p.pol");
    std::fs::write(
        &file,
        "input n: int\nclause c {\n  benefit amount = n yuan\n}\n",
    )
    .expect("write");
    let out = pol(&["serve", file.to_str().expect("p"), "--addr", "127.0.0.1:0"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("did not start"),
        "{}",
        text(&out.stderr)
    );

    let program = |amount: &str| {
        format!("input n: int\nclause c {{\n  benefit amount = {amount} yuan * n\n}}\n")
    };
    std::fs::write(&file, program("100")).expect("write");
    let s = start(dir.path(), &["--reload"]);
    let url = format!("{}/api/evaluate", s.url);
    let amount =
        || json_of(&request("POST", &url, Some(b"{\"n\": 2}")).1)["results"]["c.amount"].clone();
    assert_eq!(amount(), "200.00");
    let wait_for = |want: &str| {
        for _ in 0..100 {
            if amount() == want {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        panic!("the server never answered {want}");
    };
    // Some file systems keep a modification time to the second.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    std::fs::write(&file, program("150")).expect("write");
    wait_for("300.00");
    std::fs::write(
        &file,
        "input n: int\nclause c {\n  benefit amount = n yuan\n}\n",
    )
    .expect("write");
    for _ in 0..100 {
        if s.stderr.lock().expect("lock").contains("still serving") {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert!(
        s.stderr
            .lock()
            .expect("lock")
            .contains("still serving the last version that checked")
    );
    assert_eq!(amount(), "300.00");
    let (status, _) = request("POST", &url, Some(b"{\"n\": 1}"));
    assert_eq!(status, 200);
}

#[test]
fn the_page_works_in_a_headless_browser() {
    let s = start(Path::new(XUCHANG), &[]);
    let (status, page) = request("GET", &format!("{}/", s.url), None);
    assert_eq!(status, 200);
    assert!(page.contains("<script src=\"/page.js\">"), "{page}");
    for asset in ["/page.js", "/page.css"] {
        assert_eq!(
            request("GET", &format!("{}{asset}", s.url), None).0,
            200,
            "{asset}"
        );
    }
    let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .iter()
        .find(|p| Path::new(p).exists());
    let node = Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    let playwright = Path::new("tests/web/node_modules/playwright-core").exists();
    let (Some(chromium), true, true) = (chromium, node, playwright) else {
        eprintln!(
            "skipped: the page's browser test needs Chromium (`apt-get install chromium`), Node and `npm ci --prefix tests/web` (.ci/run does all three); found chromium: {}, node: {node}, playwright-core: {playwright}",
            chromium.is_some()
        );
        return;
    };
    let shot = std::env::temp_dir().join(format!("pol-page-{}.png", std::process::id()));
    let page_test = |url: &str, lang: &str| {
        let out = Command::new("node")
            .arg("tests/web/page.test.mjs")
            .env("POL_URL", url)
            .env("POL_LANG", lang)
            .env("CHROMIUM", chromium)
            .env("SCREENSHOT", &shot)
            .output()
            .expect("node runs");
        assert!(
            out.status.success(),
            "{}\n{}",
            text(&out.stdout),
            text(&out.stderr)
        );
        assert!(text(&out.stdout).contains("ok:"), "{}", text(&out.stdout));
    };
    page_test(&s.url, "en");
    let png = std::fs::read(&shot).expect("the screenshot");
    assert_eq!(&png[1..4], b"PNG");
    let _ = std::fs::remove_file(&shot);

    // A server started in Chinese explains in Chinese.
    let zh = start(Path::new(XUCHANG), &["--lang", "zh"]);
    page_test(&zh.url, "zh");
    let _ = std::fs::remove_file(&shot);
}
