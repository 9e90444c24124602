//! Soak load: CLIENTS concurrent clients for SECONDS, each request drawn at
//! random as 70% searches (varied words, filters and languages), 20% reads
//! (a practice, the annex, the compilations, the coverage) and 10% writes
//! (a focal point creates a submission of two practices, then submits it).
//! Reports throughput, p50/p99 per kind of request, the search p99 of
//! every minute, and errors (any answer that is not the expected status).
//!
//! `cargo run --release --example load_mixed -- BASE_URL SECONDS CLIENTS TOKEN PRACTICE_ID…`

#[path = "common.rs"]
mod common;

use common::percentile;
use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

const SEARCHES: [&str; 8] = [
    "/api/v1/practices?q=incident%20response&limit=20",
    "/api/v1/practices?q=%22Budapest%20Convention%22&language=fr&section=F",
    "/api/v1/practices?q=cybersecurity%20strategy&item=4&sort=newest",
    "/api/v1/practices?q=awareness*&region=africa&limit=50",
    "/api/v1/practices?q=%D0%B8%D0%BD%D1%86%D0%B8%D0%B4%D0%B5%D0%BD%D1%82&language=ru",
    "/api/v1/practices?q=%E5%BA%94%E6%80%A5%E5%93%8D%E5%BA%94&language=zh",
    "/api/v1/practices?entity_type=regional_org&from=2015-01-01&to=2020-12-31",
    "/?q=public%20private%20partnership&lang=es",
];
const READS: [&str; 3] = [
    "/api/v1/annex?lang=ar",
    "/api/v1/compilations",
    "/api/v1/coverage?by=region",
];

/// A small, fast generator (xorshift): no crate, a different stream per client.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

#[derive(Default)]
struct Tally {
    latencies: BTreeMap<&'static str, Vec<f64>>,
    /// Search latencies per minute since the start.
    search_by_minute: BTreeMap<u64, Vec<f64>>,
    errors: BTreeMap<&'static str, usize>,
    first_errors: Vec<String>,
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 6 {
        eprintln!("usage: load_mixed BASE_URL SECONDS CLIENTS TOKEN PRACTICE_ID…");
        std::process::exit(2);
    }
    let base = &args[1];
    let seconds: u64 = args[2].parse().expect("SECONDS is a number");
    let clients: usize = args[3].parse().expect("CLIENTS is a number");
    let token = format!("Bearer {}", args[4]);
    let practices = &args[5..];
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_idle_connections_per_host(clients * 2)
        .timeout_global(Some(Duration::from_secs(60)))
        .build()
        .into();
    let tally = Mutex::new(Tally::default());
    let started = Instant::now();
    let deadline = started + Duration::from_secs(seconds);
    std::thread::scope(|scope| {
        for client in 0..clients {
            let (agent, tally, token) = (&agent, &tally, &token);
            scope.spawn(move || {
                let mut random = Random(0x9E37_79B9_7F4A_7C15 ^ ((client as u64 + 1) * 0x2545_F491));
                let mut n = 0u64;
                while Instant::now() < deadline {
                    n += 1;
                    let roll = random.below(100);
                    let begun = Instant::now();
                    let (kind, ok, what): (&'static str, bool, String) = if roll < 70 {
                        let path = SEARCHES[random.below(SEARCHES.len())];
                        let answer = agent.get(format!("{base}{path}")).call();
                        ("search", answer.as_ref().is_ok_and(|a| a.status() == 200), path.to_owned())
                    } else if roll < 90 {
                        let path = if random.below(2) == 0 {
                            format!("/api/v1/practices/{}", practices[random.below(practices.len())])
                        } else {
                            READS[random.below(READS.len())].to_owned()
                        };
                        let answer = agent.get(format!("{base}{path}")).call();
                        ("read", answer.as_ref().is_ok_and(|a| a.status() == 200), path)
                    } else {
                        let draft = serde_json::json!({
                            "language": "en",
                            "title": format!("Soak {client}/{n}"),
                            "practices": [
                                {"title": "National CSIRT", "body": "The computer incident response team shares advisories.", "items": [11]},
                                {"title": "Awareness", "body": "A campaign for schools and parents.", "items": [18]}
                            ]
                        });
                        let created = agent
                            .post(format!("{base}/api/v1/submissions"))
                            .header("authorization", token)
                            .send_json(&draft);
                        let id = created.ok().filter(|a| a.status() == 201).and_then(|mut a| {
                            a.body_mut()
                                .read_json::<serde_json::Value>()
                                .ok()
                                .and_then(|v| v["id"].as_str().map(str::to_owned))
                        });
                        let submitted = id.as_ref().is_some_and(|id| {
                            agent
                                .post(format!("{base}/api/v1/submissions/{id}/submit"))
                                .header("authorization", token)
                                .send_empty()
                                .is_ok_and(|a| a.status() == 200)
                        });
                        ("write", submitted, "create + submit".to_owned())
                    };
                    let elapsed = begun.elapsed().as_secs_f64() * 1000.0;
                    let minute = begun.duration_since(started).as_secs() / 60;
                    let mut tally = tally.lock().unwrap_or_else(|p| p.into_inner());
                    if ok {
                        tally.latencies.entry(kind).or_default().push(elapsed);
                        if kind == "search" {
                            tally.search_by_minute.entry(minute).or_default().push(elapsed);
                        }
                    } else {
                        *tally.errors.entry(kind).or_default() += 1;
                        if tally.first_errors.len() < 5 {
                            tally.first_errors.push(what);
                        }
                    }
                }
            });
        }
    });
    let elapsed = started.elapsed().as_secs_f64();
    let mut tally = tally.into_inner().unwrap_or_else(|p| p.into_inner());
    let total: usize = tally.latencies.values().map(Vec::len).sum();
    let errors: usize = tally.errors.values().sum();
    println!(
        "{clients} clients, {elapsed:.0} s: {total} requests ({:.0}/s), {errors} errors",
        total as f64 / elapsed
    );
    for (kind, latencies) in &mut tally.latencies {
        latencies.sort_by(f64::total_cmp);
        println!(
            "  {kind:<7} {:>8} ({:.0}/s)  p50 {:.2} ms  p99 {:.2} ms  errors {}",
            latencies.len(),
            latencies.len() as f64 / elapsed,
            percentile(latencies, 0.5),
            percentile(latencies, 0.99),
            tally.errors.get(kind).copied().unwrap_or(0)
        );
    }
    let mut worst: f64 = 0.0;
    let minutes: Vec<String> = tally
        .search_by_minute
        .values_mut()
        .map(|latencies| {
            latencies.sort_by(f64::total_cmp);
            let p99 = percentile(latencies, 0.99);
            worst = worst.max(p99);
            format!("{p99:.1}")
        })
        .collect();
    println!(
        "  search p99 per minute (ms): {}; worst {worst:.1}",
        minutes.join(" ")
    );
    for error in &tally.first_errors {
        println!("  failed: {error}");
    }
    if errors > 0 {
        std::process::exit(1);
    }
}
