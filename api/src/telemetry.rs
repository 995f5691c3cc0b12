//! Tracing: JSON or text logs, a request id on every request (honoured from
//! `x-request-id` or generated, echoed back) and on every span, plus the tenant id once
//! the caller is known (recorded by the auth extractor).
use axum::http::Request;
use tower::ServiceBuilder;
use tower::layer::util::Stack;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, RequestId, SetRequestIdLayer};
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tower_http::classify::{ServerErrorsAsFailures, SharedClassifier};
use tracing::Level;

pub const REQUEST_ID: &str = "x-request-id";

/// Installs the global subscriber (`RUST_LOG` filter; JSON lines or text).
pub fn init(format: crate::config::LogFormat) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,tower_http=info"));
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .with_ansi(ansi)
        .with_writer(std::io::stderr);
    let _ = match format {
        crate::config::LogFormat::Json => builder.json().try_init(),
        crate::config::LogFormat::Text => builder.try_init(),
    };
}

fn make_span<B>(req: &Request<B>) -> tracing::Span {
    let request_id = req
        .extensions()
        .get::<RequestId>()
        .and_then(|id| id.header_value().to_str().ok())
        .unwrap_or("-");
    tracing::info_span!(
        "request",
        method = %req.method(),
        path = %req.uri().path(),
        request_id = %request_id,
        tenant_id = tracing::field::Empty,
    )
}

type TraceL = TraceLayer<
    SharedClassifier<ServerErrorsAsFailures>,
    fn(&Request<axum::body::Body>) -> tracing::Span,
    tower_http::trace::DefaultOnRequest,
    DefaultOnResponse,
    tower_http::trace::DefaultOnBodyChunk,
    tower_http::trace::DefaultOnEos,
    (),
>;

/// The request-id and tracing layers, outermost first.
pub fn layer() -> ServiceBuilder<
    Stack<PropagateRequestIdLayer, Stack<TraceL, Stack<SetRequestIdLayer<MakeRequestUuid>, tower::layer::util::Identity>>>,
> {
    let header = axum::http::HeaderName::from_static(REQUEST_ID);
    let trace: TraceL = TraceLayer::new_for_http()
        .make_span_with(make_span as fn(&Request<axum::body::Body>) -> tracing::Span)
        .on_response(DefaultOnResponse::new().level(Level::INFO))
        // Failures are logged once, with their cause, by `error::log_errors`.
        .on_failure(());
    ServiceBuilder::new()
        .layer(SetRequestIdLayer::new(header.clone(), MakeRequestUuid))
        .layer(trace)
        .layer(PropagateRequestIdLayer::new(header))
}
