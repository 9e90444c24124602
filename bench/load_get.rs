//! Load benchmark for reads: N concurrent clients GET one URL in a loop for
//! a fixed time; reports throughput and latency percentiles. Used for the
//! catalogue search and, in the same run, for the Datasette peer.
//!
//! `cargo run --release --example load_get -- BASE_URL SECONDS CLIENTS PATH [PATH…]`
//!
//! A `{n}` in a path becomes a number no other request of the run uses: a
//! search with `-x{n}` (a word no practice holds, excluded) matches what
//! the search without it matches, but is never answered from the search
//! cache, so the run measures the search itself.
//!
//! With `BENCH_COOKIE` set, every request carries it (desk pages need a
//! session); with `BENCH_AUTHORIZATION`, that header (`Bearer …`).

#[path = "common.rs"]
mod common;

use common::percentile;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 5 {
        eprintln!("usage: load_get BASE_URL SECONDS CLIENTS PATH [PATH…]");
        std::process::exit(2);
    }
    let base = &args[1];
    let seconds: u64 = args[2].parse().expect("SECONDS is a number");
    let clients: usize = args[3].parse().expect("CLIENTS is a number");
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_idle_connections_per_host(clients * 2)
        .timeout_global(Some(Duration::from_secs(60)))
        .build()
        .into();
    let cookie = std::env::var("BENCH_COOKIE").ok();
    let authorization = std::env::var("BENCH_AUTHORIZATION").ok();
    let mut failed = false;
    let unique = AtomicU64::new(0);
    for path in &args[4..] {
        let url = format!("{base}{path}");
        let latencies = Mutex::new(Vec::new());
        let errors = Mutex::new(0usize);
        let started = Instant::now();
        let deadline = started + Duration::from_secs(seconds);
        std::thread::scope(|scope| {
            for _ in 0..clients {
                scope.spawn(|| {
                    let mut mine = Vec::new();
                    let mut my_errors = 0;
                    while Instant::now() < deadline {
                        let begun = Instant::now();
                        let mut request = match url.contains("{n}") {
                            true => {
                                let n = unique.fetch_add(1, Ordering::Relaxed);
                                agent.get(url.replace("{n}", &n.to_string()))
                            }
                            false => agent.get(&url),
                        };
                        if let Some(cookie) = &cookie {
                            request = request.header("cookie", cookie);
                        }
                        if let Some(authorization) = &authorization {
                            request = request.header("authorization", authorization);
                        }
                        match request.call() {
                            Ok(mut answer) if answer.status() == 200 => {
                                let _ = answer
                                    .body_mut()
                                    .with_config()
                                    .limit(64 << 20)
                                    .read_to_vec();
                                mine.push(begun.elapsed().as_secs_f64() * 1000.0);
                            }
                            _ => my_errors += 1,
                        }
                    }
                    latencies.lock().unwrap().extend(mine);
                    *errors.lock().unwrap() += my_errors;
                });
            }
        });
        let elapsed = started.elapsed().as_secs_f64();
        let mut latencies = latencies.into_inner().unwrap();
        latencies.sort_by(|a, b| a.total_cmp(b));
        let errors = errors.into_inner().unwrap();
        println!(
            "{path}\n  requests={} rate={:.1}/s p50_ms={:.2} p99_ms={:.2} errors={errors}",
            latencies.len(),
            latencies.len() as f64 / elapsed,
            percentile(&latencies, 0.50),
            percentile(&latencies, 0.99),
        );
        failed |= errors > 0;
    }
    if failed {
        std::process::exit(1);
    }
}
