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
use redline_store::api::idempotency::FormToken;
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
    let once = FormToken::new(a.user_id, f.get("once"));
    if let Some(to) = filed_before(&st, once.as_ref()).await.map_err(|e| page.refuse(&f, e))? {
        return Ok(see_other(&to));
    }
    let filed = file_checked(&st, &a, &f, files, too_large, broken, allowed, hit.as_ref().ok(), once, &page).await;
    if let (Err(_), Ok(hit)) = (&filed, &hit) {
        if let Err(e) = hit.count(&st.store).await {
            tracing::warn!(error = %e, "a refused filing not counted");
        }
    }
    filed.map(|to| see_other(&to))
}

/// Where an earlier post of this form's token went, if it filed.
async fn filed_before(st: &AppState, once: Option<&FormToken>) -> Result<Option<String>, redline_store::StoreError> {
    match once {
        Some(t) => t.filed(&st.store).await,
        None => Ok(None),
    }
}

/// A post that lost the race with the first post of its token (a double
/// click): the first one's case, once its commit is visible to readers.
async fn first_posts_case(st: &AppState, once: Option<&FormToken>) -> String {
    for _ in 0..100 {
        match filed_before(st, once).await {
            Ok(Some(to)) => return to,
            Ok(None) => tokio::time::sleep(std::time::Duration::from_millis(100)).await,
            Err(e) => {
                tracing::warn!(error = %e, "a form token not read");
                break;
            }
        }
    }
    // The first post failed after all: its consumer's list says what stands.
    tracing::warn!("a repeated form's first post not found");
    "/me/cases".into()
}

/// The filing itself, once the form's token is known unused: the case's
/// page, or the refusal.
#[allow(clippy::too_many_arguments)]
async fn file_checked(
    st: &AppState,
    a: &redline_store::Actor,
    f: &Fields,
    files: Vec<redline_store::vault::staging::Upload>,
    too_large: Vec<String>,
    broken: bool,
    allowed: Result<(), FieldErrors>,
    hit: Option<&Hit>,
    once: Option<FormToken>,
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
    let filing =
        redline_store::case::filing::file_complaint(s, a, input, &stored, st.vault.limits, hit.cloned(), once.clone());
    let c = match filing.await {
        Ok(c) => c,
        Err(redline_store::StoreError::AlreadySubmitted) => return Ok(first_posts_case(st, once.as_ref()).await),
        Err(e) => return Err(refuse(e.into())),
    };
    crate::web::metrics::filed("form");
    Ok(format!("/cases/{}", c.case_no))
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
