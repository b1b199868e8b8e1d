//! Extractors for who is asking and in which language, so handlers never
//! repeat the sign-in preamble.
use super::respond::see_other;
use crate::parse::Fields;
use crate::AppState;
use app::api::ssr::request_lang;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use redline_rules::lang::Lang;
use redline_store::{Actor, Store};

/// The person a session cookie names, if it is valid.
pub async fn actor_of(s: &Store, headers: &HeaderMap) -> Option<Actor> {
    app::api::ssr::session_actor(s, headers).await
}

/// A signed-in person and their language. Without a valid session a form
/// post is sent to the sign-in page.
pub struct SignedIn {
    pub actor: Actor,
    pub lang: Lang,
}

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = Response;
    async fn from_request_parts(parts: &mut Parts, st: &AppState) -> Result<Self, Response> {
        let actor = actor_of(&st.store, &parts.headers).await.ok_or_else(|| see_other("/login"))?;
        let lang = request_lang(&parts.headers, Some(&actor));
        Ok(SignedIn { actor, lang })
    }
}

/// As [`SignedIn`] for files and the API: no session answers 401, not a redirect.
pub struct SignedInOr401(pub SignedIn);

impl FromRequestParts<AppState> for SignedInOr401 {
    type Rejection = Response;
    async fn from_request_parts(parts: &mut Parts, st: &AppState) -> Result<Self, Response> {
        match actor_of(&st.store, &parts.headers).await {
            Some(actor) => Ok(SignedInOr401(SignedIn { lang: request_lang(&parts.headers, Some(&actor)), actor })),
            None => {
                let lang = request_lang(&parts.headers, None);
                Err((StatusCode::UNAUTHORIZED, lang.t("请先登录", "Sign in first")).into_response())
            }
        }
    }
}

/// Whoever is asking: signed in or not, and their language.
pub struct Visitor {
    pub actor: Option<Actor>,
    pub lang: Lang,
}

impl FromRequestParts<AppState> for Visitor {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, st: &AppState) -> Result<Self, Self::Rejection> {
        let actor = actor_of(&st.store, &parts.headers).await;
        let lang = request_lang(&parts.headers, actor.as_ref());
        Ok(Visitor { actor, lang })
    }
}

/// The reader's language from the cookie alone (no database lookup).
pub struct CookieLang(pub Lang);

impl<S: Send + Sync> FromRequestParts<S> for CookieLang {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(CookieLang(request_lang(&parts.headers, None)))
    }
}

/// A url-encoded form post as [`Fields`] (checkbox groups keep every value).
impl<S: Send + Sync> FromRequest<S> for Fields {
    type Rejection = Response;
    async fn from_request(req: Request, st: &S) -> Result<Self, Response> {
        let axum::Form(pairs) =
            axum::Form::<Vec<(String, String)>>::from_request(req, st).await.map_err(IntoResponse::into_response)?;
        Ok(Fields::from_pairs(pairs))
    }
}

/// What the guard learnt about a request, for the handlers.
#[derive(Clone, Debug, Default)]
pub struct Web {
    /// The session cookie, else the browser id: what tokens and kept form
    /// values are bound to.
    pub binding: Option<String>,
    /// The client address (the peer, or the proxy's right-most entry).
    pub client: String,
}

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Web {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut axum::http::request::Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(parts.extensions.get::<Web>().cloned().unwrap_or_default())
    }
}
