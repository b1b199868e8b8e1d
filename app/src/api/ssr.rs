//! The server side of the app: the session and language cookies (owned here,
//! read by the server crate too), the caller of a server function, and the
//! conversions from store rows to view types.
use crate::i18n::Lang;
use crate::view::*;
use leptos::prelude::*;
use redline_rules::calendar::{Calendar, DayKind, Deadline};
use redline_rules::clock as rclock;
use redline_store::account::auth;
use redline_store::entity::{case_event, clock};
use redline_store::{Actor, Store, StoreError};

pub const SESSION_COOKIE: &str = "redline_session";
pub const LANG_COOKIE: &str = "lang";

pub fn cookie(headers: &http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

/// The reader's language: the language cookie, else the account's locale,
/// else Chinese. Pages and form posts both decide it here.
pub fn request_lang(headers: &http::HeaderMap, actor: Option<&Actor>) -> Lang {
    cookie(headers, LANG_COOKIE)
        .map(|l| Lang::parse(&l))
        .or_else(|| actor.map(|a| Lang::parse(&a.locale)))
        .unwrap_or_default()
}

/// The person a valid session cookie names; pages and form posts both use it.
pub async fn session_actor(store: &Store, headers: &http::HeaderMap) -> Option<Actor> {
    let t = cookie(headers, SESSION_COOKIE)?;
    auth::actor_for_token(store, &t).await.ok().flatten()
}

/// [`session_actor`] with their unread notices, in one read (a page's frame).
async fn session_actor_and_unread(store: &Store, headers: &http::HeaderMap) -> Option<(Actor, u64)> {
    let t = cookie(headers, SESSION_COOKIE)?;
    auth::actor_and_unread(store, &t).await.ok().flatten()
}

/// The platforms to choose from on a form, named in the reader's language.
pub async fn platform_choices(store: &Store, lang: Lang) -> Result<Vec<(i64, String)>, ServerFnError> {
    Ok(redline_store::case::queries::platforms(store)
        .await
        .map_err(|e| ServerFnError::new(e.to_string()))?
        .into_iter()
        .map(|p| (p.id, if lang.is_zh() { p.name } else { p.name_en }))
        .collect())
}

/// Resolves the caller and language from the request (session and lang cookies).
pub async fn caller() -> Result<(Store, Ctx, Option<Actor>, String), ServerFnError> {
    // Taken before the first await, and without panicking: a browser that
    // goes away mid-page drops the request's owner while this still runs.
    let gone = || ServerFnError::new("the request was abandoned");
    let store = use_context::<Store>().ok_or_else(gone)?;
    let keys = use_context::<redline_store::web::keys::WebKeys>().ok_or_else(gone)?;
    let headers: http::HeaderMap = leptos_axum::extract().await?;
    let (actor, unread) = match session_actor_and_unread(&store, &headers).await {
        Some((a, n)) => (Some(a), n),
        None => (None, 0),
    };
    let lang = request_lang(&headers, actor.as_ref());
    // Forms carry a CSRF token and failed posts keep their values under a
    // key, both bound to the session (or, signed out, the browser id).
    let session = cookie(&headers, SESSION_COOKIE);
    let binding = keys.binding(session.as_deref(), cookie(&headers, keys.browser_cookie()).as_deref());
    let csrf = binding.as_deref().map(|b| keys.csrf_token(b)).unwrap_or_default();
    let flash_key = binding.as_deref().map(redline_store::web::keys::flash_key).unwrap_or_default();
    let me = actor.as_ref().map(|a| Me {
        name: a.display_name.clone(),
        email: a.email.clone(),
        roles: a.roles(),
        unread,
        manages: !a.manages.is_empty(),
        integrates: a.manages.iter().any(|(k, _)| k == "platform" || k == "operator"),
    });
    Ok((store, Ctx { me, lang, csrf }, actor, flash_key))
}

pub async fn take_flash(store: &Store, key: &str, form: &str) -> FormFlash {
    take_flashes(store, key, &[form]).await.pop().unwrap_or_default()
}

/// The kept values of each of a page's forms, in their order, in one read.
pub async fn take_flashes(store: &Store, key: &str, forms: &[&str]) -> Vec<FormFlash> {
    let kept = match key {
        "" => Ok(vec![]),
        key => redline_store::web::flash::take_each(store, key, forms).await,
    };
    let mut kept = kept.unwrap_or_default().into_iter();
    let parsed = |v: Option<serde_json::Value>| v.and_then(|v| serde_json::from_value(v).ok()).unwrap_or_default();
    forms.iter().map(|_| parsed(kept.next().flatten())).collect()
}

/// A stored value the code does not understand, as the page's error.
pub fn corrupt(e: StoreError) -> ServerFnError {
    leptos::logging::error!("page data not understood: {e}");
    ServerFnError::new(e.to_string())
}

pub fn local_time(t: chrono::DateTime<chrono::Utc>) -> String {
    t.with_timezone(&chrono_tz::Asia::Shanghai).format("%Y-%m-%d %H:%M").to_string()
}

pub fn clock_view(c: &clock::Model, today: chrono::NaiveDate) -> Result<ClockView, StoreError> {
    let cal = Calendar::official();
    let kind = c.clock_kind()?;
    let working = c.calendar == "working";
    let d: Option<Deadline> = serde_json::from_str(&c.explanation_json).ok();
    let remaining = if working {
        rclock::remaining_working_days(cal, today, c.due_on)
    } else {
        rclock::remaining_natural_days(today, c.due_on)
    };
    let status = c.clock_status()?;
    Ok(ClockView {
        kind,
        status,
        basis: c.basis.clone(),
        legal: c.legal,
        working,
        days: c.days,
        start_on: c.start_on,
        due_on: c.due_on,
        remaining,
        overdue: matches!(status, rclock::ClockStatus::Running | rclock::ClockStatus::Expired)
            && rclock::is_overdue(today, c.due_on)
            || status == rclock::ClockStatus::Expired,
        provisional: c.provisional,
        paused_days: rclock::paused_days(c.paused_secs) as i64,
        stopped_on: c.stopped_at.map(redline_store::time::china_date),
        explain_zh: d.as_ref().map(|d| d.explanation.summary_zh(d)).unwrap_or_default(),
        explain_en: d.as_ref().map(|d| d.explanation.summary_en(d)).unwrap_or_default(),
        skipped: d
            .as_ref()
            .map(|d| {
                d.explanation
                    .skipped
                    .iter()
                    .map(|s| match &s.reason {
                        DayKind::Holiday { name_zh, name_en } => (s.date, name_zh.clone(), name_en.clone()),
                        _ => (s.date, "周末".to_owned(), "weekend".to_owned()),
                    })
                    .collect()
            })
            .unwrap_or_default(),
        make_up: d
            .as_ref()
            .map(|d| {
                d.explanation
                    .make_up_workdays
                    .iter()
                    .map(|m| (m.date, m.holiday_zh.clone(), m.holiday_en.clone()))
                    .collect()
            })
            .unwrap_or_default(),
    })
}

pub fn event_view(e: &case_event::Model) -> Result<EventView, StoreError> {
    let payload: serde_json::Value = serde_json::from_str(&e.payload_json).unwrap_or_default();
    let mut details = Vec::new();
    if let Some(obj) = payload.as_object() {
        for (k, v) in obj {
            // Internal references, and ranges the preservation panel shows itself.
            const HIDDEN: [&str; 11] = [
                "type",
                "snapshot",
                "session",
                "product",
                "evidence_id",
                "preservation_id",
                "session_id",
                "from_offset_s",
                "to_offset_s",
                "from_at",
                "to_at",
            ];
            if HIDDEN.contains(&k.as_str()) || v.is_null() {
                continue;
            }
            let s = match v {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            if !s.is_empty() {
                details.push((k.clone(), s));
            }
        }
    }
    let (from, to) = e.states()?;
    Ok(EventView {
        seq: e.seq,
        at: local_time(e.at),
        role: e.role()?,
        event: e.event_type.clone(),
        transition: e.transition_id.clone(),
        from,
        to,
        details,
    })
}

pub fn product_view(p: &redline_store::entity::stream_product::Model) -> ProductView {
    ProductView {
        id: p.id,
        sku: p.sku.clone(),
        name: p.name.clone(),
        displayed_price_fen: p.displayed_price_fen,
        reference_price_fen: p.reference_price_fen,
        discount_basis: p.discount_basis.clone(),
        claims: p.claims.clone(),
    }
}

pub fn session_view(
    s: &redline_store::entity::stream_session::Model,
    room: &str,
    products: &[redline_store::entity::stream_product::Model],
) -> SessionView {
    SessionView {
        id: s.id,
        room: room.to_owned(),
        platform_session_id: s.platform_session_id.clone(),
        started: local_time(s.started_at),
        ended: s.ended_at.map(local_time),
        replay_ref: s.replay_ref.clone(),
        products: products.iter().map(product_view).collect(),
    }
}

pub fn chain_view(r: &redline_rules::chain::ChainReport) -> ChainView {
    ChainView {
        events: r.events,
        intact: r.intact(),
        broken_at: r.broken_at.map(|b| b.0),
        problem_zh: r.broken_at.map(|b| b.1.zh().to_owned()).unwrap_or_default(),
        problem_en: r.broken_at.map(|b| b.1.en().to_owned()).unwrap_or_default(),
    }
}

pub fn limits() -> redline_store::vault::intake::Limits {
    use_context::<redline_store::vault::intake::Limits>().unwrap_or_default()
}

pub fn not_signed_in(lang: Lang) -> Refused {
    Refused { status: 401, message: lang.t("请先登录", "Please sign in first").to_owned() }
}

/// A store refusal as a page's: what is not there, or not the reader's, is
/// 404 (a case's existence is not revealed to non-parties); the rest 403.
pub fn refused(lang: Lang, e: &redline_store::StoreError) -> Refused {
    use redline_store::StoreError;
    let status = match e {
        StoreError::NotFound | StoreError::Forbidden => 404,
        StoreError::Db(_) | StoreError::Corrupt(_) | StoreError::Vault(_) => 503,
        _ => 403,
    };
    let message = match e {
        StoreError::Forbidden => lang.t("未找到", "Not found").to_owned(),
        e => e.message(lang),
    };
    Refused { status, message }
}

pub fn marketer_view(
    m: &redline_store::entity::marketer::Model,
    mcns: &std::collections::BTreeMap<i64, String>,
) -> MarketerView {
    MarketerView {
        id: m.id,
        stage_name: m.stage_name.clone(),
        account: m.platform_account.clone(),
        is_virtual: m.is_virtual,
        mcn: m.mcn_id.and_then(|id| mcns.get(&id).cloned()),
    }
}

/// A recorded change; its name is read from the reported snapshot.
pub fn party_change_view(c: &redline_store::entity::party_change::Model, platform: &str) -> PartyChangeView {
    let snap: serde_json::Value = serde_json::from_str(&c.snapshot_json).unwrap_or_default();
    let name = snap.get("name").or_else(|| snap.get("stage_name")).or_else(|| snap.get("display_name"));
    PartyChangeView {
        platform: platform.to_owned(),
        kind: c.party_kind.clone(),
        party_ref: c.party_ref.clone(),
        name: name.and_then(|n| n.as_str()).unwrap_or_default().to_owned(),
        learned: local_time(c.learned_at),
        reported: local_time(c.reported_at),
        late: c.late,
        channel: c.channel.clone(),
    }
}

pub fn respondent_label(lang: Lang, r: redline_rules::RespondentKind) -> &'static str {
    use redline_rules::RespondentKind as K;
    match r {
        K::InPlatformOperator => lang.t("直播间运营者", "The live room's operator"),
        K::Marketer => lang.t("主播（由直播间运营者答复）", "The marketer (the operator answers)"),
        K::PlatformItself => lang.t("平台本身", "The platform itself"),
        K::Mcn => lang.t("主播所属机构（经平台处理）", "The marketer's MCN (through the platform)"),
        K::SelfBuiltSite => lang.t("自建网站经营者", "A self-built site's operator"),
    }
}
