//! `/metrics`: the service's numbers in Prometheus text format — requests by route and
//! status with latency histograms, the database pool, PDF renders and the queue waiting
//! for them, open event streams, and the database's own `cimiento.health()` checks.
//! Labels carry routes (templates, never ids) and statuses, never a tenant or a user.
use std::sync::LazyLock;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use prometheus::{Encoder, GaugeVec, Histogram, HistogramOpts, HistogramVec, IntCounterVec, IntGauge, IntGaugeVec, Opts, Registry, TextEncoder};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;

/// Every metric the service exports, in one registry.
pub struct Metrics {
    registry: Registry,
    http_requests: IntCounterVec,
    http_seconds: HistogramVec,
    pub pdf_renders: IntCounterVec,
    pub pdf_render_seconds: Histogram,
    pub event_streams: IntGauge,
    db_pool: IntGaugeVec,
    pdf_queue: IntGauge,
    health: GaugeVec,
    health_failing: IntGaugeVec,
}

/// The process's metrics (one registry per process, like the process itself).
pub static METRICS: LazyLock<Metrics> = LazyLock::new(Metrics::new);

impl Metrics {
    fn new() -> Self {
        let registry = Registry::new_custom(Some("cimiento".into()), None).expect("a valid metric prefix");
        let latency = vec![0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];
        let m = Metrics {
            http_requests: IntCounterVec::new(Opts::new("http_requests_total", "HTTP requests answered, by route template, method and status"), &["route", "method", "status"]).expect("metric"),
            http_seconds: HistogramVec::new(HistogramOpts::new("http_request_duration_seconds", "Time to answer an HTTP request (until the response head)").buckets(latency.clone()), &["route", "method"]).expect("metric"),
            pdf_renders: IntCounterVec::new(Opts::new("pdf_renders_total", "PDF renders, by outcome (ok, failed)"), &["outcome"]).expect("metric"),
            pdf_render_seconds: Histogram::with_opts(HistogramOpts::new("pdf_render_seconds", "Time WeasyPrint took per document").buckets(latency)).expect("metric"),
            event_streams: IntGauge::new("event_streams_open", "Server-Sent Event streams open now").expect("metric"),
            db_pool: IntGaugeVec::new(Opts::new("db_pool_connections", "The api's database pool: open (size), idle (available) and callers waiting (waiting)"), &["state"]).expect("metric"),
            pdf_queue: IntGauge::new("pdf_queue_documents", "Issued documents waiting for their PDF (capped at 10 000)").expect("metric"),
            health: GaugeVec::new(Opts::new("health_value", "The value of each cimiento.health() check (its unit in the check's detail)"), &["check"]).expect("metric"),
            health_failing: IntGaugeVec::new(Opts::new("health_status", "Each cimiento.health() check: 0 ok, 1 warn, 2 fail"), &["check"]).expect("metric"),
            registry,
        };
        for c in [
            Box::new(m.http_requests.clone()) as Box<dyn prometheus::core::Collector>,
            Box::new(m.http_seconds.clone()),
            Box::new(m.pdf_renders.clone()),
            Box::new(m.pdf_render_seconds.clone()),
            Box::new(m.event_streams.clone()),
            Box::new(m.db_pool.clone()),
            Box::new(m.pdf_queue.clone()),
            Box::new(m.health.clone()),
            Box::new(m.health_failing.clone()),
        ] {
            m.registry.register(c).expect("each metric registered once");
        }
        m
    }
}

/// A route template as a label: `/invoices/{id}/pdf` → `/invoices/:id/pdf` (braces are
/// legal in label values, but several text-format parsers trip on them).
fn route_label(template: &str) -> String {
    template.replace('{', ":").replace('}', "")
}

/// Counts and times every request that matched a route (by its template, so
/// `/invoices/:id/pdf` is one series).
pub async fn track(request: Request, next: Next) -> Response {
    let route = request.extensions().get::<MatchedPath>().map(|p| route_label(p.as_str())).unwrap_or_else(|| "unmatched".into());
    let method = request.method().as_str().to_owned();
    let started = Instant::now();
    let response = next.run(request).await;
    METRICS.http_seconds.with_label_values(&[&route, &method]).observe(started.elapsed().as_secs_f64());
    METRICS.http_requests.with_label_values(&[&route, &method, response.status().as_str()]).inc();
    response
}

/// Keeps the open-streams gauge up while it lives.
pub struct StreamOpen(());

impl StreamOpen {
    pub fn new() -> Self {
        METRICS.event_streams.inc();
        StreamOpen(())
    }
}

impl Drop for StreamOpen {
    fn drop(&mut self) {
        METRICS.event_streams.dec();
    }
}

/// `/metrics`, documented by its handler.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(metrics))
}

/// Reads what is read at scrape time: the pool, and (when the database answers) the PDF
/// queue and the health checks; a database that does not answer leaves them as they were.
async fn refresh(state: &AppState) {
    let pool = state.db.status();
    let m = &*METRICS;
    m.db_pool.with_label_values(&["open"]).set(pool.size as i64);
    m.db_pool.with_label_values(&["idle"]).set(pool.available as i64);
    m.db_pool.with_label_values(&["waiting"]).set(pool.waiting as i64);
    let Ok(mut db) = state.db.get().await else { return };
    if let Ok(row) = db.query_one("SELECT count(*) FROM billing.documents_to_render(10000)", &[]).await {
        m.pdf_queue.set(row.get::<_, i64>(0));
    }
    if let Ok(rows) = db.query("SELECT check_name, status, value FROM cimiento.health()", &[]).await {
        for r in rows {
            let (check, status, value): (String, String, Option<f64>) = (r.get(0), r.get(1), r.get(2));
            m.health.with_label_values(&[&check]).set(value.unwrap_or(0.0));
            m.health_failing.with_label_values(&[&check]).set(match status.as_str() {
                "ok" => 0,
                "warn" => 1,
                _ => 2,
            });
        }
    }
}

/// The service's metrics in Prometheus text format (no tenant data: counts and timings).
#[utoipa::path(get, path = "/metrics", tag = "health", summary = "Prometheus metrics",
    responses((status = 200, description = "text/plain; version=0.0.4", content_type = "text/plain")))]
async fn metrics(State(state): State<AppState>) -> Response {
    refresh(&state).await;
    let mut body = Vec::new();
    match TextEncoder::new().encode(&METRICS.registry.gather(), &mut body) {
        Ok(()) => ([(header::CONTENT_TYPE, prometheus::TEXT_FORMAT)], body).into_response(),
        Err(e) => crate::error::ApiError::Internal(anyhow::anyhow!("encoding the metrics: {e}")).into_response(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn route_labels_name_parameters_without_braces() {
        assert_eq!(super::route_label("/invoices/{id}/pdf"), "/invoices/:id/pdf");
        assert_eq!(super::route_label("/health"), "/health");
    }
}
