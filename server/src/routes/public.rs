//! A room's public figures as data, for anyone and any cache:
//! `GET /rooms/{id}/public.json` — the last twelve months' counts of the room,
//! its operator and its platform (rates only from `rules::public::MIN_SAMPLE`
//! cases on), its recent cases without anyone's data, and the narratives
//! consumers chose to publish. An ETag of the content answers a repeated
//! request with 304; shared caches may keep it five minutes. (The HTML page
//! itself carries a fresh script nonce and is never stored.)
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use redline_rules::public::Counts;
use serde_json::json;
use sha2::{Digest, Sha256};

pub fn routes() -> Router<AppState> {
    Router::new().route("/rooms/{id}/public.json", get(room_json))
}

fn figures(c: &Counts) -> serde_json::Value {
    let shown = c.shown();
    let r = c.rates();
    json!({
        "received": if shown { json!(c.received) } else { json!(null) },
        "timely_pct": r.timely,
        "resolved_pct": r.resolved,
        "escalated_pct": r.escalated,
        "sample_too_small": !shown,
    })
}

async fn room_json(State(st): State<AppState>, Path(id): Path<i64>, headers: HeaderMap) -> Response {
    use sea_orm::EntityTrait;
    let store = &st.store;
    let body = async {
        let Some(room) = redline_store::entity::live_room::Entity::find_by_id(id).one(&store.read).await? else {
            return Ok(None);
        };
        let f = redline_store::public::figures(store, &room).await?;
        let cases = redline_store::public::room_cases(store, room.id, 20).await?;
        let mut listed = Vec::new();
        for c in cases {
            listed.push(json!({
                "filed_on": redline_store::time::china_date(c.created_at),
                "categories": c.categories()?,
                "state": c.state,
                "reached_market_supervision": c.agency_id.is_some(),
            }));
        }
        let narratives: Vec<_> = redline_store::narratives::published(store, room.id, 20)
            .await?
            .into_iter()
            .map(|(d, t)| json!({ "filed_on": d, "text": t }))
            .collect();
        Ok::<_, redline_store::StoreError>(Some(json!({
            "room": { "id": room.id, "name": room.display_name },
            "period_days": redline_rules::public::PERIOD_DAYS,
            "minimum_sample": redline_rules::public::MIN_SAMPLE,
            "counted_at": f.computed_at,
            "room_figures": figures(&f.room),
            "operator_figures": figures(&f.operator),
            "platform_figures": figures(&f.platform),
            "recent_cases": listed,
            "narratives": narratives,
        })))
    }
    .await;
    let body = match body {
        Ok(Some(b)) => b.to_string(),
        Ok(None) => return (StatusCode::NOT_FOUND, "no such live room").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "public room data failed");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    // Weak: the same content may travel compressed or not.
    let tag = format!("W/\"{}\"", hex::encode(&Sha256::digest(body.as_bytes())[..16]));
    let etag = HeaderValue::from_str(&tag).expect("hex is a header value");
    let cache = HeaderValue::from_static("public, max-age=300");
    let seen = headers.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()).is_some_and(|v| {
        v.split(',').any(|t| t.trim().trim_start_matches("W/") == tag.trim_start_matches("W/") || t.trim() == "*")
    });
    if seen {
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, etag), (header::CACHE_CONTROL, cache)]).into_response();
    }
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("application/json")),
            (header::ETAG, etag),
            (header::CACHE_CONTROL, cache),
        ],
        body,
    )
        .into_response()
}
