//! Transport for tips (举报) and notifications: the public tip form and status
//! lookup (rate-limited per address and per receipt, without third-party
//! services), the staff answers, and marking notifications read. Thin: the
//! rules and storage are in `redline-rules` and `redline-store`.
use crate::forms::{actor, back_with_errors, is_zh, see_other};
use crate::parse::{self, Fields};
use crate::security::Web;
use crate::upload::Files;
use crate::AppState;
use axum::extract::{Multipart, Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::Form;
use redline_store::tip::filing::{file_tip, TipError};
use redline_store::tip::handling;
use redline_store::tip::reporter::receipt_hash;
use redline_store::tip::views::{open_evidence, status_by_receipt};

type Pairs = Form<Vec<(String, String)>>;

pub(crate) fn throttled(zh: bool, wait: chrono::Duration) -> String {
    let mins = (wait.num_seconds() + 59) / 60;
    if zh {
        format!("提交过于频繁，请约 {mins} 分钟后再试。您填写的内容已保留。")
    } else {
        format!("Too many attempts from here; please try again in about {mins} minutes. What you typed is kept.")
    }
}

/// `POST /do/tips`: anyone, no account needed.
pub async fn file(State(st): State<AppState>, web: Web, headers: HeaderMap, mp: Multipart) -> Response {
    let s = &st.store;
    let a = actor(s, &headers).await;
    let zh = is_zh(&headers, a.as_ref());
    let back = "/tips/new";
    // The limit is counted before the body is read: a throttled post's files
    // are drained unread, its typed text kept for the form.
    let hit = redline_store::web::ratelimit::hit(
        s,
        &format!("tip:{}", web.client),
        st.config.tip_limit,
        chrono::Duration::hours(1),
    )
    .await;
    let files = if matches!(hit, Ok(Ok(()))) { Files::Keep } else { Files::Drain };
    let posted = crate::upload::read(mp, &st.vault, &st.keys, &web, files).await;
    if posted.forged {
        return crate::security::forged_form(&headers);
    }
    let f = posted.fields;
    match hit {
        Ok(Ok(())) => {}
        Ok(Err(wait)) => {
            return back_with_errors(s, &web, "tip", back, &f, [("form".to_owned(), throttled(zh, wait))].into()).await
        }
        Err(e) => {
            return back_with_errors(s, &web, "tip", back, &f, [("form".to_owned(), e.localized(zh))].into()).await
        }
    }
    let input = parse::tip::tip(&f, zh);
    let mut errs = match &input {
        Ok(_) => Default::default(),
        Err(e) => e.localized_with_summary(zh),
    };
    if let Some(msg) = crate::evidence::upload_problem(&posted.too_large, posted.broken, &st, zh) {
        errs.insert("evidence".into(), msg);
    }
    if posted.files.len() > 5 {
        errs.insert("evidence".into(), if zh { "最多上传5个文件" } else { "At most 5 files" }.into());
    }
    if !errs.is_empty() {
        return back_with_errors(s, &web, "tip", back, &f, errs).await;
    }
    let mut stored = Vec::new();
    for up in posted.files {
        match redline_store::vault::intake::store_file(s, &st.vault, up).await {
            Ok(x) => stored.push(x),
            Err(e) => {
                return back_with_errors(s, &web, "tip", back, &f, [("evidence".to_owned(), e.localized(zh))].into())
                    .await
            }
        }
    }
    match file_tip(s, a.as_ref(), input.unwrap(), &stored).await {
        Ok(filed) => {
            // The receipt is shown once, through the one-time form values.
            let mut shown = Fields::default();
            shown.0.insert("receipt".into(), vec![filed.receipt]);
            shown.0.insert("tip_no".into(), vec![filed.tip.tip_no]);
            shown.0.insert("repeat".into(), vec![format!("{:?}", filed.repeat)]);
            back_with_errors(s, &web, "tipfiled", "/tips/filed", &shown, Default::default()).await
        }
        Err(TipError::Field(k, z, en)) => {
            back_with_errors(s, &web, "tip", back, &f, [(k.to_owned(), if zh { z } else { en }.to_owned())].into())
                .await
        }
        Err(TipError::Store(e)) => {
            tracing::error!(error = %e, "tip filing failed");
            back_with_errors(s, &web, "tip", back, &f, [("form".to_owned(), e.localized(zh))].into()).await
        }
    }
}

/// `POST /do/tips/status`: looks a receipt up (never in a URL, so it stays out
/// of logs and browser history); limited per address and per receipt.
pub async fn status(State(st): State<AppState>, web: Web, headers: HeaderMap, Form(pairs): Pairs) -> Response {
    let s = &st.store;
    let zh = is_zh(&headers, None);
    let f = Fields::from_pairs(pairs);
    let receipt = f.get("receipt").to_owned();
    let back = "/tips/status";
    let ip = web.client.clone();
    let hour = chrono::Duration::hours(1);
    for key in [format!("lookup:{ip}"), format!("receipt:{}", receipt_hash(&receipt))] {
        match redline_store::web::ratelimit::hit(s, &key, st.config.lookup_limit, hour).await {
            Ok(Ok(())) => {}
            Ok(Err(wait)) => {
                return back_with_errors(
                    s,
                    &web,
                    "tipstatus",
                    back,
                    &f,
                    [("form".to_owned(), throttled(zh, wait))].into(),
                )
                .await
            }
            Err(e) => {
                return back_with_errors(s, &web, "tipstatus", back, &f, [("form".to_owned(), e.localized(zh))].into())
                    .await
            }
        }
    }
    let errs = match status_by_receipt(s, &receipt).await {
        Ok(Some(_)) => Default::default(),
        Ok(None) => [(
            "receipt".to_owned(),
            if zh { "未找到该回执码对应的举报" } else { "No tip has this receipt code" }.to_owned(),
        )]
        .into(),
        Err(e) => [("form".to_owned(), e.localized(zh))].into(),
    };
    back_with_errors(s, &web, "tipstatus", back, &f, errs).await
}

/// `POST /do/staff/tips/{tip_no}/platform`: a measure (Order 117 Art. 12) or no action.
pub async fn platform_answer(
    State(st): State<AppState>,
    web: Web,
    Path(tip_no): Path<String>,
    headers: HeaderMap,
    Form(pairs): Pairs,
) -> Response {
    let s = &st.store;
    let Some(a) = actor(s, &headers).await else { return see_other("/login") };
    let zh = is_zh(&headers, Some(&a));
    let f = Fields::from_pairs(pairs);
    let back = format!("/staff/tips/{tip_no}");
    let form = format!("tip:{tip_no}");
    let ans = match parse::tip::platform_answer(&f) {
        Ok(x) => x,
        Err(e) => return back_with_errors(s, &web, &form, &back, &f, e.localized_with_summary(zh)).await,
    };
    match handling::platform_answer(s, &a, &tip_no, ans).await {
        Ok(()) => see_other(&back),
        Err(err) => back_with_errors(s, &web, &form, &back, &f, [("form".to_owned(), err.localized(zh))].into()).await,
    }
}

/// `POST /do/staff/tips/{tip_no}/regulator`: extend D9, file a case, not file, decide.
pub async fn regulator_act(
    State(st): State<AppState>,
    web: Web,
    Path(tip_no): Path<String>,
    headers: HeaderMap,
    Form(pairs): Pairs,
) -> Response {
    let s = &st.store;
    let Some(a) = actor(s, &headers).await else { return see_other("/login") };
    let zh = is_zh(&headers, Some(&a));
    let f = Fields::from_pairs(pairs);
    let back = format!("/staff/tips/{tip_no}");
    let form = format!("tip:{tip_no}");
    let act = match parse::tip::regulator_act(&f) {
        Ok(x) => x,
        Err(e) => return back_with_errors(s, &web, &form, &back, &f, e.localized_with_summary(zh)).await,
    };
    match handling::regulator_act(s, &a, &tip_no, act).await {
        Ok(()) => see_other(&back),
        Err(err) => back_with_errors(s, &web, &form, &back, &f, [("form".to_owned(), err.localized(zh))].into()).await,
    }
}

/// `POST /do/notifications/read`: one (`id`) or all.
pub async fn mark_read(State(st): State<AppState>, headers: HeaderMap, Form(pairs): Pairs) -> Response {
    let s = &st.store;
    let Some(a) = actor(s, &headers).await else { return see_other("/login") };
    let f = Fields::from_pairs(pairs);
    let id = f.get("id").parse::<i64>().ok();
    if let Err(e) = redline_store::notices::mark_read(s, a.user_id, id).await {
        tracing::warn!(error = %e, "mark read failed");
    }
    see_other("/notifications")
}

/// `POST /do/notifications/mode`: immediate emails or a daily digest.
pub async fn set_mode(State(st): State<AppState>, headers: HeaderMap, Form(pairs): Pairs) -> Response {
    let s = &st.store;
    let Some(a) = actor(s, &headers).await else { return see_other("/login") };
    let f = Fields::from_pairs(pairs);
    let _ = redline_store::notices::set_mode(s, a.user_id, f.get("mode")).await;
    see_other("/notifications")
}

/// `GET /staff/tip-evidence/{id}`: a reporter's file, for the handling agency only.
pub async fn evidence(State(st): State<AppState>, Path(id): Path<i64>, headers: HeaderMap) -> Response {
    use axum::http::StatusCode;
    use axum::response::IntoResponse;
    let s = &st.store;
    let Some(a) = actor(s, &headers).await else { return StatusCode::UNAUTHORIZED.into_response() };
    let zh = is_zh(&headers, Some(&a));
    match open_evidence(s, &st.vault, &a, id).await {
        Ok((e, bytes)) => {
            let name = redline_rules::evidence::download_name(&e.file_name, &e.mime);
            crate::evidence::file_response(bytes, &e.mime, &name, false)
        }
        // What the viewer may not see answers as if it did not exist.
        Err(redline_store::StoreError::Forbidden | redline_store::StoreError::NotFound) => {
            (StatusCode::NOT_FOUND, redline_store::StoreError::NotFound.localized(zh)).into_response()
        }
        Err(e) => (StatusCode::SERVICE_UNAVAILABLE, e.localized(zh)).into_response(),
    }
}
