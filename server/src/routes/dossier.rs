//! A case's package for 12315 or the record (`crate::dossier`):
//! `GET /cases/{case_no}/dossier.json` and `GET /cases/{case_no}/dossier.zip`,
//! for the case's parties (as its page).
use crate::dossier;
use crate::web::extract::{SignedIn, SignedInOr401};
use crate::web::respond::file_error;
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/cases/{case_no}/dossier.json", get(as_json))
        .route("/cases/{case_no}/dossier.zip", get(as_zip))
}

/// A download named after the case (ASCII: case numbers are).
fn attachment(mut r: Response, case_no: &str, ext: &str) -> Response {
    let name = format!(
        "attachment; filename=\"{}-dossier.{ext}\"",
        case_no.replace(|c: char| !c.is_ascii_alphanumeric() && c != '-', "")
    );
    if let Ok(v) = HeaderValue::from_str(&name) {
        r.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    r
}

async fn as_json(State(st): State<AppState>, who: SignedInOr401, Path(case_no): Path<String>) -> Response {
    let SignedInOr401(SignedIn { actor: a, lang }) = who;
    match dossier::build(&st, &a, &case_no, false).await {
        Ok(p) => attachment(Json(p.json).into_response(), &p.case_no, "json"),
        Err(e) => file_error(e, lang),
    }
}

async fn as_zip(State(st): State<AppState>, who: SignedInOr401, Path(case_no): Path<String>) -> Response {
    let SignedInOr401(SignedIn { actor: a, lang }) = who;
    let p = match dossier::build(&st, &a, &case_no, true).await {
        Ok(p) => p,
        Err(e) => return file_error(e, lang),
    };
    let case_no = p.case_no.clone();
    match tokio::task::spawn_blocking(move || p.zip()).await {
        Ok(Ok(bytes)) => {
            let r = ([(header::CONTENT_TYPE, HeaderValue::from_static("application/zip"))], bytes).into_response();
            attachment(r, &case_no, "zip")
        }
        _ => {
            tracing::error!("a dossier package could not be written");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                lang.t("案卷打包失败，请稍后再试", "The package could not be made; please retry"),
            )
                .into_response()
        }
    }
}
