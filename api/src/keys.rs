//! RSA signing keys and the JWKS document.
//!
//! Layout of the keys folder (git-ignored, created at setup, never committed):
//! `<kid>.pem` — one PKCS#8 private key per file, named by its RFC 7638 thumbprint;
//! `active` — the kid that signs new tokens. Every key in the folder is published in the
//! JWKS, so after a rotation the old key still verifies until its tokens expire; remove
//! its file afterwards (`cimiento-api keys retire <kid>`).
use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{bail, Context, Result};
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rsa::pkcs8::{DecodePrivateKey, EncodePrivateKey, LineEnding};
use rsa::traits::PublicKeyParts;
use rsa::RsaPrivateKey;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::state::AppState;

/// One key: its id, signing key and public JWK.
pub struct Key {
    pub kid: String,
    pub encoding: jsonwebtoken::EncodingKey,
    pub decoding: jsonwebtoken::DecodingKey,
    pub jwk: Value,
}

/// Every key in the folder; `active` signs.
pub struct KeySet {
    pub active: String,
    pub keys: BTreeMap<String, Key>,
}

fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// RFC 7638 thumbprint of an RSA public key: the key's id.
fn thumbprint(n: &str, e: &str) -> String {
    let canonical = format!(r#"{{"e":"{e}","kty":"RSA","n":"{n}"}}"#);
    b64(&Sha256::digest(canonical.as_bytes()))
}

fn key_from_pem(pem: &str) -> Result<Key> {
    let private = RsaPrivateKey::from_pkcs8_pem(pem).context("not a PKCS#8 RSA private key")?;
    let n = b64(&private.n().to_bytes_be());
    let e = b64(&private.e().to_bytes_be());
    let kid = thumbprint(&n, &e);
    let encoding = jsonwebtoken::EncodingKey::from_rsa_pem(pem.as_bytes())?;
    let decoding = jsonwebtoken::DecodingKey::from_rsa_components(&n, &e)?;
    let jwk = json!({ "kty": "RSA", "use": "sig", "alg": "RS256", "kid": kid, "n": n, "e": e });
    Ok(Key { kid, encoding, decoding, jwk })
}

impl KeySet {
    /// Loads every `*.pem` of the folder; fails when the folder has no usable key.
    pub fn load(dir: &Path) -> Result<Self> {
        let mut keys = BTreeMap::new();
        let entries = std::fs::read_dir(dir)
            .with_context(|| format!("reading keys folder {}", dir.display()))?;
        for entry in entries {
            let path = entry?.path();
            if path.extension().and_then(|e| e.to_str()) != Some("pem") {
                continue;
            }
            let pem = std::fs::read_to_string(&path)?;
            let key = key_from_pem(&pem).with_context(|| format!("loading {}", path.display()))?;
            keys.insert(key.kid.clone(), key);
        }
        if keys.is_empty() {
            bail!("no signing key in {}; run `cimiento-api keys init`", dir.display());
        }
        let active = match std::fs::read_to_string(dir.join("active")) {
            Ok(kid) => kid.trim().to_string(),
            Err(_) => keys.keys().next().cloned().unwrap_or_default(),
        };
        if !keys.contains_key(&active) {
            bail!("the active key {active:?} has no .pem file in {}", dir.display());
        }
        Ok(Self { active, keys })
    }

    /// The key that signs new tokens.
    pub fn signing(&self) -> &Key {
        &self.keys[&self.active]
    }

    /// The public JWKS document.
    pub fn jwks(&self) -> Value {
        json!({ "keys": self.keys.values().map(|k| k.jwk.clone()).collect::<Vec<_>>() })
    }
}

/// Creates a new 2048-bit key in the folder; makes it active when `activate`.
pub fn generate(dir: &Path, activate: bool) -> Result<String> {
    std::fs::create_dir_all(dir)?;
    let private = RsaPrivateKey::new(&mut rand::rngs::OsRng, 2048)?;
    let pem = private.to_pkcs8_pem(LineEnding::LF)?;
    let key = key_from_pem(&pem)?;
    let path = dir.join(format!("{}.pem", key.kid));
    write_private(&path, pem.as_bytes())?;
    if activate {
        std::fs::write(dir.join("active"), &key.kid)?;
    }
    Ok(key.kid)
}

fn write_private(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path)?;
    f.write_all(bytes)?;
    Ok(())
}

/// Creates the first key when the folder has none (idempotent).
pub fn init(dir: &Path) -> Result<String> {
    match KeySet::load(dir) {
        Ok(set) => Ok(set.active),
        Err(_) => generate(dir, true),
    }
}

/// Removes a key that no longer signs (never the active one).
pub fn retire(dir: &Path, kid: &str) -> Result<()> {
    let set = KeySet::load(dir)?;
    anyhow::ensure!(set.active != kid, "{kid} is the active key; rotate first");
    anyhow::ensure!(set.keys.contains_key(kid), "no key {kid} in {}", dir.display());
    std::fs::remove_file(dir.join(format!("{kid}.pem")))?;
    Ok(())
}

/// Writes the JWKS next to the keys, for PostgREST (`jwt-secret = "@…/jwks.json"`).
pub fn write_jwks(dir: &Path, out: &Path) -> Result<()> {
    let set = KeySet::load(dir)?;
    let tmp = out.with_extension("json.tmp");
    std::fs::write(&tmp, serde_json::to_vec_pretty(&set.jwks())?)?;
    std::fs::rename(&tmp, out)?;
    Ok(())
}

/// `/.well-known/jwks.json`, documented by its handler.
pub fn router() -> utoipa_axum::router::OpenApiRouter<AppState> {
    utoipa_axum::router::OpenApiRouter::new().routes(utoipa_axum::routes!(jwks))
}

#[utoipa::path(get, path = "/.well-known/jwks.json", tag = "keys", summary = "Public keys that verify access tokens",
    responses((status = 200, description = "JWKS")))]
async fn jwks(State(state): State<AppState>) -> impl IntoResponse {
    (
        [(header::CACHE_CONTROL, "public, max-age=300")],
        axum::Json(state.keys().jwks()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thumbprint_matches_rfc7638_example() {
        // RFC 7638 §3.1
        let n = "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw";
        assert_eq!(thumbprint(n, "AQAB"), "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
    }

    #[test]
    fn generated_keys_load_and_publish() {
        let dir = std::env::temp_dir().join(format!("cimiento-keys-{}", uuid::Uuid::new_v4()));
        let first = init(&dir).unwrap();
        assert_eq!(init(&dir).unwrap(), first, "init is idempotent");
        let second = generate(&dir, true).unwrap();
        let set = KeySet::load(&dir).unwrap();
        assert_eq!(set.active, second);
        assert_eq!(set.jwks()["keys"].as_array().unwrap().len(), 2, "old key kept for verification");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
