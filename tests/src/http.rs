//! Small HTTP helpers over reqwest for the tests.
use anyhow::Result;
use reqwest::header::HeaderMap;
use serde_json::Value;

/// A response, read whole.
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: HeaderMap,
    pub text: String,
}

impl Resp {
    /// The body as JSON (`Value::Null` when it is not JSON).
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or(Value::Null)
    }
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
    /// Fails with the body when the status is not the expected one.
    pub fn expect(self, status: u16) -> Result<Resp> {
        anyhow::ensure!(self.status == status, "expected HTTP {status}, got {}: {}", self.status, self.text);
        Ok(self)
    }
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(60))
        .build()
        .expect("http client")
}

async fn read(res: reqwest::Response) -> Result<Resp> {
    let status = res.status().as_u16();
    let headers = res.headers().clone();
    let text = res.text().await?;
    Ok(Resp { status, headers, text })
}

/// GET with an optional bearer token and extra headers.
pub async fn get(url: &str, token: Option<&str>, headers: &[(&str, &str)]) -> Result<Resp> {
    let mut req = client().get(url);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    read(req.send().await?).await
}

/// POST a JSON body with an optional bearer token and extra headers.
pub async fn post(url: &str, token: Option<&str>, body: &Value, headers: &[(&str, &str)]) -> Result<Resp> {
    let mut req = client().post(url).json(body);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    read(req.send().await?).await
}

/// POST a JSON body from another client address (any of 127.0.0.0/8 reaches a loopback
/// server), as a different client would.
pub async fn post_from(local: std::net::IpAddr, url: &str, body: &Value) -> Result<Resp> {
    let client = reqwest::Client::builder().timeout(std::time::Duration::from_secs(60)).local_address(local).build()?;
    read(client.post(url).json(body).send().await?).await
}

/// Any method, JSON body optional.
pub async fn request(method: &str, url: &str, token: Option<&str>, body: Option<&Value>, headers: &[(&str, &str)]) -> Result<Resp> {
    let method = reqwest::Method::from_bytes(method.as_bytes())?;
    let mut req = client().request(method, url);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    if let Some(b) = body {
        req = req.json(b);
    }
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    read(req.send().await?).await
}

/// POST a multipart form: text fields and one file (as a browser uploads a spreadsheet).
pub async fn upload(url: &str, token: Option<&str>, fields: &[(&str, &str)], file_name: &str, bytes: Vec<u8>) -> Result<Resp> {
    let mut form = reqwest::multipart::Form::new();
    for (k, v) in fields {
        form = form.text(k.to_string(), v.to_string());
    }
    form = form.part("file", reqwest::multipart::Part::bytes(bytes).file_name(file_name.to_string()));
    let mut req = client().post(url).multipart(form);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    read(req.send().await?).await
}
