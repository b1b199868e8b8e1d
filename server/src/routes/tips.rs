//! Tips (举报): the public tip form and status lookup (rate-limited per address
//! and per receipt, without third-party services), the staff answers, and a
//! reporter's files for the handling agency.
use crate::parse::{self, Fields};
use crate::upload::{self, Posted};
use crate::web::extract::Web;
use crate::web::extract::{SignedIn, SignedInOr401, Visitor};
use crate::web::form_error::{keep_and_return, FormError, FormPage};
use crate::web::respond::{file_error, file_response, see_other, throttled, upload_problem};
use crate::web::security::forged_form;
use crate::AppState;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use redline_rules::field::FieldError;
use redline_store::tip::filing::file_tip;
use redline_store::tip::handling;
use redline_store::tip::reporter::receipt_hash;
use redline_store::tip::views::{open_evidence, status_by_receipt};
use redline_store::vault::intake::store_all;

pub fn routes(uploads: DefaultBodyLimit) -> Router<AppState> {
    Router::new()
        .route("/do/tips", post(file).layer(uploads))
        .route("/do/tips/status", post(status))
        .route("/do/staff/tips/{tip_no}/platform", post(platform_answer))
        .route("/do/staff/tips/{tip_no}/regulator", post(regulator_act))
        .route("/staff/tip-evidence/{id}", get(evidence))
}

/// Files one tip may carry.
const MAX_TIP_FILES: usize = 5;

/// `POST /do/tips`: anyone, no account needed.
async fn file(
    State(st): State<AppState>,
    web: Web,
    v: Visitor,
    headers: HeaderMap,
    mp: Multipart,
) -> Result<Response, FormError> {
    let s = &st.store;
    let key = format!("tip:{}", web.client);
    let (posted, allowed) = upload::read_counted(&st, &web, &key, st.config.tip_limit, mp).await;
    let Posted { fields: f, files, too_large, broken, forged } = posted;
    if forged {
        return Ok(forged_form(&headers));
    }
    let page = FormPage::new("tip", "/tips/new", v.lang).with_summary();
    allowed.map_err(|e| page.refuse(&f, e))?;
    let input = parse::tip::tip(&f, v.lang);
    let mut e = input.as_ref().err().cloned().unwrap_or_default();
    if let Some(p) = upload_problem(&too_large, broken, &st, "evidence") {
        e.push(p);
    }
    if files.len() > MAX_TIP_FILES {
        e.push(FieldError::new("evidence", "最多上传5个文件", "At most 5 files"));
    }
    e.into_result().map_err(|e| page.refuse(&f, e))?;
    let input = input.map_err(|e| page.refuse(&f, e))?;
    let stored = store_all(s, &st.vault, files).await.map_err(|e| page.refuse(&f, e.field_errors("evidence")))?;
    let filed = file_tip(s, v.actor.as_ref(), input, &stored).await.map_err(|e| page.refuse(&f, e))?;
    // The receipt is shown once, through the one-time form values.
    let shown = Fields::from_pairs(vec![
        ("receipt".into(), filed.receipt),
        ("tip_no".into(), filed.tip.tip_no),
        ("repeat".into(), format!("{:?}", filed.repeat)),
    ]);
    Ok(keep_and_return("tipfiled", "/tips/filed", &shown, Default::default()))
}

/// `POST /do/tips/status`: looks a receipt up (never in a URL, so it stays out
/// of logs and browser history); limited per address and per receipt.
async fn status(State(st): State<AppState>, web: Web, v: Visitor, f: Fields) -> Result<Response, FormError> {
    let s = &st.store;
    let page = FormPage::new("tipstatus", "/tips/status", v.lang);
    let receipt = f.get("receipt").to_owned();
    let hour = chrono::Duration::hours(1);
    for key in [format!("lookup:{}", web.client), format!("receipt:{}", receipt_hash(&receipt))] {
        match redline_store::web::ratelimit::hit(s, &key, st.config.lookup_limit, hour).await {
            Ok(Ok(())) => {}
            Ok(Err(wait)) => return Err(page.refuse(&f, throttled(wait))),
            Err(e) => return Err(page.refuse(&f, e)),
        }
    }
    match status_by_receipt(s, &receipt).await {
        // Found: the status page shows it from the kept receipt.
        Ok(Some(_)) => Ok(keep_and_return("tipstatus", page.back(), &f, Default::default())),
        Ok(None) => {
            Err(page.refuse(&f, FieldError::new("receipt", "未找到该回执码对应的举报", "No tip has this receipt code")))
        }
        Err(e) => Err(page.refuse(&f, e)),
    }
}

/// `POST /do/staff/tips/{tip_no}/platform`: a measure (Order 117 Art. 12) or no action.
async fn platform_answer(
    State(st): State<AppState>,
    SignedIn { actor: a, lang }: SignedIn,
    Path(tip_no): Path<String>,
    f: Fields,
) -> Result<Response, FormError> {
    let page = FormPage::new(format!("tip:{tip_no}"), format!("/staff/tips/{tip_no}"), lang).with_summary();
    let ans = parse::tip::platform_answer(&f).map_err(|e| page.refuse(&f, e))?;
    handling::platform_answer(&st.store, &a, &tip_no, ans).await.map_err(|e| page.refuse(&f, e))?;
    Ok(see_other(page.back()))
}

/// `POST /do/staff/tips/{tip_no}/regulator`: extend D9, file a case, not file, decide.
async fn regulator_act(
    State(st): State<AppState>,
    SignedIn { actor: a, lang }: SignedIn,
    Path(tip_no): Path<String>,
    f: Fields,
) -> Result<Response, FormError> {
    let page = FormPage::new(format!("tip:{tip_no}"), format!("/staff/tips/{tip_no}"), lang).with_summary();
    let act = parse::tip::regulator_act(&f).map_err(|e| page.refuse(&f, e))?;
    handling::regulator_act(&st.store, &a, &tip_no, act).await.map_err(|e| page.refuse(&f, e))?;
    Ok(see_other(page.back()))
}

/// `GET /staff/tip-evidence/{id}`: a reporter's file, for the handling agency only.
async fn evidence(State(st): State<AppState>, who: SignedInOr401, Path(id): Path<i64>) -> Response {
    let SignedInOr401(SignedIn { actor: a, lang }) = who;
    match open_evidence(&st.store, &st.vault, &a, id).await {
        Ok((e, bytes)) => {
            let name = redline_rules::evidence::download_name(&e.file_name, &e.mime);
            file_response(bytes, &e.mime, &name, false)
        }
        Err(e) => file_error(e, lang),
    }
}
