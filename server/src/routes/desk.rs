//! The monitoring desk's downloads: `GET /desk.csv` (its table, weeks or
//! categories, as the page shows them) and `GET /platform.csv`,
//! `GET /regulator.csv` (a work list with a desk figure's narrowing, every
//! page of it, streamed a keyset page at a time). UTF-8 with BOM for Excel.
use crate::web::csv;
use crate::web::extract::{SignedIn, SignedInOr401};
use crate::AppState;
use axum::body::{Body, Bytes};
use axum::extract::{Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use redline_rules::Lang;
use redline_store::actor::Actor;
use redline_store::case::queries::{self, Cursor, Filter, Queue, Tab};
use std::collections::HashMap;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/desk.csv", get(desk_csv))
        .route("/platform.csv", get(platform_csv))
        .route("/regulator.csv", get(regulator_csv))
}

fn download(body: Body, name: &str) -> Response {
    let mut r = ([(header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"))], body).into_response();
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        r.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    r
}

fn refused(status: StatusCode, msg: String) -> Response {
    (status, msg).into_response()
}

async fn desk_csv(
    State(st): State<AppState>,
    who: SignedInOr401,
    Query(p): Query<HashMap<String, String>>,
) -> Response {
    let SignedInOr401(SignedIn { actor, lang }) = who;
    let id = |k: &str| p.get(k).and_then(|v| v.parse::<i64>().ok());
    let page = match app::api::desk_page(
        &st.store,
        &actor,
        lang,
        p.get("period").cloned(),
        p.get("by").cloned(),
        id("platform"),
        id("operator"),
    )
    .await
    {
        Ok(Ok(d)) => d,
        Ok(Err(r)) => return refused(StatusCode::FORBIDDEN, r.message),
        Err(e) => {
            tracing::error!(error = %e, "desk export failed");
            return refused(
                StatusCode::INTERNAL_SERVER_ERROR,
                lang.t("导出失败，请稍后再试", "The export failed; please retry").to_owned(),
            );
        }
    };
    let zh = lang.is_zh();
    let t = |a: &str, b: &str| csv::text(if zh { a } else { b });
    let mut out = String::from(csv::BOM);
    let table = p.get("table").map(String::as_str).unwrap_or("lines");
    match table {
        "weeks" => {
            out += &csv::line(&[
                t("周（起始日）", "week of"),
                t("仅经营者处理", "operator only"),
                t("转平台处理", "reached platform"),
                t("提交市场监管", "reached market supervision"),
            ]);
            let first = chrono::NaiveDate::parse_from_str(&page.since, "%Y-%m-%d").ok();
            for (i, (_, n)) in page.weeks.iter().enumerate() {
                let monday = first.map(|f| (f + chrono::Duration::weeks(i as i64)).to_string()).unwrap_or_default();
                out += &csv::line(&[csv::text(&monday), csv::number(n[0]), csv::number(n[1]), csv::number(n[2])]);
            }
        }
        "categories" => {
            out += &csv::line(&[t("类别", "category"), t("件数", "cases")]);
            for (c, n) in &page.categories {
                out += &csv::line(&[csv::text(c), csv::number(n)]);
            }
        }
        _ => {
            let by = redline_rules::desk::By::parse(&page.by).unwrap_or_default();
            out += &csv::line(&[
                t("编号", "id"),
                csv::text(by.label(zh)),
                t("收到", "received"),
                t("未办结·经营者", "open: operator"),
                t("未办结·平台", "open: platform"),
                t("未办结·监管", "open: regulator"),
                t("按时率%·首次答复", "in time %: first answer"),
                t("逾期·首次答复", "late: first answer"),
                t("按时率%·平台处理", "in time %: platform"),
                t("逾期·平台处理", "late: platform"),
                t("按时率%·受理", "in time %: acceptance"),
                t("逾期·受理", "late: acceptance"),
                t("按时率%·调解", "in time %: mediation"),
                t("逾期·调解", "late: mediation"),
                t("已解决", "resolved"),
                t("解决率%", "resolved %"),
                t("办理天数中位数", "median working days"),
                t("提交监管", "escalated"),
                t("提交监管比例%", "escalated %"),
            ]);
            for l in page.lines.iter().chain(std::iter::once(&page.total)) {
                let mut cells = vec![
                    if l.id == 0 { String::new() } else { csv::number(l.id) },
                    csv::text(&l.name),
                    csv::number(l.tally.received),
                ];
                let t = &l.tally;
                let pct = |p: Option<i64>| p.map(csv::number).unwrap_or_default();
                cells.extend(t.open.iter().map(csv::number));
                for k in t.kept {
                    cells.push(pct(k.rate()));
                    cells.push(csv::number(k.late()));
                }
                cells.push(csv::number(t.resolved));
                cells.push(pct(t.resolution_rate()));
                cells.push(l.median_days.map(csv::number).unwrap_or_default());
                cells.push(csv::number(t.to_regulator));
                cells.push(pct(t.escalation_rate()));
                out += &csv::line(&cells);
            }
        }
    }
    download(
        Body::from(out),
        &format!("desk-{}-{}.csv", page.period, table.replace(|c: char| !c.is_ascii_alphanumeric(), "")),
    )
}

async fn platform_csv(st: State<AppState>, who: SignedInOr401, q: Query<HashMap<String, String>>) -> Response {
    queue_csv(st, who, q, Queue::Platform).await
}

async fn regulator_csv(st: State<AppState>, who: SignedInOr401, q: Query<HashMap<String, String>>) -> Response {
    queue_csv(st, who, q, Queue::Regulator).await
}

/// Rows a page of the walk reads; memory stays flat however long the list.
const PAGE: u64 = 500;

struct Walk {
    st: AppState,
    actor: Actor,
    queue: Queue,
    filter: Filter,
    lang: Lang,
    after: Option<Cursor>,
    started: bool,
    done: bool,
}

async fn next_chunk(mut w: Walk) -> Option<(Result<Bytes, std::io::Error>, Walk)> {
    if w.done {
        return None;
    }
    let zh = w.lang.is_zh();
    let t = |a: &str, b: &str| csv::text(if zh { a } else { b });
    let mut out = String::new();
    if !w.started {
        w.started = true;
        out.push(csv::BOM);
        out += &csv::line(&[
            t("案件编号", "case"),
            t("状态", "state"),
            t("平台", "platform"),
            t("直播间", "room"),
            t("商品", "product"),
            t("金额（元）", "amount (yuan)"),
            t("投诉日期", "filed on"),
            t("下一时限", "next due"),
        ]);
    }
    match queries::filtered_queue(&w.st.store, &w.actor, w.queue, &w.filter, w.after, PAGE).await {
        Ok(page) => {
            for r in &page.rows {
                let state = r
                    .case
                    .state
                    .parse::<redline_rules::case::CaseState>()
                    .map(|s| if zh { s.label_zh() } else { s.label_en() })
                    .unwrap_or("");
                let due = (r.case.next_due_on != redline_store::case::clocks::no_due())
                    .then(|| r.case.next_due_on.to_string());
                out += &csv::line(&[
                    csv::text(&r.case.case_no),
                    csv::text(state),
                    csv::text(if zh { &r.platform.name } else { &r.platform.name_en }),
                    csv::text(&r.room.display_name),
                    csv::text(&r.case.product_name),
                    format!("{}.{:02}", r.case.amount_fen / 100, r.case.amount_fen % 100),
                    csv::text(&redline_store::time::china_date(r.case.created_at).to_string()),
                    due.map(|d| csv::text(&d)).unwrap_or_default(),
                ]);
            }
            w.after = page.next;
            w.done = page.next.is_none();
            Some((Ok(Bytes::from(out)), w))
        }
        Err(e) => {
            tracing::error!(error = %e, "queue export stopped");
            w.done = true;
            Some((Err(std::io::Error::other("export failed")), w))
        }
    }
}

async fn queue_csv(
    State(st): State<AppState>,
    who: SignedInOr401,
    Query(p): Query<HashMap<String, String>>,
    queue: Queue,
) -> Response {
    let SignedInOr401(SignedIn { actor, lang }) = who;
    let allowed = match queue {
        Queue::Platform => !actor.platform_ids.is_empty(),
        Queue::Regulator => !actor.agency_ids.is_empty(),
        _ => false,
    };
    if !allowed {
        return refused(StatusCode::FORBIDDEN, lang.t("无权查看此队列", "You may not see this queue").to_owned());
    }
    let figure_query: Vec<String> = p.iter().map(|(k, v)| format!("{k}={v}")).collect();
    let (figure, _) = app::api::parse_figure(&figure_query.join("&"));
    let tab = p.get("tab").and_then(|t| Tab::parse(t)).unwrap_or(Tab::All);
    let filter = Filter { tab, figure, ..Filter::default() };
    let walk = Walk { st, actor, queue, filter, lang, after: None, started: false, done: false };
    let body = Body::from_stream(futures_util::StreamExt::fuse(futures_util::stream::unfold(walk, next_chunk)));
    download(body, "cases.csv")
}
