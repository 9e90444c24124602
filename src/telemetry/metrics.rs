//! Prometheus metrics of one running app: request counts and latency
//! histograms by method, route pattern and status. Routes are recorded by
//! their pattern (`/api/v1/submissions/{id}`), never the raw path, so the
//! number of series stays bounded whatever clients send.

use prometheus::{HistogramOpts, HistogramVec, IntCounterVec, Opts, Registry, TextEncoder};

pub struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    durations: HistogramVec,
}

const LABELS: [&str; 3] = ["method", "route", "status"];

/// From 1 ms to 10 s: search targets sit at 50 ms, imports take seconds.
const BUCKETS: [f64; 14] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

impl Metrics {
    pub fn new() -> Metrics {
        let registry = Registry::new_custom(Some("compendium".to_owned()), None)
            .expect("a constant, valid metrics prefix");
        let requests = IntCounterVec::new(
            Opts::new("http_requests_total", "HTTP requests answered"),
            &LABELS,
        )
        .expect("valid metric definition");
        let durations = HistogramVec::new(
            HistogramOpts::new(
                "http_request_duration_seconds",
                "Time to answer HTTP requests",
            )
            .buckets(BUCKETS.to_vec()),
            &LABELS,
        )
        .expect("valid metric definition");
        registry
            .register(Box::new(requests.clone()))
            .expect("metric registered once");
        registry
            .register(Box::new(durations.clone()))
            .expect("metric registered once");
        Metrics {
            registry,
            requests,
            durations,
        }
    }

    pub fn observe(&self, method: &str, route: &str, status: u16, seconds: f64) {
        let status = status.to_string();
        let labels = [method, route, status.as_str()];
        self.requests.with_label_values(&labels).inc();
        self.durations.with_label_values(&labels).observe(seconds);
    }

    /// The Prometheus text exposition format.
    pub fn render(&self) -> String {
        TextEncoder::new()
            .encode_to_string(&self.registry.gather())
            .unwrap_or_default()
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_are_counted_by_route_pattern_and_status() {
        let metrics = Metrics::new();
        metrics.observe("GET", "/api/v1/annex", 200, 0.002);
        metrics.observe("GET", "/api/v1/annex", 200, 0.003);
        metrics.observe("GET", "/api/v1/annex", 400, 0.001);
        let text = metrics.render();
        assert!(text.contains(
            "compendium_http_requests_total{method=\"GET\",route=\"/api/v1/annex\",status=\"200\"} 2"
        ));
        assert!(text.contains("compendium_http_request_duration_seconds_bucket{method=\"GET\",route=\"/api/v1/annex\",status=\"400\",le=\"0.001\"} 1"));
    }
}
