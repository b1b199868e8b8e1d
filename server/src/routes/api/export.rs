//! `GET /api/v1/cases/export.csv` and `.jsonl`: every case the key may see,
//! with the list's filters, streamed a keyset page at a time, so memory stays
//! flat however many cases there are. The CSV opens in Excel (UTF-8 with BOM).
use super::cases::{filter_of, summary, ListQuery};
use super::query_error;
use super::schema::ErrorBody;
use crate::web::api_error::ApiError;
use crate::web::api_key::ApiKey;
use crate::web::csv;
use crate::AppState;
use axum::body::{Body, Bytes};
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use redline_store::api::cases::{self as api_cases, CaseFilter, Cursor};
use redline_store::api::keys::{ApiCaller, Scope};
use serde::Deserialize;
use serde_json::Value;
use utoipa::IntoParams;
use utoipa_axum::{router::OpenApiRouter, routes};

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(export_csv)).routes(routes!(export_jsonl))
}

/// The list's filters; an export has no pages.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct ExportQuery {
    #[param(schema_with = super::schema::case_state_name)]
    state: Option<String>,
    #[param(value_type = Option<super::schema::TierName>, inline)]
    tier: Option<String>,
    #[param(value_type = Option<bool>)]
    overdue: Option<String>,
    #[param(value_type = Option<i64>, minimum = 1)]
    room: Option<String>,
    #[param(value_type = Option<String>, format = DateTime)]
    updated_since: Option<String>,
}

type Q = Result<Query<ExportQuery>, axum::extract::rejection::QueryRejection>;

/// Every case the key may see, with the list's filters: CSV for Excel (UTF-8 with BOM).
#[utoipa::path(get, path = "/api/v1/cases/export.csv", tag = "cases", params(ExportQuery),
    responses((status = 429, body = ErrorBody), (status = 200, content_type = "text/csv", body = String), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("api_key" = ["cases:read"])))]
async fn export_csv(st: State<AppState>, key: ApiKey, q: Q) -> Result<Response, ApiError> {
    export(st, key, Format::Csv, q).await
}

/// The same as one JSON object per line.
#[utoipa::path(get, path = "/api/v1/cases/export.jsonl", tag = "cases", params(ExportQuery),
    responses((status = 429, body = ErrorBody), (status = 200, content_type = "application/x-ndjson", body = String), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("api_key" = ["cases:read"])))]
async fn export_jsonl(st: State<AppState>, key: ApiKey, q: Q) -> Result<Response, ApiError> {
    export(st, key, Format::Jsonl, q).await
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

/// A CSV field (`web::csv`): numbers as numbers, everything else as text.
fn csv_field(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => csv::text(s),
        Value::Number(n) => csv::number(n),
        other => csv::text(&other.to_string()),
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
            out.push(csv::BOM);
            out.push_str(&COLUMNS.join(","));
            out.push_str("\r\n");
        }
    }
    match api_cases::list(&w.st.store, &w.caller, &w.filter, w.after, PAGE, false).await {
        Ok(page) => {
            let today = w.st.store.today();
            for (c, room) in &page.rows {
                let row = serde_json::to_value(summary(c, room, today)).unwrap_or_default();
                out.push_str(&line(w.format, &row));
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

async fn export(State(st): State<AppState>, key: ApiKey, format: Format, q: Q) -> Result<Response, ApiError> {
    let caller = key.with(Scope::CasesRead)?.clone();
    let Query(q) = q.map_err(|_| query_error("query", "查询参数格式不正确", "malformed query"))?;
    let filter = filter_of(&ListQuery::filters(q.state, q.tier, q.overdue, q.room, q.updated_since))?;
    let walk = Walk { st, caller, filter, after: None, format, started: false, done: false };
    // Fused: the layers around the body may poll once more after its end.
    let body = Body::from_stream(futures_util::StreamExt::fuse(futures_util::stream::unfold(walk, next_chunk)));
    let (mime, name) = match format {
        Format::Csv => ("text/csv; charset=utf-8", "cases.csv"),
        Format::Jsonl => ("application/x-ndjson", "cases.jsonl"),
    };
    Ok((
        [
            (header::CONTENT_TYPE, mime.to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
        ],
        body,
    )
        .into_response())
}
