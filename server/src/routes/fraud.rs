//! T24 on a case: the platform or the agency marks it as suspected fraud, or
//! lifts the mark (Order 121 Arts. 23(6), 42). The rule is the store's.
use crate::parse::Fields;
use crate::web::extract::SignedIn;
use crate::web::form_error::{keep_and_return, FormError, FormPage};
use crate::AppState;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::post;
use axum::Router;
use redline_rules::case::Role;
use redline_rules::field::FieldError;
use redline_store::case::fraud;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/do/cases/{case_no}/fraud", post(|st, s, p, f| act(st, s, p, f, true)))
        .route("/do/cases/{case_no}/fraud/lift", post(|st, s, p, f| act(st, s, p, f, false)))
}

/// `POST /do/cases/{case_no}/fraud` (mark) and `…/fraud/lift`.
async fn act(
    State(st): State<AppState>,
    SignedIn { actor, lang }: SignedIn,
    Path(case_no): Path<String>,
    f: Fields,
    suspect: bool,
) -> Result<Response, FormError> {
    let form = format!("fraud:{case_no}");
    let page = FormPage::new(form.clone(), format!("/cases/{case_no}#fraud"), lang);
    let role = match f.get("role") {
        "platform" => Role::Platform,
        "regulator" => Role::Regulator,
        _ => return Err(page.refuse(&f, FieldError::form("请选择以何种身份操作", "Choose the role you act in"))),
    };
    fraud::mark(&st.store, &actor, &case_no, role, suspect, f.get("reason")).await.map_err(|e| page.refuse(&f, e))?;
    let (zh, en) = if suspect {
        (
            "已标记为涉嫌欺诈：自动推进的时限已暂停。",
            "Marked as suspected fraud: the clocks that move the case on are held.",
        )
    } else {
        ("已撤销涉嫌欺诈标记：暂停的时限继续计算。", "Mark lifted: the held clocks run again.")
    };
    Ok(keep_and_return(
        &form,
        page.back(),
        &Fields::default(),
        [("notice".to_owned(), lang.t(zh, en).to_owned())].into(),
    ))
}
