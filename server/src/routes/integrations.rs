//! An organisation's integrations, worked by its administrators on
//! `/org/integrations`: API keys (issue, rotate, revoke) and webhook
//! endpoints (add, test, rotate the secret, switch, remove, replay).
use crate::parse::Fields;
use crate::web::extract::SignedIn;
use crate::web::form_error::{keep_and_return, FormError, FormPage};
use crate::web::respond::see_other;
use crate::AppState;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::post;
use axum::Router;
use redline_store::actor::{ORG_OPERATOR, ORG_PLATFORM};
use redline_store::api::keys::{self, KeyOrg, Scope};
use redline_store::api::{deliveries, webhooks};
use redline_store::StoreError;

const BACK: &str = "/org/integrations";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/do/orgs/{kind}/{id}/keys", post(issue_key))
        .route("/do/keys/{key_id}/{op}", post(key_op))
        .route("/do/orgs/{kind}/{id}/webhooks", post(add_endpoint))
        .route("/do/webhooks/{id}/{op}", post(endpoint_op))
        .route("/do/webhooks/{id}/deliveries/{delivery_id}/replay", post(replay))
}

fn page(lang: redline_rules::Lang) -> FormPage {
    FormPage::new("integrations", BACK, lang)
}

fn org_of(kind: &str, id: i64) -> Result<KeyOrg, StoreError> {
    match kind {
        ORG_PLATFORM => Ok(KeyOrg::Platform(id)),
        ORG_OPERATOR => Ok(KeyOrg::Operator(id)),
        _ => Err(StoreError::NotFound),
    }
}

/// Shows a key or secret once, through the one-time form values.
fn show_once(name: &str, value: String) -> Response {
    keep_and_return("integrations", BACK, &Fields::from_pairs(vec![(name.into(), value)]), Default::default())
}

/// `POST /do/orgs/{kind}/{id}/keys`: a named key with the scopes ticked.
async fn issue_key(
    State(st): State<AppState>,
    SignedIn { actor: a, lang }: SignedIn,
    Path((kind, id)): Path<(String, i64)>,
    f: Fields,
) -> Result<Response, FormError> {
    let page = page(lang);
    let org = org_of(&kind, id).map_err(|e| page.refuse(&f, e))?;
    let scopes: Vec<Scope> = f.values("scopes").into_iter().filter_map(Scope::parse).collect();
    let (_, key) = keys::issue(&st.store, &a, org, f.get("name"), &scopes).await.map_err(|e| page.refuse(&f, e))?;
    Ok(show_once("new_key", key))
}

/// `POST /do/keys/{id}/rotate` or `/revoke`.
async fn key_op(
    State(st): State<AppState>,
    SignedIn { actor: a, lang }: SignedIn,
    Path((key_id, op)): Path<(i64, String)>,
) -> Result<Response, FormError> {
    let (page, none) = (page(lang), Fields::default());
    match op.as_str() {
        "rotate" => {
            let (_, key) = keys::rotate(&st.store, &a, key_id).await.map_err(|e| page.refuse(&none, e))?;
            Ok(show_once("new_key", key))
        }
        "revoke" => {
            keys::revoke(&st.store, &a, key_id).await.map_err(|e| page.refuse(&none, e))?;
            Ok(see_other(BACK))
        }
        _ => Err(page.refuse(&none, StoreError::NotFound)),
    }
}

/// `POST /do/orgs/{kind}/{id}/webhooks`: an endpoint and the events it wants.
async fn add_endpoint(
    State(st): State<AppState>,
    SignedIn { actor: a, lang }: SignedIn,
    Path((kind, id)): Path<(String, i64)>,
    f: Fields,
) -> Result<Response, FormError> {
    let page = page(lang);
    let org = org_of(&kind, id).map_err(|e| page.refuse(&f, e))?;
    let owner = webhooks::Owner { kind: org.kind(), id };
    if !a.may_manage(owner.kind, owner.id) {
        return Err(page.refuse(&f, StoreError::Forbidden));
    }
    let ep = webhooks::create(&st.store, owner, f.get("url"), &f.all("events"), st.config.webhook_allow_local)
        .await
        .map_err(|e| page.refuse(&f, e))?;
    Ok(show_once("new_secret", ep.secret))
}

/// `POST /do/webhooks/{id}/test|rotate|enable|disable|delete`.
async fn endpoint_op(
    State(st): State<AppState>,
    SignedIn { actor: a, lang }: SignedIn,
    Path((id, op)): Path<(i64, String)>,
) -> Result<Response, FormError> {
    let (page, none) = (page(lang), Fields::default());
    let owner = webhooks::owner_for(&st.store, &a, id).await.map_err(|e| page.refuse(&none, e))?;
    let s = &st.store;
    let done = match op.as_str() {
        "test" => webhooks::send_test(s, owner, id).await.map(|_| ()),
        "rotate" => {
            let ep = webhooks::rotate_secret(s, owner, id).await.map_err(|e| page.refuse(&none, e))?;
            return Ok(show_once("new_secret", ep.secret));
        }
        "enable" => webhooks::set_enabled(s, owner, id, true).await,
        "disable" => webhooks::set_enabled(s, owner, id, false).await,
        "delete" => webhooks::delete(s, owner, id).await,
        _ => Err(StoreError::NotFound),
    };
    done.map_err(|e| page.refuse(&none, e))?;
    Ok(see_other(BACK))
}

/// `POST /do/webhooks/{id}/deliveries/{delivery_id}/replay`.
async fn replay(
    State(st): State<AppState>,
    SignedIn { actor: a, lang }: SignedIn,
    Path((id, delivery_id)): Path<(i64, i64)>,
) -> Result<Response, FormError> {
    let (page, none) = (page(lang), Fields::default());
    let owner = webhooks::owner_for(&st.store, &a, id).await.map_err(|e| page.refuse(&none, e))?;
    deliveries::replay(&st.store, owner, id, delivery_id).await.map_err(|e| page.refuse(&none, e))?;
    Ok(see_other(BACK))
}
