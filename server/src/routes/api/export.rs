//! `GET /api/v1/cases/export.csv` and `.jsonl`: every case the key may see,
//! with the list's filters, streamed a keyset page at a time, so memory stays
//! flat however many cases there are. The CSV opens in Excel (UTF-8 with BOM).
use super::cases::{filter_of, summary, ListQuery};
use super::query_error;
use crate::web::api_error::ApiError;
use crate::web::api_key::ApiKey;
use crate::AppState;
use axum::body::{Body, Bytes};
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use redline_store::api::cases::{self as api_cases, CaseFilter, Cursor};
use redline_store::api::keys::{ApiCaller, Scope};
use serde_json::Value;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/cases/export.csv", get(|st, key, q| export(st, key, Format::Csv, q)))
        .route("/api/v1/cases/export.jsonl", get(|st, key, q| export(st, key, Format::Jsonl, q)))
}

const PAGE: u64 = 500;
const COLUMNS: [&str; 11] = [
    "case_no",
    "state",
    "tier",
    "room_id",
    "room_name",
    "respondent_kind",
    "product_name",
    "amount_fen",
    "next_due_on",
    "overdue",
    "updated_at",
];

#[derive(Clone, Copy, PartialEq)]
enum Format {
    Csv,
    Jsonl,
}

/// A CSV field: quoted when it must be, and never read as a formula by a
/// spreadsheet (a leading `=`, `+`, `-`, `@` is escaped with a quote mark).
fn csv_field(v: &Value) -> String {
    let s = match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) && !matches!(v, Value::Number(_)) {
        format!("'{s}")
    } else {
        s
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

fn line(format: Format, row: &Value) -> String {
    match format {
        Format::Jsonl => format!("{row}\n"),
        Format::Csv => {
            let cells: Vec<String> = COLUMNS
                .iter()
                .map(|c| match *c {
                    "room_id" => csv_field(&row["room"]["id"]),
                    "room_name" => csv_field(&row["room"]["name"]),
                    c => csv_field(&row[c]),
                })
                .collect();
            format!("{}\r\n", cells.join(","))
        }
    }
}

struct Walk {
    st: AppState,
    caller: ApiCaller,
    filter: CaseFilter,
    after: Option<Cursor>,
    format: Format,
    started: bool,
    done: bool,
}

async fn next_chunk(mut w: Walk) -> Option<(Result<Bytes, std::io::Error>, Walk)> {
    if w.done {
        return None;
    }
    let mut out = String::new();
    if !w.started {
        w.started = true;
        if w.format == Format::Csv {
            out.push('\u{feff}');
            out.push_str(&COLUMNS.join(","));
            out.push_str("\r\n");
        }
    }
    match api_cases::list(&w.st.store, &w.caller, &w.filter, w.after, PAGE, false).await {
        Ok(page) => {
            let today = w.st.store.today();
            for (c, room) in &page.rows {
                out.push_str(&line(w.format, &summary(c, room, today)));
            }
            w.after = page.next;
            w.done = page.next.is_none();
            Some((Ok(Bytes::from(out)), w))
        }
        // Headers are gone: the cut-off body tells the client it is incomplete.
        Err(e) => {
            tracing::error!(error = %e, "export stopped");
            w.done = true;
            Some((Err(std::io::Error::other("export failed")), w))
        }
    }
}

async fn export(
    State(st): State<AppState>,
    key: ApiKey,
    format: Format,
    q: Result<Query<ListQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    let caller = key.with(Scope::CasesRead)?.clone();
    let Query(q) = q.map_err(|_| query_error("query", "查询参数格式不正确", "malformed query"))?;
    let filter = filter_of(&q)?;
    let walk = Walk { st, caller, filter, after: None, format, started: false, done: false };
    let body = Body::from_stream(futures_util::stream::unfold(walk, next_chunk));
    let (mime, name) = match format {
        Format::Csv => ("text/csv; charset=utf-8", "cases.csv"),
        Format::Jsonl => ("application/x-ndjson", "cases.jsonl"),
    };
    Ok((
        [(header::CONTENT_TYPE, mime.to_owned()), (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\""))],
        body,
    )
        .into_response())
}
