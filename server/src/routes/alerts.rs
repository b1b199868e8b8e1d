//! Cluster alerts (`store::alerts`): `POST /do/alerts/{id}` acknowledges one
//! with a note (`to=ACKNOWLEDGED`) or closes it (`to=CLOSED`).
use crate::parse::Fields;
use crate::web::extract::SignedIn;
use crate::web::form_error::{FormError, FormPage};
use crate::AppState;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::post;
use axum::Router;
use redline_rules::cluster::AlertState;
use redline_rules::field::FieldError;

pub fn routes() -> Router<AppState> {
    Router::new().route("/do/alerts/{id}", post(act))
}

async fn act(
    State(st): State<AppState>,
    SignedIn { actor: a, lang }: SignedIn,
    Path(id): Path<i64>,
    f: Fields,
) -> Result<Response, FormError> {
    let page = FormPage::new(format!("alert:{id}"), format!("/alerts/{id}"), lang);
    let to = f
        .get("to")
        .parse::<AlertState>()
        .map_err(|_| page.refuse(&f, FieldError::form("请选择知悉或关闭", "Choose acknowledge or close")))?;
    redline_store::alerts::act(&st.store, &a, id, to, f.get("note")).await.map_err(|e| page.refuse(&f, e))?;
    Ok(page.done("已保存。", "Saved."))
}
