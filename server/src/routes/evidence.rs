//! Evidence on a case: attaching files, downloading them, and the platform's
//! answer to the replay preservation request (Order 117 Art. 16).
use crate::parse::{self, Errors, Fields};
use crate::upload::{self, Files, Posted};
use crate::web::extract::Web;
use crate::web::extract::{SignedIn, SignedInOr401};
use crate::web::form_error::{FormError, FormPage};
use crate::web::respond::{file_error, file_response, upload_problem};
use crate::web::security::forged_form;
use crate::AppState;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::{HeaderMap, HeaderValue};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use redline_rules::case::Role;
use redline_store::case::evidence::{self, Description};
use redline_store::case::preservation::{self, Answerer};

pub fn routes(uploads: DefaultBodyLimit) -> Router<AppState> {
    Router::new()
        .route("/do/cases/{case_no}/evidence", post(attach).layer(uploads))
        .route("/do/cases/{case_no}/preservation", post(answer_preservation))
        .route("/evidence/{id}", get(download))
        .route("/evidence/{id}/original", get(download_original))
}

/// `POST /do/cases/{case_no}/evidence`: a party attaches files, with an
/// optional note and the stream clip they show.
async fn attach(
    State(st): State<AppState>,
    web: Web,
    SignedIn { actor: a, lang }: SignedIn,
    Path(case_no): Path<String>,
    headers: HeaderMap,
    mp: Multipart,
) -> Result<Response, FormError> {
    let Posted { fields: f, files, too_large, broken, forged } =
        upload::read(mp, &st.vault, &st.keys, &web, Files::Keep).await;
    if forged {
        return Ok(forged_form(&headers));
    }
    let page = FormPage::new(format!("evidence:{case_no}"), format!("/cases/{case_no}#evidence"), lang).with_summary();
    let mut e = Errors::default();
    let clip = parse::stream::clip(&f, &mut e);
    let note = parse::stream::note(&f, &mut e);
    let role = f.get("role").parse::<Role>().ok();
    if role.is_none() {
        e.add("form", "未知的操作身份", "Unknown acting role");
    }
    if files.is_empty() && too_large.is_empty() && !broken {
        e.add("files", "请选择要上传的文件", "Choose a file to upload");
    }
    if let Some(p) = upload_problem(&too_large, broken, &st, "files") {
        e.push(p);
    }
    let chose_files = !files.is_empty() || !too_large.is_empty();
    let refuse = |e: Errors| page.refuse(&f, crate::web::respond::reselect(e, chose_files, "files"));
    e.into_result().map_err(refuse)?;
    let role = role.expect("checked above");
    evidence::attach(&st.store, &st.vault, &case_no, &a, role, files, Description { note, clip })
        .await
        .map_err(|e| refuse(e.field_errors("files")))?;
    Ok(page.done("证据已上传。", "Evidence uploaded."))
}

async fn serve(st: AppState, who: SignedInOr401, id: i64, original: bool) -> Response {
    let SignedInOr401(SignedIn { actor: a, lang }) = who;
    match evidence::open(&st.store, &st.vault, &a, id, original).await {
        Ok(d) => {
            let name = redline_rules::evidence::download_name(&d.item.file_name, &d.mime);
            let mut r = file_response(d.bytes, &d.mime, &name, d.inline);
            if let Ok(v) = HeaderValue::from_str(&d.item.sha256) {
                r.headers_mut().insert("x-evidence-sha256", v);
            }
            r
        }
        Err(e) => file_error(e, lang),
    }
}

/// `GET /evidence/{id}`: an image's metadata-free copy, or the file itself.
async fn download(State(st): State<AppState>, who: SignedInOr401, Path(id): Path<i64>) -> Response {
    serve(st, who, id, false).await
}

/// `GET /evidence/{id}/original`: the file exactly as uploaded, as a download.
async fn download_original(State(st): State<AppState>, who: SignedInOr401, Path(id): Path<i64>) -> Response {
    serve(st, who, id, true).await
}

/// `POST /do/cases/{case_no}/preservation`: platform staff confirm or decline.
async fn answer_preservation(
    State(st): State<AppState>,
    SignedIn { actor: a, lang }: SignedIn,
    Path(case_no): Path<String>,
    f: Fields,
) -> Result<Response, FormError> {
    let page =
        FormPage::new(format!("preservation:{case_no}"), format!("/cases/{case_no}#preservation"), lang).with_summary();
    let answer =
        parse::stream::preservation(f.get("decision"), f.get("replay_ref"), f.get("retain_until"), f.get("reason"))
            .map_err(|e| page.refuse(&f, e))?;
    preservation::answer(&st.store, &case_no, Answerer::Staff(&a), answer).await.map_err(|e| page.refuse(&f, e))?;
    Ok(page.done("保全答复已提交。", "Preservation answer sent."))
}
