//! `GET /events`: what happened, as Server-Sent Events, to each signed-in user only when
//! they may see the row it is about. The database decides everything: triggers write
//! `core.events` in the transaction of the change and `NOTIFY cimiento_events`
//! (`tenant:seq`, delivered at commit); one listener here wakes the streams of that tenant,
//! and each stream reads `core.events` as its caller — the table's policy asks the row's own
//! table, so RLS, branches and `*.read_own` scopes filter the events as they filter rows.
//! Event ids are the outbox's sequence: a client that reconnects with `Last-Event-ID` gets
//! what it missed (events are kept a day, `core.prune_events`).
use std::collections::BTreeSet;
use std::convert::Infallible;
use std::time::Duration;

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::stream::{self, Stream, StreamExt};
use serde_json::json;
use tokio::sync::broadcast;
use tokio_postgres::AsyncMessage;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::auth::{AccessClaims, AuthUser};
use crate::error::ApiError;
use crate::state::AppState;

/// A stream looks again this often even without a notification (a dropped one, a lagging
/// receiver), and checks that its session still stands.
const POLL_EVERY: Duration = Duration::from_secs(10);
/// Events committed out of sequence order are caught by looking back this far.
const LOOK_BACK_SECS: f64 = 60.0;
/// Events read per query.
const PAGE: i64 = 200;
/// How often the listener prunes events older than a day.
const PRUNE_EVERY: Duration = Duration::from_secs(3600);

/// The tenants whose events just committed, for every open stream.
#[derive(Clone)]
pub struct EventHub {
    tx: broadcast::Sender<Uuid>,
}

impl Default for EventHub {
    fn default() -> Self {
        Self { tx: broadcast::channel(1024).0 }
    }
}

impl EventHub {
    fn subscribe(&self) -> broadcast::Receiver<Uuid> {
        self.tx.subscribe()
    }
}

/// The `/events` route.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(events))
}

/// `tenant:seq` as `core.emit_event` sends it; anything else is ignored.
fn parse_payload(payload: &str) -> Option<(Uuid, i64)> {
    let (t, s) = payload.split_once(':')?;
    Some((Uuid::parse_str(t).ok()?, s.parse().ok().filter(|n: &i64| *n > 0)?))
}

/// Starts the listener (reconnecting on its own) and the hourly pruning.
pub fn spawn(state: AppState) {
    let hub = state.events.clone();
    let listener_state = state.clone();
    tokio::spawn(async move {
        let mut backoff = Duration::from_millis(500);
        loop {
            match listen(&listener_state, &hub).await {
                Ok(()) => backoff = Duration::from_millis(500),
                Err(e) => {
                    tracing::warn!(error = %e, "event listener disconnected; reconnecting");
                    backoff = (backoff * 2).min(Duration::from_secs(30));
                }
            }
            tokio::time::sleep(backoff).await;
        }
    });
    tokio::spawn(async move {
        loop {
            match state.db.get().await {
                Ok(mut db) => match db.query_one("SELECT core.prune_events()", &[]).await {
                    Ok(row) => tracing::debug!(pruned = row.get::<_, i64>(0), "events pruned"),
                    Err(e) => tracing::warn!(error = %e, "pruning events failed"),
                },
                Err(e) => tracing::warn!(error = %e, "pruning events: no database"),
            }
            tokio::time::sleep(PRUNE_EVERY).await;
        }
    });
}

async fn listen(state: &AppState, hub: &EventHub) -> anyhow::Result<()> {
    let cfg: tokio_postgres::Config = secrecy::ExposeSecret::expose_secret(state.config.listen_url()).parse()?;
    let (client, mut connection) = cfg.connect(tokio_postgres::NoTls).await?;
    let tx = hub.tx.clone();
    let driver = tokio::spawn(async move {
        let mut messages = stream::poll_fn(move |cx| connection.poll_message(cx));
        while let Some(msg) = messages.next().await {
            match msg {
                Ok(AsyncMessage::Notification(n)) => match parse_payload(n.payload()) {
                    // No stream open is no error.
                    Some((tenant, _)) => drop(tx.send(tenant)),
                    None => tracing::warn!(bytes = n.payload().len(), "ignored a malformed event notification"),
                },
                Ok(_) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    });
    client.batch_execute("LISTEN cimiento_events").await?;
    tracing::info!("event listener ready");
    let result = driver.await;
    drop(client);
    match result {
        Ok(Err(e)) => Err(e.into()),
        _ => Ok(()),
    }
}

/// Where a stream starts: after `Last-Event-ID` when the client sends one, else now.
fn last_event_id(headers: &HeaderMap) -> Result<Option<i64>, ApiError> {
    match headers.get("last-event-id") {
        None => Ok(None),
        Some(v) => v
            .to_str()
            .ok()
            .and_then(|s| s.trim().parse::<i64>().ok())
            .filter(|n| *n >= 0)
            .map(Some)
            .ok_or_else(|| ApiError::bad_request("invalid_last_event_id", "Last-Event-ID must be the id of an event received")),
    }
}

/// One stream's state between reads.
struct Cursor {
    state: AppState,
    claims: AccessClaims,
    wake: broadcast::Receiver<Uuid>,
    /// The highest id sent.
    last: i64,
    /// Ids sent within the look-back (an event committed late is sent once).
    sent: BTreeSet<i64>,
    pending: std::collections::VecDeque<Event>,
    first: bool,
    /// Counts this stream in `/metrics` while it is open.
    _open: crate::metrics::StreamOpen,
}

/// The events the caller may see after `cursor.last` (and late ones within the look-back),
/// read as the caller; `None` when the session ended.
async fn read(cursor: &mut Cursor) -> Result<bool, ApiError> {
    let mut db = cursor.state.db.get().await?;
    let tx = crate::db::as_caller(&mut db, &cursor.claims, None).await?;
    let c = &cursor.claims;
    let active: bool =
        tx.query_one("SELECT core.auth_session_active($1, $2, $3)", &[&c.tid, &c.sid, &c.sub]).await?.get(0);
    if !active {
        return Ok(false);
    }
    let rows = tx
        .query(
            "SELECT seq, kind, entity, row_id, branch_id, at::text, data FROM core.events
              WHERE seq > $1 OR (seq > $1 - 100000 AND at > now() - make_interval(secs => $2))
              ORDER BY seq LIMIT $3",
            &[&cursor.last, &LOOK_BACK_SECS, &PAGE],
        )
        .await?;
    tx.commit().await?;
    for r in rows {
        let seq: i64 = r.get(0);
        if !cursor.sent.insert(seq) {
            continue;
        }
        cursor.last = cursor.last.max(seq);
        let entity: String = r.get(2);
        let data = json!({
            "id": seq, "kind": r.get::<_, String>(1), "entity": entity.rsplit('.').next().unwrap_or(&entity),
            "row_id": r.get::<_, Uuid>(3), "branch_id": r.get::<_, Option<Uuid>>(4), "at": r.get::<_, String>(5),
            "data": r.get::<_, serde_json::Value>(6),
        });
        let kind: String = r.get(1);
        cursor.pending.push_back(Event::default().id(seq.to_string()).event(kind).data(data.to_string()));
    }
    // Forget what is older than any late event can be.
    while cursor.sent.len() > 4 * PAGE as usize {
        cursor.sent.pop_first();
    }
    Ok(true)
}

/// Waits for something to read: a notification of the caller's tenant, or the poll tick.
async fn wait(cursor: &mut Cursor) {
    let tenant = cursor.claims.tid;
    let _ = tokio::time::timeout(POLL_EVERY, async {
        loop {
            match cursor.wake.recv().await {
                Ok(t) if t == tenant => return,
                Ok(_) => continue,
                Err(broadcast::error::RecvError::Lagged(_)) => return,
                Err(broadcast::error::RecvError::Closed) => std::future::pending::<()>().await,
            }
        }
    })
    .await;
}

fn event_stream(cursor: Cursor) -> impl Stream<Item = Result<Event, Infallible>> {
    stream::try_unfold(cursor, |mut cursor| async move {
        loop {
            if let Some(event) = cursor.pending.pop_front() {
                return Ok(Some((event, cursor)));
            }
            if chrono::Utc::now().timestamp() >= cursor.claims.exp {
                // The token expired: the client reconnects with a fresh one and Last-Event-ID.
                return Ok(None);
            }
            if !cursor.first {
                wait(&mut cursor).await;
            }
            cursor.first = false;
            match read(&mut cursor).await {
                Ok(true) => {}
                Ok(false) => return Ok(None),
                Err(e) => {
                    tracing::warn!(error = %e, "event stream read failed; the client reconnects with Last-Event-ID");
                    return Ok(None);
                }
            }
        }
    })
}

/// Server-Sent Events of what the caller may see: proposals filed, reviewed, approved or
/// rejected; policies changing state; payments and reversals. Each event's `id` is its
/// sequence (send it back as `Last-Event-ID` to resume: events are kept a day), its `event`
/// the kind (`proposal.approved`), its `data` JSON `{id, kind, entity, row_id, branch_id, at,
/// data}`. The stream ends when the access token expires or the session is revoked.
#[utoipa::path(get, path = "/events", tag = "events",
    params(("Last-Event-ID" = Option<i64>, Header, description = "resume after this event")),
    responses((status = 200, description = "text/event-stream of the caller's events"),
              (status = 400, description = "malformed Last-Event-ID", body = crate::error::ErrorBody),
              (status = 401, description = "no or invalid token", body = crate::error::ErrorBody),
              (status = 403, description = "outside the tenant's allowed networks", body = crate::error::ErrorBody)),
    security(("bearer" = [])))]
async fn events(
    State(state): State<AppState>,
    AuthUser(claims): AuthUser,
    headers: HeaderMap,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
    let wake = state.events.subscribe();
    let last = match last_event_id(&headers)? {
        Some(id) => id,
        None => state.db.get().await?.query_one("SELECT core.events_head()", &[]).await?.get(0),
    };
    let cursor = Cursor { state, claims, wake, last, sent: BTreeSet::new(), pending: Default::default(), first: true, _open: crate::metrics::StreamOpen::new() };
    Ok(Sse::new(event_stream(cursor)).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payloads_are_tenant_and_sequence_or_ignored() {
        let t = "00000000-0000-4000-8000-000000000003";
        assert_eq!(parse_payload(&format!("{t}:42")).map(|(a, b)| (a.to_string(), b)), Some((t.into(), 42)));
        for bad in ["", ":", &format!("{t}:"), &format!("{t}:-1"), &format!("{t}:x"), "x:1"] {
            assert_eq!(parse_payload(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn last_event_id_is_a_sequence_or_refused() {
        let mut h = HeaderMap::new();
        assert_eq!(last_event_id(&h).unwrap(), None);
        h.insert("last-event-id", "17".parse().unwrap());
        assert_eq!(last_event_id(&h).unwrap(), Some(17));
        h.insert("last-event-id", "abc".parse().unwrap());
        assert!(last_event_id(&h).is_err());
    }
}
