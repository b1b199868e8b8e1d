//! Transport for evidence and streams: attaching files to a case, downloading
//! them, the platform's answer to a preservation request, and stream sessions
//! and API keys reported by platform staff. Thin: rules and storage live in
//! `redline-rules` and `redline-store`.
use crate::forms::{actor, back_with_errors, is_zh, see_other};
use crate::parse::{self, Errors, Fields};
use crate::security::Web;
use crate::AppState;
use axum::extract::{Multipart, Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;
use redline_rules::case::Role;
use redline_store::case::evidence::{self, Description};
use redline_store::case::preservation::{self, Answerer};
use redline_store::{streams, StoreError};

type Pairs = Form<Vec<(String, String)>>;

/// A message for files refused before they reach the vault, if any.
pub fn upload_problem(too_large: &[String], broken: bool, st: &AppState, zh: bool) -> Option<String> {
    let mib = st.vault.limits.max_file >> 20;
    if let Some(name) = too_large.first() {
        let name = redline_rules::evidence::display_name(name);
        return Some(if zh {
            format!("「{name}」超过单个文件 {mib} MiB 的上限")
        } else {
            format!("\"{name}\" is larger than the {mib} MiB per-file limit")
        });
    }
    broken.then(|| {
        if zh {
            format!("上传未完成：文件过大（单个不超过 {mib} MiB）或连接中断，请重试")
        } else {
            format!("The upload did not complete: files too large (up to {mib} MiB each) or the connection broke")
        }
    })
}

/// `POST /do/cases/{case_no}/evidence`: a party attaches files, with an
/// optional note and the stream clip they show.
pub async fn attach(
    State(st): State<AppState>,
    web: Web,
    Path(case_no): Path<String>,
    headers: HeaderMap,
    mp: Multipart,
) -> Response {
    let s = &st.store;
    let Some(a) = actor(s, &headers).await else { return see_other("/login") };
    let zh = is_zh(&headers, Some(&a));
    let posted = crate::upload::read(mp, &st.vault, &st.keys, &web, crate::upload::Files::Keep).await;
    if posted.forged {
        return crate::security::forged_form(&headers);
    }
    let f = posted.fields;
    let back = format!("/cases/{case_no}#evidence");
    let form = format!("evidence:{case_no}");
    let mut e = Errors::default();
    let clip = parse::stream::clip(&f, &mut e);
    let note = parse::stream::note(&f, &mut e);
    let role = f.get("role").parse::<Role>().ok();
    if role.is_none() {
        e.add("form", "未知的操作身份", "Unknown acting role");
    }
    if posted.files.is_empty() && posted.too_large.is_empty() && !posted.broken {
        e.add("files", "请选择要上传的文件", "Choose a file to upload");
    }
    let mut errs = e.localized_with_summary(zh);
    if let Some(msg) = upload_problem(&posted.too_large, posted.broken, &st, zh) {
        errs.insert("files".into(), msg);
    }
    if !errs.is_empty() {
        return back_with_errors(s, &web, &form, &back, &f, errs).await;
    }
    let desc = Description { note, clip };
    match evidence::attach(s, &st.vault, &case_no, &a, role.unwrap(), posted.files, desc).await {
        Ok(_) => see_other(&back),
        Err(err) => {
            let field =
                if matches!(err, redline_store::vault::intake::EvidenceError::File(..)) { "files" } else { "form" };
            back_with_errors(s, &web, &form, &back, &f, [(field.to_owned(), err.localized(zh))].into()).await
        }
    }
}

fn attachment_name(name: &str) -> String {
    // RFC 6266 / 5987: an ASCII fallback plus the UTF-8 name, percent-encoded.
    let ascii: String =
        name.chars().map(|c| if c.is_ascii_alphanumeric() || ".-_".contains(c) { c } else { '_' }).collect();
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b".-_".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!("filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

/// A stored file as a response: its sniffed type, never rendered as something
/// else (`nosniff`, sandbox CSP), not cached, a download unless `inline`.
pub fn file_response(bytes: Vec<u8>, mime: &str, name: &str, inline: bool) -> Response {
    let disposition = if inline { "inline" } else { "attachment" };
    let mut r = bytes.into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(mime).unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("{disposition}; {}", attachment_name(name))) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("default-src 'none'; sandbox"));
    r
}

async fn serve(st: AppState, headers: HeaderMap, id: i64, original: bool) -> Response {
    let s = &st.store;
    let Some(a) = actor(s, &headers).await else { return StatusCode::UNAUTHORIZED.into_response() };
    let zh = is_zh(&headers, Some(&a));
    match evidence::open(s, &st.vault, &a, id, original).await {
        Ok(d) => {
            let name = redline_rules::evidence::download_name(&d.item.file_name, &d.mime);
            let mut r = file_response(d.bytes, &d.mime, &name, d.inline);
            if let Ok(v) = HeaderValue::from_str(&d.item.sha256) {
                r.headers_mut().insert("x-evidence-sha256", v);
            }
            r
        }
        // What the viewer may not see answers as if it did not exist.
        Err(StoreError::Forbidden | StoreError::NotFound) => {
            (StatusCode::NOT_FOUND, StoreError::NotFound.localized(zh)).into_response()
        }
        Err(e) => (StatusCode::SERVICE_UNAVAILABLE, e.localized(zh)).into_response(),
    }
}

/// `GET /evidence/{id}`: an image's metadata-free copy, or the file itself.
pub async fn download(State(st): State<AppState>, Path(id): Path<i64>, headers: HeaderMap) -> Response {
    serve(st, headers, id, false).await
}

/// `GET /evidence/{id}/original`: the file exactly as uploaded, as a download.
pub async fn download_original(State(st): State<AppState>, Path(id): Path<i64>, headers: HeaderMap) -> Response {
    serve(st, headers, id, true).await
}

/// `POST /do/cases/{case_no}/preservation`: platform staff confirm or decline.
pub async fn answer_preservation(
    State(st): State<AppState>,
    web: Web,
    Path(case_no): Path<String>,
    headers: HeaderMap,
    Form(pairs): Pairs,
) -> Response {
    let s = &st.store;
    let Some(a) = actor(s, &headers).await else { return see_other("/login") };
    let zh = is_zh(&headers, Some(&a));
    let f = Fields::from_pairs(pairs);
    let back = format!("/cases/{case_no}");
    let form = format!("preservation:{case_no}");
    let answer = match parse::stream::preservation(
        f.get("decision"),
        f.get("replay_ref"),
        f.get("retain_until"),
        f.get("reason"),
    ) {
        Ok(x) => x,
        Err(e) => return back_with_errors(s, &web, &form, &back, &f, e.localized_with_summary(zh)).await,
    };
    match preservation::answer(s, &case_no, Answerer::Staff(&a), answer).await {
        Ok(_) => see_other(&back),
        Err(e) => back_with_errors(s, &web, &form, &back, &f, [("form".to_owned(), e.localized(zh))].into()).await,
    }
}

/// `POST /do/platforms/{id}/sessions`: platform staff report a session.
pub async fn report_session(
    State(st): State<AppState>,
    web: Web,
    Path(platform_id): Path<i64>,
    headers: HeaderMap,
    Form(pairs): Pairs,
) -> Response {
    let s = &st.store;
    let Some(a) = actor(s, &headers).await else { return see_other("/login") };
    let zh = is_zh(&headers, Some(&a));
    let f = Fields::from_pairs(pairs);
    let back = "/platform/sessions";
    if !a.platform_ids.contains(&platform_id) {
        let msg = StoreError::Forbidden.localized(zh);
        return back_with_errors(s, &web, "sessions", back, &f, [("form".to_owned(), msg)].into()).await;
    }
    let report = match parse::stream::session_form(&f) {
        Ok(r) => r,
        Err(e) => return back_with_errors(s, &web, "sessions", back, &f, e.localized_with_summary(zh)).await,
    };
    match streams::report_session(s, platform_id, &report, "staff").await {
        Ok(_) => see_other(back),
        Err(e) => {
            let (k, msg) = session_error(&e, zh);
            back_with_errors(s, &web, "sessions", back, &f, [(k.to_owned(), msg)].into()).await
        }
    }
}

pub fn session_error(e: &StoreError, zh: bool) -> (&'static str, String) {
    match e {
        StoreError::Invalid(m) if m == "room" => (
            "room",
            if zh { "本平台没有这个直播间ID" } else { "No live room with this ID on this platform" }.to_owned(),
        ),
        other => ("form", other.localized(zh)),
    }
}

/// `POST /do/platforms/{id}/apikey`: issues an API key, shown once.
pub async fn issue_key(
    State(st): State<AppState>,
    web: Web,
    Path(platform_id): Path<i64>,
    headers: HeaderMap,
) -> Response {
    let s = &st.store;
    let Some(a) = actor(s, &headers).await else { return see_other("/login") };
    let zh = is_zh(&headers, Some(&a));
    let f = Fields::default();
    match streams::issue_api_key(s, &a, platform_id).await {
        Ok(key) => {
            // The key travels through the one-time form flash: shown once, then gone.
            let mut f = Fields::default();
            f.0.insert("new_key".into(), vec![key]);
            back_with_errors(s, &web, "apikey", "/platform/sessions", &f, Default::default()).await
        }
        Err(e) => {
            back_with_errors(s, &web, "apikey", "/platform/sessions", &f, [("form".to_owned(), e.localized(zh))].into())
                .await
        }
    }
}

#[derive(serde::Deserialize)]
pub struct RoomQuery {
    platform: Option<i64>,
    room: Option<String>,
}

/// `GET /rooms/find?platform=&room=`: from the complaint form to the room's page,
/// where the consumer picks the session and product.
pub async fn find_room(
    State(st): State<AppState>,
    web: Web,
    headers: HeaderMap,
    axum::extract::Query(q): axum::extract::Query<RoomQuery>,
) -> Response {
    let s = &st.store;
    let room = q.room.unwrap_or_default();
    let found = match q.platform {
        Some(p) if !room.trim().is_empty() => redline_store::streams::find_room(&s.db, p, &room).await.ok().flatten(),
        _ => None,
    };
    match found {
        Some(r) => see_other(&format!("/rooms/{}", r.id)),
        None => {
            let a = actor(s, &headers).await;
            let zh = is_zh(&headers, a.as_ref());
            let f = Fields::from_pairs(vec![
                ("platform".into(), q.platform.map(|p| p.to_string()).unwrap_or_default()),
                ("room".into(), room),
            ]);
            let msg = if zh { "在该平台上未找到此直播间" } else { "No such live room on this platform" };
            back_with_errors(s, &web, "complaint", "/me/new", &f, [("room".to_owned(), msg.to_owned())].into()).await
        }
    }
}
