//! Load benchmark: N concurrent clients each create a submission of three
//! practices and submit it, as fast as the server lets them, for a fixed
//! time. Then every submission is counted back through the API, to show
//! that none was lost and none duplicated.
//!
//! Run through `bench/submissions.sh`, which starts a release server.
//! `cargo run --release --example load_submissions -- URL TOKEN [CLIENTS] [SECONDS]`

#[path = "common.rs"]
mod common;

use common::percentile;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

fn body(client: usize, n: usize) -> Value {
    json!({
        "language": "en",
        "title": format!("Load test submission {client}-{n}"),
        "practices": [
            {"title": "National CSIRT", "body": "The national computer incident response team coordinates incident response for government networks.", "items": [11], "sectors": ["ict"]},
            {"title": "Awareness campaign", "body": "A yearly awareness raising campaign for children and citizens.", "items": [18], "sectors": ["government"]},
            {"title": "Cybercrime legislation", "body": "The penal code covers cybercrime, data protection and electronic signatures.", "items": [13, 15]}
        ]
    })
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(base), Some(token)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: load_submissions URL TOKEN [CLIENTS=8] [SECONDS=20]");
        std::process::exit(2);
    };
    let clients: usize = args.get(3).and_then(|a| a.parse().ok()).unwrap_or(8);
    let seconds: u64 = args.get(4).and_then(|a| a.parse().ok()).unwrap_or(20);
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_idle_connections_per_host(clients * 2)
        .build()
        .into();
    let authorization = format!("Bearer {token}");
    let created = AtomicUsize::new(0);
    let errors = AtomicUsize::new(0);
    let latencies = Mutex::new(Vec::new());
    let ids = Mutex::new(Vec::new());
    let started = Instant::now();
    let deadline = started + Duration::from_secs(seconds);

    std::thread::scope(|scope| {
        for client in 0..clients {
            let (agent, authorization) = (&agent, &authorization);
            let (created, errors, latencies, ids) = (&created, &errors, &latencies, &ids);
            scope.spawn(move || {
                let mut mine = Vec::new();
                let mut my_ids = Vec::new();
                let mut n = 0;
                while Instant::now() < deadline {
                    n += 1;
                    let begun = Instant::now();
                    let answer = agent
                        .post(format!("{base}/api/v1/submissions"))
                        .header("authorization", authorization)
                        .header("idempotency-key", format!("load-{client}-{n}"))
                        .send_json(body(client, n));
                    let Ok(mut answer) = answer.map_err(|e| eprintln!("create: {e}")) else {
                        errors.fetch_add(1, Ordering::Relaxed);
                        continue;
                    };
                    if answer.status() != 201 {
                        errors.fetch_add(1, Ordering::Relaxed);
                        eprintln!(
                            "create: {} {}",
                            answer.status(),
                            answer.body_mut().read_to_string().unwrap_or_default()
                        );
                        continue;
                    }
                    let document: Value = answer.body_mut().read_json().unwrap_or(Value::Null);
                    let id = document["id"].as_str().unwrap_or_default().to_owned();
                    let submitted = agent
                        .post(format!("{base}/api/v1/submissions/{id}/submit"))
                        .header("authorization", authorization)
                        .send_empty();
                    match submitted {
                        Ok(mut answer) if answer.status() == 200 => {
                            let _ = answer.body_mut().read_to_string();
                            mine.push(begun.elapsed().as_secs_f64() * 1000.0);
                            my_ids.push(id);
                            created.fetch_add(1, Ordering::Relaxed);
                        }
                        _ => {
                            errors.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                }
                latencies.lock().unwrap().extend(mine);
                ids.lock().unwrap().extend(my_ids);
            });
        }
    });
    let elapsed = started.elapsed().as_secs_f64();
    let created = created.load(Ordering::Relaxed);
    let errors = errors.load(Ordering::Relaxed);
    let mut latencies = latencies.into_inner().unwrap();
    latencies.sort_by(|a, b| a.total_cmp(b));

    // Count back every submitted submission through the API.
    let mut counted = std::collections::HashSet::new();
    let mut listed = 0;
    let mut cursor: Option<String> = None;
    loop {
        let mut url = format!("{base}/api/v1/submissions?status=submitted&limit=100");
        if let Some(cursor) = &cursor {
            url.push_str(&format!("&cursor={cursor}"));
        }
        let page: Value = agent
            .get(&url)
            .header("authorization", &authorization)
            .call()
            .expect("the list answers")
            .body_mut()
            .read_json()
            .expect("a JSON page");
        for item in page["items"].as_array().cloned().unwrap_or_default() {
            listed += 1;
            counted.insert(item["id"].as_str().unwrap_or_default().to_owned());
        }
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    let ours: std::collections::HashSet<String> = ids.into_inner().unwrap().into_iter().collect();
    let lost = ours.difference(&counted).count();
    let duplicated = listed - counted.len();
    println!(
        "clients={clients} seconds={elapsed:.1} submissions={created} rate={:.0}/s errors={errors} \
         p50_ms={:.1} p99_ms={:.1} listed={listed} lost={lost} duplicated={duplicated}",
        created as f64 / elapsed,
        percentile(&latencies, 0.50),
        percentile(&latencies, 0.99),
    );
    if lost > 0 || duplicated > 0 || errors > 0 || listed != created {
        std::process::exit(1);
    }
}
