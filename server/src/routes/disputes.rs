//! D11 (Order 121 Art. 33): the handling agency refers a jurisdiction dispute;
//! the referee designates one of the two agencies. The rules are the store's.
use crate::parse::Fields;
use crate::web::extract::SignedIn;
use crate::web::form_error::{keep_and_return, FormError, FormPage};
use crate::AppState;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::post;
use axum::Router;
use redline_rules::field::FieldError;
use redline_store::case::dispute;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/do/cases/{case_no}/dispute", post(refer))
        .route("/do/disputes/{id}/designate", post(designate))
}

/// `POST /do/cases/{case_no}/dispute`.
async fn refer(
    State(st): State<AppState>,
    SignedIn { actor, lang }: SignedIn,
    Path(case_no): Path<String>,
    f: Fields,
) -> Result<Response, FormError> {
    let form = format!("dispute:{case_no}");
    let page = FormPage::new(form.clone(), format!("/cases/{case_no}#dispute"), lang);
    let Ok(other) = f.get("other_agency").parse::<i64>() else {
        return Err(
            page.refuse(&f, FieldError::new("other_agency", "请选择争议的另一方部门", "Choose the other agency"))
        );
    };
    dispute::refer(&st.store, &actor, &case_no, other, f.get("reason")).await.map_err(|e| page.refuse(&f, e))?;
    let notice = lang.t("已报请上级部门指定管辖。", "Referred to the higher level for designation.").to_owned();
    Ok(keep_and_return(&form, page.back(), &Fields::default(), [("notice".to_owned(), notice)].into()))
}

/// `POST /do/disputes/{id}/designate`.
async fn designate(
    State(st): State<AppState>,
    SignedIn { actor, lang }: SignedIn,
    Path(id): Path<i64>,
    f: Fields,
) -> Result<Response, FormError> {
    let page = FormPage::new("disputes".to_owned(), "/regulator/disputes".to_owned(), lang);
    let Ok(to) = f.get("designated").parse::<i64>() else {
        return Err(page
            .refuse(&f, FieldError::new("designated", "请在争议双方中指定一方", "Designate one of the two agencies")));
    };
    dispute::designate(&st.store, &actor, id, to, f.get("note")).await.map_err(|e| page.refuse(&f, e))?;
    let notice = lang.t("已指定管辖。", "Designated.").to_owned();
    Ok(keep_and_return("disputes", page.back(), &Fields::default(), [("notice".to_owned(), notice)].into()))
}
