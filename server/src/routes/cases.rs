//! Complaints: filing one (multipart: it may carry evidence files), acting on
//! a case, and finding a live room from the complaint form.
use crate::parse::{self, Fields};
use crate::upload::{self, Posted};
use crate::web::extract::Web;
use crate::web::extract::{SignedIn, Visitor};
use crate::web::form_error::{keep_and_return, FormError, FormPage};
use crate::web::respond::{see_other, upload_problem};
use crate::web::security::forged_form;
use crate::AppState;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use redline_rules::case::Role;
use redline_rules::field::{FieldError, FieldErrors};
use redline_store::vault::intake::store_all;
use redline_store::web::ratelimit::Hit;

pub fn routes(uploads: DefaultBodyLimit) -> Router<AppState> {
    Router::new()
        .route("/do/complaints", post(file).layer(uploads))
        .route("/do/cases/{case_no}/act", post(act))
        .route("/rooms/find", get(find_room))
}

/// `POST /do/complaints`: T1–T3 in one step, with the evidence files attached.
async fn file(
    State(st): State<AppState>,
    web: Web,
    SignedIn { actor: a, lang }: SignedIn,
    headers: HeaderMap,
    mp: Multipart,
) -> Result<Response, FormError> {
    // Only whether the window has room is read before the post; it is counted
    // with the filing, in its transaction, or on its own below if refused, so
    // every post counts once.
    let key = format!("filing:{}", a.user_id);
    let hit =
        Hit::new(&st.store, &key, st.config.filing_limit, chrono::Duration::hours(1)).await.map_err(FieldErrors::from);
    let allowed = match &hit {
        Ok(h) => upload::allowed(h.room(&st.store).await),
        Err(e) => Err(e.clone()),
    };
    let posted = upload::read_allowed(&st, &web, &allowed, mp).await;
    let Posted { fields: f, files, too_large, broken, forged } = posted;
    if forged {
        return Ok(forged_form(&headers));
    }
    // Back to the same form, with the session picked from a room page kept.
    let back = match f.get("session") {
        "" => "/me/new".to_owned(),
        sid => format!("/me/new?session={}", sid.parse::<i64>().unwrap_or_default()),
    };
    let page = FormPage::new("complaint", back, lang);
    // The form's one-time token: a second post of it (a double click, a
    // resubmitted page) goes to the case the first one filed.
    let once = Once::claim(&st, a.user_id, f.get("once")).await.map_err(|e| page.refuse(&f, e))?;
    let once = match once {
        Claimed::Done(to) => return Ok(see_other(&to)),
        Claimed::Fresh(o) => o,
    };
    let filed = file_claimed(&st, &a, &f, files, too_large, broken, allowed, hit.as_ref().ok(), &page).await;
    if let (Err(_), Ok(hit)) = (&filed, &hit) {
        if let Err(e) = hit.count(&st.store).await {
            tracing::warn!(error = %e, "a refused filing not counted");
        }
    }
    once.finish(&st, filed.as_ref().ok().cloned()).await;
    filed.map(|to| see_other(&to))
}

/// The filing itself, once the token is claimed: the case's page, or the refusal.
#[allow(clippy::too_many_arguments)]
async fn file_claimed(
    st: &AppState,
    a: &redline_store::Actor,
    f: &Fields,
    files: Vec<redline_store::vault::staging::Upload>,
    too_large: Vec<String>,
    broken: bool,
    allowed: Result<(), FieldErrors>,
    hit: Option<&Hit>,
    page: &FormPage,
) -> Result<String, FormError> {
    let (s, f) = (&st.store, f);
    // A browser cannot be given chosen files back: a refused form says so.
    let chose_files = !files.is_empty() || !too_large.is_empty();
    let refuse = |e: FieldErrors| page.refuse(f, crate::web::respond::reselect(e, chose_files, "evidence"));
    allowed.map_err(refuse)?;
    let input = parse::complaint(f, s.now());
    if let Some(p) = upload_problem(&too_large, broken, st, "evidence") {
        let mut e = input.err().unwrap_or_default();
        e.push(p);
        return Err(refuse(e));
    }
    let input = input.map_err(refuse)?;
    // Refused before any file reaches the vault: where the complaint points
    // (room, session, moment, product, marketer) is checked first, read-only;
    // the filing checks it again in its transaction.
    if !files.is_empty() {
        redline_store::case::place::check_place(&s.read, &input).await.map_err(|e| refuse(e.into()))?;
    }
    let stored = store_all(s, &st.vault, files).await.map_err(|e| refuse(e.field_errors("evidence")))?;
    let c = redline_store::case::filing::file_complaint(s, a, input, &stored, st.vault.limits, hit.cloned())
        .await
        .map_err(|e| refuse(e.into()))?;
    crate::web::metrics::filed("form");
    Ok(format!("/cases/{}", c.case_no))
}

enum Claimed {
    Fresh(Once),
    /// Filed already: where the first post went.
    Done(String),
}

/// A claimed form token (none for a post without one: an older page).
struct Once(Option<(String, String)>);

impl Once {
    async fn claim(st: &AppState, user: i64, token: &str) -> Result<Claimed, redline_store::StoreError> {
        use redline_store::api::idempotency::{begin, stored, Begin};
        if token.is_empty() || token.len() > 64 {
            return Ok(Claimed::Fresh(Once(None)));
        }
        let owner = format!("user:{user}");
        match begin(&st.store, &owner, token, "form").await? {
            Begin::Fresh => Ok(Claimed::Fresh(Once(Some((owner, token.to_owned()))))),
            Begin::Replay(s) => Ok(Claimed::Done(s.location.unwrap_or_else(|| "/me/cases".into()))),
            // The first post is still filing: wait for it (a double click).
            Begin::InFlight | Begin::Mismatch => {
                for _ in 0..100 {
                    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                    if let Some(s) = stored(&st.store, &owner, token).await? {
                        return Ok(Claimed::Done(s.location.unwrap_or_else(|| "/me/cases".into())));
                    }
                }
                Ok(Claimed::Done("/me/cases".into()))
            }
        }
    }

    /// Keeps where a filing went; a refused form releases its token for the corrected retry.
    async fn finish(self, st: &AppState, filed: Option<String>) {
        use redline_store::api::idempotency::{forget, save, Stored};
        let Some((owner, token)) = self.0 else { return };
        let r = match filed {
            Some(to) => {
                save(&st.store, &owner, &token, &Stored { status: 303, body: String::new(), location: Some(to) }).await
            }
            None => forget(&st.store, &owner, &token).await,
        };
        if let Err(e) = r {
            tracing::warn!(error = %e, "filing token not recorded");
        }
    }
}

/// `POST /do/cases/{case_no}/act`: a party's step on the case.
async fn act(
    State(st): State<AppState>,
    SignedIn { actor: a, lang }: SignedIn,
    Path(case_no): Path<String>,
    f: Fields,
) -> Result<Response, FormError> {
    let page = FormPage::new(format!("case:{case_no}"), format!("/cases/{case_no}"), lang).with_summary();
    let role = f
        .get("role")
        .parse::<Role>()
        .map_err(|_| page.refuse(&f, FieldError::form("未知的操作身份", "Unknown acting role")))?;
    let seen_version = f.get("version").parse::<i32>().ok();
    if redline_rules::case::is_irreversible(f.get("event")) && f.get("confirm") != "1" {
        return Err(page.refuse(
            &f,
            FieldError::new("confirm", "此操作不可撤销，请勾选确认后再提交", "This cannot be undone: tick to confirm"),
        ));
    }
    if f.get("event") == "CONFIRM_ESCALATION" {
        // Order 121 Art. 10: escalation carries the complainant's details.
        let (action, details) = (parse::action(&f), parse::complainant(&f));
        let details = match (action, details) {
            (Ok(_), Ok(d)) => d,
            (a, d) => {
                let mut e = a.err().unwrap_or_default();
                e.0.extend(d.err().unwrap_or_default().0);
                return Err(page.refuse(&f, e));
            }
        };
        redline_store::case::complainant::escalate(&st.store, &case_no, &a, details, seen_version)
            .await
            .map_err(|e| page.refuse(&f, e))?;
        crate::web::metrics::transitions("party", 1);
        return Ok(done(&case_no, page.back(), lang));
    }
    let (event, payload) = parse::action(&f).map_err(|e| page.refuse(&f, e))?;
    redline_store::case::transition::apply(&st.store, &case_no, event, role, &a, payload, seen_version)
        .await
        .map_err(|e| page.refuse(&f, e))?;
    crate::web::metrics::transitions("party", 1);
    Ok(done(&case_no, page.back(), lang))
}

/// Back to the case, which says the step was taken.
fn done(case_no: &str, back: &str, lang: redline_rules::Lang) -> Response {
    let msg = lang.t("已提交，案件已更新。", "Submitted: the case is updated.");
    keep_and_return(
        &format!("case:{case_no}"),
        back,
        &Fields::default(),
        [("notice".to_owned(), msg.to_owned())].into(),
    )
}

#[derive(serde::Deserialize)]
struct RoomQuery {
    platform: Option<i64>,
    room: Option<String>,
}

/// `GET /rooms/find?platform=&room=`: from the complaint form to the room's
/// page, where the consumer picks the session and product.
async fn find_room(State(st): State<AppState>, v: Visitor, Query(q): Query<RoomQuery>) -> Response {
    let room = q.room.unwrap_or_default();
    let found = match q.platform {
        Some(p) if !room.trim().is_empty() => {
            redline_store::streams::find_room(&st.store.db, p, &room).await.ok().flatten()
        }
        _ => None,
    };
    match found {
        Some(r) => see_other(&format!("/rooms/{}", r.id)),
        None => {
            let f = Fields::from_pairs(vec![
                ("platform".into(), q.platform.map(|p| p.to_string()).unwrap_or_default()),
                ("room".into(), room),
            ]);
            let msg = v.lang.t("在该平台上未找到此直播间", "No such live room on this platform");
            keep_and_return("complaint", "/me/new", &f, [("room".to_owned(), msg.to_owned())].into())
        }
    }
}
