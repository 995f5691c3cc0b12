//! The api's handlers in-process (`tower::ServiceExt::oneshot`), without the stack: error
//! bodies in PostgREST's shape, the bearer and refresh-cookie parsing, how a login finds
//! its tenant, the JWKS, and a database that is down. The database URL points at a port
//! nothing listens on, so whatever reaches the database answers 503 without internals.
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::Duration;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, Request, StatusCode};
use cimiento_api::config::{AuthConfig, Config, ImportConfig, PdfConfig};
use cimiento_api::state::AppState;
use serde_json::Value;
use tower::ServiceExt;

/// One signing key for every test of the run (created once: the tests run in parallel).
fn keys_dir() -> PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("in-process-keys");
        cimiento_api::keys::init(&dir).expect("a signing key");
        dir
    })
    .clone()
}

fn state() -> AppState {
    let config = Config {
        listen: SocketAddr::from(([127, 0, 0, 1], 0)),
        // Port 1 of localhost: nothing listens, the connection is refused at once.
        database_url: "postgresql://cimiento_api@127.0.0.1:1/cimiento".into(),
        listen_database_url: None,
        postgrest_url: "http://127.0.0.1:1".into(),
        keys_dir: keys_dir(),
        db_pool_size: 2,
        db_timeout: Duration::from_millis(500),
        log_format: cimiento_api::config::LogFormat::Text,
        auth: AuthConfig {
            issuer: "cimiento".into(),
            audience: "cimiento".into(),
            access_ttl: Duration::from_secs(900),
            session_ttl: Duration::from_secs(86_400),
            refresh_grace: Duration::from_secs(30),
            leeway_secs: 30,
            account_max_failures: 5,
            account_ceiling: 50,
            account_window: Duration::from_secs(900),
            ip_per_minute: 1000,
            argon2_concurrency: 1,
            cookie_secure: true,
            trust_forwarded_for: false,
        },
        pdf: PdfConfig { python: "/usr/bin/python3".into(), workers: 1, timeout: Duration::from_secs(5), render_on_issue: false },
        imports: ImportConfig {
            max_bytes: 200_000_000,
            spool_dir: std::env::temp_dir(),
            workers: 1,
            chunk_rows: 500,
            promote_chunk_rows: 2000,
            promote_connections: 3,
            lease: Duration::from_secs(10),
        },
    };
    AppState::new(config).expect("state")
}

/// Sends one request through the whole app (routes, middleware) and reads the answer.
async fn send(request: Request<Body>) -> (StatusCode, axum::http::HeaderMap, Value) {
    let mut request = request;
    request.extensions_mut().insert(ConnectInfo(SocketAddr::from(([192, 0, 2, 7], 40_000))));
    let response = cimiento_api::app(state()).oneshot(request).await.expect("infallible");
    let (status, headers) = (response.status(), response.headers().clone());
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 20).await.expect("body");
    let body = serde_json::from_slice(&bytes).unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()));
    (status, headers, body)
}

fn get(uri: &str) -> axum::http::request::Builder {
    Request::builder().method("GET").uri(uri)
}

fn post_json(uri: &str, body: &str) -> Request<Body> {
    Request::builder()
        .method("POST")
        .uri(uri)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .expect("request")
}

/// PostgREST's error shape: exactly code, message, details and hint.
fn assert_error_shape(body: &Value, code: &str) {
    let object = body.as_object().unwrap_or_else(|| panic!("an error body is a JSON object, got {body}"));
    let mut keys: Vec<&str> = object.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["code", "details", "hint", "message"], "{body}");
    assert_eq!(body["code"], code, "{body}");
    assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()), "{body}");
}

#[tokio::test]
async fn jwks_publishes_the_signing_key() {
    let (status, _, body) = send(get("/.well-known/jwks.json").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    let keys = body["keys"].as_array().expect("keys");
    assert!(!keys.is_empty() && keys.iter().all(|k| k["kty"] == "RSA" && k["kid"].is_string()), "{body}");
    assert!(keys.iter().all(|k| k.get("d").is_none()), "no private part is published");
}

#[tokio::test]
async fn bearer_tokens_are_parsed_before_anything_else() {
    let (status, headers, body) = send(get("/auth/me").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(headers.get("www-authenticate").map(|v| v.as_bytes()), Some(&b"Bearer"[..]));
    assert_error_shape(&body, "missing_token");

    let (status, _, body) = send(get("/auth/me").header(header::AUTHORIZATION, "Basic YTpi").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_error_shape(&body, "invalid_token");

    let (status, _, body) =
        send(get("/auth/me").header(header::AUTHORIZATION, "Bearer not.a.token").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_error_shape(&body, "invalid_token");

    let huge = format!("Bearer {}", "a".repeat(20_000));
    let (status, _, body) = send(get("/auth/me").header(header::AUTHORIZATION, huge).body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_error_shape(&body, "invalid_token");
}

#[tokio::test]
async fn the_refresh_cookie_is_found_among_others() {
    let refresh = |cookie: Option<&str>| {
        let mut b = Request::builder().method("POST").uri("/auth/refresh");
        if let Some(c) = cookie {
            b = b.header(header::COOKIE, c);
        }
        b.body(Body::empty()).unwrap()
    };
    let (status, _, body) = send(refresh(None)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_error_shape(&body, "missing_refresh_token");
    let (_, _, body) = send(refresh(Some("theme=dark; lang=es"))).await;
    assert_error_shape(&body, "missing_refresh_token");
    // Found (after other cookies, with spaces), then refused for what it holds.
    let (status, _, body) = send(refresh(Some("theme=dark;  cimiento_refresh=forged; lang=es"))).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_error_shape(&body, "invalid_refresh_token");
}

#[tokio::test]
async fn a_login_finds_its_tenant_in_the_body_a_header_or_the_host() {
    let login = |body: &str, header: Option<(&str, &str)>| {
        let mut r = post_json("/auth/login", body);
        if let Some((name, value)) = header {
            r.headers_mut().insert(axum::http::HeaderName::from_bytes(name.as_bytes()).unwrap(), value.parse().unwrap());
        }
        r
    };
    let credentials = r#"{"email": "ana@acme.test", "password": "correct horse battery"}"#;
    let (status, _, body) = send(login(credentials, None)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_error_shape(&body, "missing_tenant");
    // With a tenant from any of the three places the login goes on to the database, which
    // is down here: 503, saying so without the connection's details.
    for (body, header) in [
        (r#"{"tenant": "acme", "email": "ana@acme.test", "password": "correct horse battery"}"#, None),
        (credentials, Some(("x-tenant-subdomain", "acme"))),
        (credentials, Some(("host", "acme.cimiento.example"))),
    ] {
        let (status, _, answer) = send(login(body, header)).await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{header:?}: {answer}");
        assert_error_shape(&answer, "unavailable");
        let text = answer.to_string();
        assert!(!text.contains("127.0.0.1") && !text.contains("refused") && !text.contains("cimiento_api"), "{text}");
    }
}

#[tokio::test]
async fn bad_json_bodies_are_400_in_postgrest_shape() {
    for (body, what) in [
        ("{not json", "malformed"),
        (r#"{"tenant": "acme"}"#, "missing fields"),
        (r#"{"tenant": "acme", "email": 7, "password": "x"}"#, "wrong type"),
    ] {
        let (status, _, answer) = send(post_json("/auth/login", body)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{what}: {answer}");
        assert_error_shape(&answer, "invalid_body");
    }
    let no_type = Request::builder().method("POST").uri("/auth/login").body(Body::from("{}")).unwrap();
    let (status, _, answer) = send(no_type).await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{answer}");
    assert_error_shape(&answer, "unsupported_media_type");
}

#[tokio::test]
async fn uploads_are_refused_without_a_token_and_other_bodies_stay_small() {
    let form = "--x\r\nContent-Disposition: form-data; name=\"target\"\r\n\r\nstudents\r\n--x--\r\n";
    let upload = Request::builder()
        .method("POST")
        .uri("/imports")
        .header(header::CONTENT_TYPE, "multipart/form-data; boundary=x")
        .body(Body::from(form))
        .unwrap();
    let (status, _, body) = send(upload).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert_error_shape(&body, "missing_token");
    // The upload's own limit does not lift the 1 MB bound of every other body.
    let big = format!(r#"{{"tenant": "acme", "email": "a@b.c", "password": "{}"}}"#, "x".repeat(2 << 20));
    let mut request = post_json("/auth/login", &big);
    request.headers_mut().insert(header::CONTENT_LENGTH, big.len().into());
    let (status, _, _) = send(request).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn health_answers_without_the_database() {
    let (status, _, _) = send(get("/health").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn every_documented_path_is_served() {
    let (status, _, doc) = send(get("/openapi.json").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    let paths = doc["paths"].as_object().expect("paths");
    assert!(paths.contains_key("/invoices/{id}/html") && paths.contains_key("/auth/email"), "every route is documented");
    let operations: usize = paths.values().map(|m| m.as_object().map_or(0, |m| m.len())).sum();
    assert_eq!(operations, 20, "the 20 operations the routers serve (/openapi.json aside): {:?}", paths.keys().collect::<Vec<_>>());
    let schemas = &doc["components"]["schemas"];
    for name in ["Error", "Tokens", "LoginReq", "RegisterReq"] {
        assert!(schemas[name].is_object(), "schema {name} is generated from its type: {schemas}");
    }
    assert_eq!(doc["components"]["securitySchemes"]["bearer"]["scheme"], "bearer");
    assert_eq!(doc["paths"]["/auth/login"]["post"]["responses"]["200"]["content"]["application/json"]["schema"]["$ref"], "#/components/schemas/Tokens");
    assert_eq!(doc["paths"]["/auth/sessions"]["get"]["parameters"][0]["name"], "all");
    for (path, methods) in paths {
        let uri = path.replace("{id}", "00000000-0000-4000-8000-000000000001");
        for method in methods.as_object().expect("methods").keys() {
            let request = Request::builder().method(method.to_uppercase().as_str()).uri(&uri).body(Body::empty()).unwrap();
            let (status, _, body) = send(request).await;
            // A route that does not exist answers axum's bare 404/405; ours answer something
            // else, or an error in PostgREST's shape.
            let unrouted = matches!(status, StatusCode::NOT_FOUND | StatusCode::METHOD_NOT_ALLOWED) && !body.is_object();
            assert!(!unrouted, "{method} {path} is documented but not served ({status})");
        }
    }
}

#[tokio::test]
async fn metrics_are_prometheus_text_with_routes_not_ids() {
    // Two requests whose route is a template: one series, never the id in a label.
    for id in ["0b3c4f5e-0000-4000-8000-000000000001", "0b3c4f5e-0000-4000-8000-000000000002"] {
        let (status, _, _) = send(get(&format!("/invoices/{id}/pdf")).body(Body::empty()).unwrap()).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    let (status, _, _) = send(get("/health").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::OK);

    let response = cimiento_api::app(state()).oneshot(get("/metrics").body(Body::empty()).unwrap()).await.expect("infallible");
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers()[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/plain; version=0.0.4"));
    let text = String::from_utf8(axum::body::to_bytes(response.into_body(), 1 << 20).await.unwrap().to_vec()).unwrap();
    let lines = text.lines().map(|l| Ok(l.to_owned()));
    let scrape = prometheus_parse::Scrape::parse(lines).expect("Prometheus text format");

    let sample = |name: &str, labels: &[(&str, &str)]| {
        scrape.samples.iter().find(|s| s.metric == name && labels.iter().all(|(k, v)| s.labels.get(k) == Some(*v)))
    };
    let counted = |labels: &[(&str, &str)]| match sample("cimiento_http_requests_total", labels).map(|s| &s.value) {
        Some(prometheus_parse::Value::Counter(n)) => *n,
        other => panic!("no request counter for {labels:?}: {other:?}"),
    };
    assert!(counted(&[("route", "/health"), ("method", "GET"), ("status", "200")]) >= 1.0);
    assert!(counted(&[("route", "/invoices/:id/pdf"), ("method", "GET"), ("status", "401")]) >= 2.0);
    assert!(
        scrape.samples.iter().all(|s| s.labels.values().all(|v| !v.contains("0b3c4f5e"))),
        "an id ended up in a label"
    );
    assert!(matches!(
        sample("cimiento_http_request_duration_seconds", &[("route", "/health")]).map(|s| &s.value),
        Some(prometheus_parse::Value::Histogram(_))
    ));
    for state in ["open", "idle", "waiting"] {
        assert!(sample("cimiento_db_pool_connections", &[("state", state)]).is_some(), "pool {state}");
    }
    assert!(sample("cimiento_event_streams_open", &[]).is_some());
    assert!(scrape.docs.contains_key("cimiento_pdf_render_seconds") || text.contains("cimiento_pdf_render_seconds"));
}

#[tokio::test]
async fn what_the_framework_refuses_has_the_shape_too() {
    let (status, _, body) = send(get("/no/such/path").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_error_shape(&body, "not_found");

    let delete = Request::builder().method("DELETE").uri("/invoices/7b1c0d6e-0000-4000-8000-000000000001/pdf");
    let (status, headers, body) = send(delete.body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert_error_shape(&body, "method_not_allowed");
    assert!(body["message"].as_str().is_some_and(|m| m.contains("DELETE")), "{body}");
    assert!(headers.get(header::ALLOW).is_some_and(|v| v.to_str().unwrap_or("").contains("GET")), "the Allow header stays");

    // Over the 1 MB of a JSON body: announced by its length, refused before it is read (by
    // tower-http, in plain text); sent without a length, refused while it is read.
    let big = "a".repeat(2 << 20);
    let mut announced = post_json("/auth/login", &big);
    announced.headers_mut().insert(header::CONTENT_LENGTH, big.len().into());
    for request in [announced, post_json("/auth/login", &big)] {
        let (status, headers, body) = send(request).await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
        assert_error_shape(&body, "payload_too_large");
        assert_eq!(headers.get(header::CONTENT_TYPE).map(|v| v.as_bytes()), Some(&b"application/json"[..]));
    }
}
