//! A bounded load test of `pol serve` on loopback: 10,000 evaluate requests
//! (the Xuchang example cases in turn) from 32 concurrent clients, each with
//! its own keep-alive connection. Prints throughput, p50/p99 latency and the
//! number of errors. `cargo bench --bench serve_load [-- REQUESTS CLIENTS]`.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let requests: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let clients: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(32);
    let top = env!("CARGO_MANIFEST_DIR");
    let package = format!("{top}/policies/xuchang-2021");
    let mut server = Command::new(env!("CARGO_BIN_EXE_pol"))
        .args(["serve", &package, "--addr", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("pol serve starts");
    let mut line = String::new();
    BufReader::new(server.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("the address");
    let url = line
        .trim()
        .rsplit_once(" on ")
        .expect("serving … on URL")
        .1
        .to_string();
    let mut cases: Vec<Vec<u8>> = std::fs::read_dir(format!("{package}/cases"))
        .expect("the example cases")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .map(|p| std::fs::read(p).expect("a case"))
        .collect();
    cases.sort();
    let endpoint = format!("{url}/api/evaluate");
    let started = Instant::now();
    let per_client = requests.div_ceil(clients);
    let handles: Vec<_> = (0..clients)
        .map(|c| {
            let (endpoint, cases) = (endpoint.clone(), cases.clone());
            std::thread::spawn(move || {
                let agent: ureq::Agent = ureq::Agent::config_builder()
                    .http_status_as_error(false)
                    .timeout_global(Some(Duration::from_secs(30)))
                    .build()
                    .into();
                let mut latencies = Vec::with_capacity(per_client);
                let mut errors = 0usize;
                for i in 0..per_client {
                    let n = c * per_client + i;
                    if n >= requests {
                        break;
                    }
                    let body = &cases[n % cases.len()];
                    let t = Instant::now();
                    let ok = agent
                        .post(&endpoint)
                        .header("Content-Type", "application/json")
                        .send(body.as_slice())
                        .ok()
                        .and_then(|mut r| {
                            let status = r.status().as_u16();
                            r.body_mut().read_to_string().ok().map(|_| status == 200)
                        })
                        .unwrap_or(false);
                    latencies.push(t.elapsed());
                    errors += usize::from(!ok);
                }
                (latencies, errors)
            })
        })
        .collect();
    let mut latencies = Vec::with_capacity(requests);
    let mut errors = 0;
    for h in handles {
        let (l, e) = h.join().expect("a client");
        latencies.extend(l);
        errors += e;
    }
    let elapsed = started.elapsed();
    let _ = server.kill();
    let _ = server.wait();
    latencies.sort();
    let q = |p: f64| {
        latencies[((p * latencies.len() as f64).ceil() as usize).clamp(1, latencies.len()) - 1]
    };
    println!(
        "{} requests from {clients} clients in {:.2} s: {:.0} requests/s, p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms, {errors} errors",
        latencies.len(),
        elapsed.as_secs_f64(),
        latencies.len() as f64 / elapsed.as_secs_f64(),
        q(0.50).as_secs_f64() * 1000.0,
        q(0.99).as_secs_f64() * 1000.0,
        latencies.last().map_or(0.0, |d| d.as_secs_f64() * 1000.0),
    );
}
