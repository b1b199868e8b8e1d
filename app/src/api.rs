//! Server functions: thin reads that resolve the caller from the session cookie
//! and call into `redline-store`. Writes are plain HTML form posts handled by the
//! server crate, so every form works without JavaScript.
use crate::view::*;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
pub mod ssr {
    use crate::i18n::Lang;
    use crate::view::*;
    use leptos::prelude::*;
    use redline_rules::calendar::{Calendar, DayKind, Deadline};
    use redline_rules::clock as rclock;
    use redline_store::account::auth;
    use redline_store::entity::{case_event, clock};
    use redline_store::{Actor, Store};

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

    /// Resolves the caller and language from the request (session and lang cookies).
    pub async fn caller() -> Result<(Store, Ctx, Option<Actor>, String), ServerFnError> {
        let store = expect_context::<Store>();
        let headers: http::HeaderMap = leptos_axum::extract().await?;
        let actor = match cookie(&headers, SESSION_COOKIE) {
            Some(t) => auth::actor_for_token(&store, &t).await.ok().flatten(),
            None => None,
        };
        let lang = cookie(&headers, LANG_COOKIE)
            .map(|l| Lang::parse(&l))
            .or_else(|| actor.as_ref().map(|a| Lang::parse(&a.locale)))
            .unwrap_or_default();
        // Forms carry a CSRF token and failed posts keep their values under a
        // key, both bound to the session (or, signed out, the browser id).
        let keys = expect_context::<redline_store::web::keys::WebKeys>();
        let session = cookie(&headers, SESSION_COOKIE);
        let binding = keys.binding(session.as_deref(), cookie(&headers, keys.browser_cookie()).as_deref());
        let csrf = binding.as_deref().map(|b| keys.csrf_token(b)).unwrap_or_default();
        let flash_key = binding.as_deref().map(redline_store::web::keys::flash_key).unwrap_or_default();
        let unread = match &actor {
            Some(a) => redline_store::notices::unread(&store, a.user_id).await.unwrap_or(0),
            None => 0,
        };
        let me = actor.as_ref().map(|a| Me {
            name: a.display_name.clone(),
            email: a.email.clone(),
            roles: a.roles(),
            unread,
        });
        Ok((store, Ctx { me, lang, csrf }, actor, flash_key))
    }

    pub async fn take_flash(store: &Store, key: &str, form: &str) -> FormFlash {
        if key.is_empty() {
            return FormFlash::default();
        }
        redline_store::web::flash::take(store, key, form)
            .await
            .ok()
            .flatten()
            .and_then(|v| serde_json::from_value(v).ok())
            .unwrap_or_default()
    }

    pub fn local_time(t: chrono::DateTime<chrono::Utc>) -> String {
        t.with_timezone(&chrono_tz::Asia::Shanghai).format("%Y-%m-%d %H:%M").to_string()
    }

    pub fn clock_view(c: &clock::Model, today: chrono::NaiveDate) -> ClockView {
        let cal = Calendar::official();
        let kind = c.kind.parse().unwrap_or(rclock::ClockKind::D1);
        let working = c.calendar == "working";
        let d: Option<Deadline> = serde_json::from_str(&c.explanation_json).ok();
        let remaining = if working {
            rclock::remaining_working_days(cal, today, c.due_on)
        } else {
            rclock::remaining_natural_days(today, c.due_on)
        };
        let status = c.status.parse().unwrap_or(rclock::ClockStatus::Running);
        ClockView {
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
        }
    }

    pub fn event_view(e: &case_event::Model) -> EventView {
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
        EventView {
            seq: e.seq,
            at: local_time(e.at),
            role: e.actor_role.parse().unwrap_or(redline_rules::case::Role::System),
            event: e.event_type.clone(),
            transition: e.transition_id.clone(),
            from: e.from_state.parse().unwrap_or(redline_rules::case::CaseState::Draft),
            to: e.to_state.parse().unwrap_or(redline_rules::case::CaseState::Draft),
            details,
        }
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

    pub fn not_signed_in(lang: Lang) -> String {
        lang.t("请先登录", "Please sign in first").to_owned()
    }
}

/// The header context alone (home page, sign-in pages).
#[server]
pub async fn page_ctx(form: Option<String>) -> Result<Loaded<FormFlash>, ServerFnError> {
    let (store, ctx, _actor, key) = ssr::caller().await?;
    let flash = match form {
        Some(f) => ssr::take_flash(&store, &key, &f).await,
        None => FormFlash::default(),
    };
    Ok(Loaded { ctx, data: Ok(flash) })
}

/// A queue: "mine", "operator", "platform" or "regulator"; keyset cursor `after`.
#[server]
pub async fn load_queue(kind: String, after: Option<String>) -> Result<Loaded<QueuePage>, ServerFnError> {
    use redline_store::case::queries::{self, Cursor, Queue};
    let (store, ctx, actor, _) = ssr::caller().await?;
    let lang = ctx.lang;
    let Some(actor) = actor else {
        return Ok(Loaded { ctx, data: Err(ssr::not_signed_in(lang)) });
    };
    let q = match kind.as_str() {
        "operator" if !actor.operator_ids.is_empty() => Queue::Operator,
        "platform" if !actor.platform_ids.is_empty() => Queue::Platform,
        "regulator" if !actor.agency_ids.is_empty() => Queue::Regulator,
        "mine" => Queue::Mine,
        _ => {
            return Ok(Loaded { ctx, data: Err(lang.t("无权查看此队列", "You may not see this queue").into()) })
        }
    };
    let after = after.as_deref().and_then(Cursor::decode);
    let today = store.today();
    let data = match queries::queue(&store, &actor, q, after, 20).await {
        Ok(page) => Ok(QueuePage {
            rows: page
                .rows
                .into_iter()
                .map(|r| {
                    let due =
                        (r.case.next_due_on != redline_store::case::clocks::no_due()).then_some(r.case.next_due_on);
                    CaseRow {
                        case_no: r.case.case_no,
                        state: r.case.state.parse().unwrap_or(redline_rules::case::CaseState::Draft),
                        platform: if lang.is_zh() { r.platform.name } else { r.platform.name_en },
                        room: r.room.display_name,
                        product: r.case.product_name,
                        amount_fen: r.case.amount_fen,
                        next_due: due,
                        overdue: due.is_some_and(|d| d < today),
                        filed_on: ssr::local_time(r.case.created_at)[..10].to_owned(),
                        untimely: r.case.operator_untimely || r.case.platform_untimely,
                        preservation_overdue: r.case.preservation_overdue,
                        clocks: r.clocks.iter().map(|c| ssr::clock_view(c, today)).collect(),
                    }
                })
                .collect(),
            next: page.next.map(|c| c.encode()),
        }),
        Err(e) => Err(e.localized(lang.is_zh())),
    };
    Ok(Loaded { ctx, data })
}

/// The complaint form: platforms to choose from and any values kept from a failed post.
#[server]
pub async fn load_filing_form(session: Option<i64>) -> Result<Loaded<FilingForm>, ServerFnError> {
    let (store, ctx, actor, key) = ssr::caller().await?;
    if actor.is_none() {
        let lang = ctx.lang;
        return Ok(Loaded { ctx, data: Err(ssr::not_signed_in(lang)) });
    }
    let platforms = redline_store::case::queries::platforms(&store)
        .await
        .map_err(|e| ServerFnError::new(e.to_string()))?
        .into_iter()
        .map(|p| (p.id, if ctx.lang.is_zh() { p.name } else { p.name_en }))
        .collect();
    let flash = ssr::take_flash(&store, &key, "complaint").await;
    let picked = match session {
        Some(id) => redline_store::case::queries::session_with_room(&store, id).await.ok().flatten(),
        None => None,
    };
    let (session, session_room) = match picked {
        Some((s, room)) => (
            Some(ssr::session_view(&s.session, &room.display_name, &s.products)),
            Some((room.platform_id, room.platform_room_id)),
        ),
        None => (None, None),
    };
    let max_file_mib = ssr::limits().max_file >> 20;
    Ok(Loaded { ctx, data: Ok(FilingForm { platforms, flash, session, session_room, max_file_mib }) })
}

/// The case dossier (案卷) for a party to the case.
#[server]
pub async fn load_dossier(case_no: String) -> Result<Loaded<Dossier>, ServerFnError> {
    use redline_rules::case::{allowed_events, CaseContext, CaseState};
    let (store, ctx, actor, key) = ssr::caller().await?;
    let lang = ctx.lang;
    let Some(actor) = actor else {
        return Ok(Loaded { ctx, data: Err(ssr::not_signed_in(lang)) });
    };
    let d = match redline_store::case::queries::dossier(&store, &actor, &case_no).await {
        Ok(d) => d,
        Err(e) => return Ok(Loaded { ctx, data: Err(e.localized(lang.is_zh())) }),
    };
    let today = store.today();
    let state: CaseState = d.case.state.parse().unwrap_or(CaseState::Draft);
    let cctx = CaseContext {
        platform_decided: d.case.platform_decided,
        last_offer: d.case.last_offer.as_deref().and_then(|o| o.parse().ok()),
    };
    let mut actions = Vec::new();
    for r in &d.viewer_roles {
        for e in allowed_events(state, *r, &cctx) {
            actions.push(crate::view::Action { role: *r, event: e.to_owned() });
        }
    }
    let agencies = if d.viewer_roles.contains(&redline_rules::case::Role::Regulator) {
        redline_store::case::queries::agencies(&store)
            .await
            .unwrap_or_default()
            .into_iter()
            .map(|a| (a.id, format!("{} ({})", if lang.is_zh() { a.name } else { a.name_en }, a.region_code)))
            .collect()
    } else {
        vec![]
    };
    let juris: Vec<redline_store::jurisdiction::Jurisdiction> =
        serde_json::from_str(&d.case.jurisdiction_json).unwrap_or_default();
    let moment = match (d.case.stream_offset_s, d.case.stream_clock_at) {
        (Some(o), Some(t)) => format!("{} (+{:02}:{:02}:{:02})", ssr::local_time(t), o / 3600, o % 3600 / 60, o % 60),
        (Some(o), None) => format!("+{:02}:{:02}:{:02}", o / 3600, o % 3600 / 60, o % 60),
        (None, Some(t)) => format!("{} ({})", ssr::local_time(t), lang.t("场次未知", "session unknown")),
        (None, None) => "—".into(),
    };
    let flash = ssr::take_flash(&store, &key, &format!("case:{case_no}")).await;
    let evidence_flash = ssr::take_flash(&store, &key, &format!("evidence:{case_no}")).await;
    let preservation_flash = ssr::take_flash(&store, &key, &format!("preservation:{case_no}")).await;
    let extra = match redline_store::case::queries::dossier_extras(&store, &d.case).await {
        Ok(x) => x,
        Err(e) => return Ok(Loaded { ctx, data: Err(e.localized(lang.is_zh())) }),
    };
    let session = extra.session.as_ref().map(|s| ssr::session_view(&s.session, &d.room.display_name, &s.products));
    let picked_product = extra.product.as_ref().map(ssr::product_view);
    let evidence = extra
        .evidence
        .iter()
        .map(|e| EvidenceView {
            id: e.id,
            kind: e.kind.parse().unwrap_or(redline_rules::evidence::EvidenceKind::Chat),
            file_name: e.file_name.clone(),
            size_bytes: e.size_bytes,
            sha256: e.sha256.clone(),
            role: e.uploaded_role.parse().unwrap_or(redline_rules::case::Role::System),
            uploaded_at: ssr::local_time(e.uploaded_at),
            note: e.note.clone(),
            clip: e
                .offset_start_s
                .zip(e.offset_end_s)
                .map(|(a, b)| format!("{}–{}", redline_rules::evidence::hms(a), redline_rules::evidence::hms(b))),
            viewable: e.display_sha256.is_some(),
        })
        .collect();
    let is_platform = d.viewer_roles.contains(&redline_rules::case::Role::Platform);
    let preservation = extra.preservation.as_ref().map(|p| {
        let hms = redline_rules::evidence::hms;
        let mut range = Vec::new();
        if let (Some(a), Some(b)) = (p.from_offset_s, p.to_offset_s) {
            range.push(format!("+{}–+{}", hms(a), hms(b)));
        }
        if let (Some(a), Some(b)) = (p.from_at, p.to_at) {
            range.push(format!("{} – {}", ssr::local_time(a), ssr::local_time(b)));
        }
        if p.session_id.is_none() {
            range.push(lang.t("场次未知", "session unknown").to_owned());
        }
        PreservationView {
            status: p.status.clone(),
            overdue: p.overdue,
            range: range.join(" · "),
            replay_ref: p.replay_ref.clone(),
            retain_until: p.retain_until,
            min_retain_until: redline_rules::retention::min_retain_until(redline_store::time::china_date(
                d.case.created_at,
            )),
            answer: p.answer.clone(),
            can_answer: is_platform && p.status == redline_store::case::preservation::PENDING,
        }
    });
    let chain = redline_store::chain::verify_events(&d.case, &d.events);
    let chain = ssr::chain_view(&chain);
    let upload_roles = d.viewer_roles.clone();
    let dossier = Dossier {
        case_no: d.case.case_no.clone(),
        version: d.case.version,
        state,
        platform: if lang.is_zh() { d.platform.name.clone() } else { d.platform.name_en.clone() },
        room: d.room.display_name.clone(),
        room_url: d.room.url.clone(),
        operator: d.operator.name.clone(),
        product: d.case.product_name.clone(),
        order_no: d.case.order_no.clone(),
        amount_fen: d.case.amount_fen,
        categories: serde_json::from_str(&d.case.categories_json).unwrap_or_default(),
        demands: serde_json::from_str(&d.case.demands_json).unwrap_or_default(),
        narrative: d.case.narrative.clone(),
        moment,
        harm_known_on: d.case.harm_known_on,
        agency: d.agency.map(|a| if lang.is_zh() { a.name } else { a.name_en }),
        jurisdiction: juris.into_iter().map(|j| (j.region, if lang.is_zh() { j.basis_zh } else { j.basis })).collect(),
        warnings: if d.viewer_roles.contains(&redline_rules::case::Role::Regulator) {
            redline_rules::intake::warnings(
                d.case.harm_known_on,
                redline_store::time::china_date(d.case.created_at),
                d.case.order_no.is_some(),
            )
        } else {
            vec![]
        },
        operator_untimely: d.case.operator_untimely,
        platform_untimely: d.case.platform_untimely,
        clocks: d.clocks.iter().map(|c| ssr::clock_view(c, today)).collect(),
        events: d.events.iter().map(ssr::event_view).collect(),
        actions,
        agencies,
        flash: (!flash.errors.is_empty()).then_some(flash),
        session,
        picked_product,
        evidence,
        upload_roles,
        evidence_flash,
        max_file_mib: ssr::limits().max_file >> 20,
        preservation,
        preservation_flash,
        chain,
    };
    Ok(Loaded { ctx, data: Ok(dossier) })
}

/// The clock policy of the platforms the caller staffs (Order 117 Art. 20).
#[server]
pub async fn load_platform_settings() -> Result<Loaded<PlatformSettings>, ServerFnError> {
    let (store, ctx, actor, key) = ssr::caller().await?;
    let lang = ctx.lang;
    let Some(actor) = actor.filter(|a| !a.platform_ids.is_empty()) else {
        return Ok(Loaded {
            ctx,
            data: Err(lang.t("仅平台工作人员可设置", "Only platform staff may change this").into()),
        });
    };
    let platforms = redline_store::case::queries::staffed_platforms(&store, &actor)
        .await
        .map_err(|e| ServerFnError::new(e.to_string()))?
        .into_iter()
        .map(|p| {
            let pol = redline_store::case::clocks::platform_policy(&p);
            PlatformPolicy {
                id: p.id,
                name: if lang.is_zh() { p.name } else { p.name_en },
                d1: pol.d1_working_days,
                d2: pol.d2_natural_days,
                d3: pol.d3_working_days,
                d4: pol.d4_working_days,
                margin: pol.preserve_margin_min,
            }
        })
        .collect();
    let flash = ssr::take_flash(&store, &key, "policy").await;
    Ok(Loaded { ctx, data: Ok(PlatformSettings { platforms, flash }) })
}

/// Users and organisations, for admins.
#[server]
pub async fn load_admin() -> Result<Loaded<AdminView>, ServerFnError> {
    let (store, ctx, actor, key) = ssr::caller().await?;
    let lang = ctx.lang;
    let Some(actor) = actor.filter(|a| a.is_admin) else {
        return Ok(Loaded { ctx, data: Err(lang.t("仅管理员可访问", "Admins only").into()) });
    };
    let err = |e: redline_store::StoreError| ServerFnError::new(e.to_string());
    let orgs = redline_store::account::admin::organisations(&store).await.map_err(err)?;
    let label = |kind: &str| match kind {
        "platform" => lang.t("平台", "Platform"),
        "operator" => lang.t("直播间运营者", "Operator"),
        _ => lang.t("监管部门", "Agency"),
    };
    let name_of = |kind: &str, id: i64| {
        orgs.iter()
            .find(|o| o.kind == kind && o.id == id)
            .map(|o| format!("{}：{}", label(kind), o.name))
            .unwrap_or_default()
    };
    let users = redline_store::account::admin::users(&store, &actor)
        .await
        .map_err(err)?
        .into_iter()
        .map(|r| AdminUser {
            email: r.user.email,
            name: r.user.display_name,
            is_admin: r.user.is_admin,
            orgs: r.orgs.iter().map(|(k, id)| name_of(k, *id)).collect(),
        })
        .collect();
    let org_options =
        orgs.iter().map(|o| (format!("{}:{}", o.kind, o.id), format!("{}：{}", label(o.kind), o.name))).collect();
    let invitations = redline_store::account::email_links::pending_invitations(&store, &actor)
        .await
        .map_err(err)?
        .into_iter()
        .map(|(l, exists)| {
            let org = name_of(l.org_kind.as_deref().unwrap_or_default(), l.org_id.unwrap_or_default());
            (l.email, org, exists)
        })
        .collect();
    let flash = ssr::take_flash(&store, &key, "admin").await;
    Ok(Loaded { ctx, data: Ok(AdminView { users, orgs: org_options, invitations, flash }) })
}

/// The page of a mailed link (registration or invitation), before it is taken.
#[server]
pub async fn load_welcome(token: String) -> Result<Loaded<WelcomeView>, ServerFnError> {
    let (store, ctx, _actor, key) = ssr::caller().await?;
    let lang = ctx.lang;
    let err = |e: redline_store::StoreError| ServerFnError::new(e.to_string());
    let Some((l, exists)) = redline_store::account::email_links::open(&store, &token).await.map_err(err)? else {
        return Ok(Loaded {
            ctx,
            data: Err(lang.t("此链接无效、已使用或已过期", "This link is invalid, used or expired").into()),
        });
    };
    let org = match (&l.org_kind, l.org_id) {
        (Some(kind), Some(id)) => Some(
            redline_store::account::admin::organisations(&store)
                .await
                .map_err(err)?
                .into_iter()
                .find(|o| o.kind == kind && o.id == id)
                .map(|o| o.name)
                .unwrap_or_default(),
        ),
        _ => None,
    };
    let flash = ssr::take_flash(&store, &key, "welcome").await;
    Ok(Loaded {
        ctx,
        data: Ok(WelcomeView { token, email: l.email, name: l.name, org, account_exists: exists, flash }),
    })
}

/// A live room's public page: disclosed operator data and recent sessions with
/// their products, from which a consumer can file about a session.
#[server]
pub async fn load_room(id: i64) -> Result<Loaded<RoomView>, ServerFnError> {
    let (store, ctx, _actor, _) = ssr::caller().await?;
    let lang = ctx.lang;
    let data = match redline_store::case::queries::room_page(&store, id).await {
        Ok(Some((room, plat, sessions))) => {
            let disclosed = serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(&room.disclosed_json)
                .unwrap_or_default()
                .into_iter()
                .map(|(k, v)| (k, v.as_str().map(str::to_owned).unwrap_or_else(|| v.to_string())))
                .collect();
            Ok(RoomView {
                id: room.id,
                platform_id: plat.id,
                platform: if lang.is_zh() { plat.name } else { plat.name_en },
                platform_room_id: room.platform_room_id.clone(),
                name: room.display_name.clone(),
                url: room.url.clone(),
                disclosed,
                sessions: sessions
                    .iter()
                    .map(|s| ssr::session_view(&s.session, &room.display_name, &s.products))
                    .collect(),
            })
        }
        Ok(None) => Err(lang.t("未找到该直播间", "No such live room").to_owned()),
        Err(e) => Err(e.localized(lang.is_zh())),
    };
    Ok(Loaded { ctx, data })
}

/// Platform staff: their rooms' sessions, the session form and API keys.
#[server]
pub async fn load_streams() -> Result<Loaded<StreamsPage>, ServerFnError> {
    let (store, ctx, actor, key) = ssr::caller().await?;
    let lang = ctx.lang;
    let Some(actor) = actor.filter(|a| !a.platform_ids.is_empty()) else {
        return Ok(Loaded { ctx, data: Err(lang.t("仅平台工作人员可访问", "Platform staff only").into()) });
    };
    let err = |e: redline_store::StoreError| ServerFnError::new(e.to_string());
    let mut platforms = Vec::new();
    for p in redline_store::case::queries::staffed_platforms(&store, &actor).await.map_err(err)? {
        let rooms = redline_store::streams::platform_rooms(&store, p.id).await.map_err(err)?;
        let mut sessions = Vec::new();
        for r in &rooms {
            for s in redline_store::streams::room_sessions(&store.db, r.id, 10).await.map_err(err)? {
                sessions.push(ssr::session_view(&s.session, &r.display_name, &s.products));
            }
        }
        sessions.sort_by(|a, b| b.started.cmp(&a.started));
        let key_prefixes = redline_store::streams::key_prefixes(&store, p.id)
            .await
            .map_err(err)?
            .into_iter()
            .map(|(prefix, at)| (prefix, ssr::local_time(at)))
            .collect();
        platforms.push(PlatformStreams {
            id: p.id,
            name: if lang.is_zh() { p.name } else { p.name_en },
            rooms: rooms.into_iter().map(|r| (r.platform_room_id, r.display_name, r.id)).collect(),
            sessions,
            key_prefixes,
        });
    }
    let flash = ssr::take_flash(&store, &key, "sessions").await;
    let new_key = Some(ssr::take_flash(&store, &key, "apikey").await.value("new_key")).filter(|k| !k.is_empty());
    Ok(Loaded { ctx, data: Ok(StreamsPage { platforms, flash, new_key }) })
}

/// The public tip form (no account needed).
#[server]
pub async fn load_tip_form() -> Result<Loaded<TipForm>, ServerFnError> {
    let (store, ctx, actor, key) = ssr::caller().await?;
    let platforms = redline_store::case::queries::platforms(&store)
        .await
        .map_err(|e| ServerFnError::new(e.to_string()))?
        .into_iter()
        .map(|p| (p.id, if ctx.lang.is_zh() { p.name } else { p.name_en }))
        .collect();
    let flash = ssr::take_flash(&store, &key, "tip").await;
    let max_file_mib = ssr::limits().max_file >> 20;
    Ok(Loaded { ctx, data: Ok(TipForm { platforms, flash, signed_in: actor.is_some(), max_file_mib }) })
}

/// The receipt, shown once after filing.
#[server]
pub async fn load_tip_filed() -> Result<Loaded<FormFlash>, ServerFnError> {
    let (store, ctx, _actor, key) = ssr::caller().await?;
    let flash = ssr::take_flash(&store, &key, "tipfiled").await;
    Ok(Loaded { ctx, data: Ok(flash) })
}

#[cfg(feature = "ssr")]
fn progress(v: redline_store::tip::views::ReporterView) -> TipProgress {
    TipProgress {
        tip_no: v.tip_no,
        filed_at: ssr::local_time(v.filed_at),
        stage: v.stage,
        linked_to: v.linked_to,
        platform_reviewed: v.platform_reviewed,
    }
}

/// The status lookup: the receipt comes through the one-time form values.
#[server]
pub async fn load_tip_status() -> Result<Loaded<TipStatusPage>, ServerFnError> {
    let (store, ctx, _actor, key) = ssr::caller().await?;
    let mut flash = ssr::take_flash(&store, &key, "tipstatus").await;
    let receipt = flash.value("receipt");
    let result = if !receipt.is_empty() && flash.errors.is_empty() {
        redline_store::tip::views::status_by_receipt(&store, &receipt).await.ok().flatten().map(progress)
    } else {
        None
    };
    // The code is not echoed back into the page once it has been used.
    flash.values.remove("receipt");
    Ok(Loaded { ctx, data: Ok(TipStatusPage { flash, result }) })
}

/// A signed-in reporter's tips.
#[server]
pub async fn load_my_tips() -> Result<Loaded<Vec<TipProgress>>, ServerFnError> {
    let (store, ctx, actor, _) = ssr::caller().await?;
    let lang = ctx.lang;
    let Some(actor) = actor else { return Ok(Loaded { ctx, data: Err(ssr::not_signed_in(lang)) }) };
    let data = redline_store::tip::views::mine(&store, &actor)
        .await
        .map(|v| v.into_iter().map(progress).collect())
        .map_err(|e| e.localized(lang.is_zh()));
    Ok(Loaded { ctx, data })
}

#[cfg(feature = "ssr")]
fn tip_row(t: &redline_store::entity::tip::Model, room: String) -> TipRow {
    TipRow {
        tip_no: t.tip_no.clone(),
        room,
        filed_on: ssr::local_time(t.created_at)[..10].to_owned(),
        categories: serde_json::from_str(&t.categories_json).unwrap_or_default(),
        platform_status: t.platform_status.clone(),
        regulator_status: t.regulator_status.clone(),
        d9_due: t.d9_due_on,
        d9_overdue: t.d9_overdue,
        d9_extended: t.d9_extended,
        cac_listed: t.cac_listed,
    }
}

#[cfg(feature = "ssr")]
async fn room_names(store: &redline_store::Store, ids: Vec<i64>) -> std::collections::HashMap<i64, String> {
    redline_store::case::queries::room_labels(store, ids).await.unwrap_or_default()
}

/// A tip queue: "platform" (report queue) or "regulator" (`cac` = Art. 46 list).
#[server]
pub async fn load_tip_queue(kind: String, cac: bool) -> Result<Loaded<TipQueue>, ServerFnError> {
    let (store, ctx, actor, _) = ssr::caller().await?;
    let lang = ctx.lang;
    let Some(actor) = actor else { return Ok(Loaded { ctx, data: Err(ssr::not_signed_in(lang)) }) };
    let regulator = kind == "regulator";
    let tips = if regulator && !actor.agency_ids.is_empty() {
        redline_store::tip::views::regulator_queue(&store, &actor, cac).await
    } else if !regulator && !actor.platform_ids.is_empty() {
        redline_store::tip::views::platform_queue(&store, &actor).await
    } else {
        return Ok(Loaded { ctx, data: Err(lang.t("无权查看此队列", "You may not see this queue").into()) });
    };
    let data = match tips {
        Ok(tips) => {
            let names = room_names(&store, tips.iter().map(|t| t.live_room_id).collect()).await;
            Ok(TipQueue {
                rows: tips
                    .iter()
                    .map(|t| tip_row(t, names.get(&t.live_room_id).cloned().unwrap_or_default()))
                    .collect(),
                regulator,
            })
        }
        Err(e) => Err(e.localized(lang.is_zh())),
    };
    Ok(Loaded { ctx, data })
}

/// One tip for the platform or the agency handling it.
#[server]
pub async fn load_staff_tip(tip_no: String) -> Result<Loaded<StaffTipView>, ServerFnError> {
    let (store, ctx, actor, key) = ssr::caller().await?;
    let lang = ctx.lang;
    let Some(actor) = actor else { return Ok(Loaded { ctx, data: Err(ssr::not_signed_in(lang)) }) };
    let v = match redline_store::tip::views::staff_view(&store, &actor, &tip_no).await {
        Ok(v) => v,
        Err(e) => return Ok(Loaded { ctx, data: Err(e.localized(lang.is_zh())) }),
    };
    let names = room_names(&store, vec![v.tip.live_room_id]).await;
    let agency = match v.tip.agency_id {
        Some(a) => redline_store::case::queries::agencies(&store)
            .await
            .unwrap_or_default()
            .into_iter()
            .find(|x| x.id == a)
            .map(|x| if lang.is_zh() { x.name } else { x.name_en }),
        None => None,
    };
    let juris: Vec<redline_store::jurisdiction::Jurisdiction> =
        serde_json::from_str(&v.tip.jurisdiction_json).unwrap_or_default();
    let flash = ssr::take_flash(&store, &key, &format!("tip:{tip_no}")).await;
    let view = StaffTipView {
        row: tip_row(&v.tip, names.get(&v.tip.live_room_id).cloned().unwrap_or_default()),
        description: v.tip.description.clone(),
        moments: serde_json::from_str(&v.tip.moments_json).unwrap_or_default(),
        platform_measure: v.tip.platform_measure.clone(),
        platform_note: v.tip.platform_note.clone(),
        decision: v.tip.decision.clone(),
        regulator_note: v.tip.regulator_note.clone(),
        extension_reason: v.tip.d9_extension_reason.clone(),
        jurisdiction: juris.into_iter().map(|j| (j.region, if lang.is_zh() { j.basis_zh } else { j.basis })).collect(),
        agency,
        reporter: v.as_regulator.then(|| (v.reporter_name.clone(), v.reporter_contact.clone())),
        evidence: v.evidence.iter().map(|e| (e.id, e.file_name.clone(), e.kind.clone(), e.size_bytes)).collect(),
        events: v
            .events
            .iter()
            .map(|e| {
                let p: serde_json::Value = serde_json::from_str(&e.payload_json).unwrap_or_default();
                let msg = p.get("message").and_then(|m| m.as_str()).unwrap_or_default().to_owned();
                (ssr::local_time(e.at), e.actor_role.clone(), e.event_type.clone(), msg)
            })
            .collect(),
        as_platform: v.as_platform,
        as_regulator: v.as_regulator,
        flash,
        chain: ssr::chain_view(&v.chain),
    };
    Ok(Loaded { ctx, data: Ok(view) })
}

/// The signed-in person's notifications.
#[server]
pub async fn load_notices() -> Result<Loaded<NoticesPage>, ServerFnError> {
    let (store, ctx, actor, _) = ssr::caller().await?;
    let lang = ctx.lang;
    let Some(actor) = actor else { return Ok(Loaded { ctx, data: Err(ssr::not_signed_in(lang)) }) };
    let err = |e: redline_store::StoreError| ServerFnError::new(e.to_string());
    let rows = redline_store::notices::for_user(&store, actor.user_id, 100)
        .await
        .map_err(err)?
        .into_iter()
        .map(|n| NoticeRow {
            id: n.id,
            kind: n.kind,
            subject: n.subject.trim_start_matches("[Redline] ").to_owned(),
            link: n.link,
            at: ssr::local_time(n.created_at),
            read: n.read_at.is_some(),
            email: n.email_status,
        })
        .collect();
    let unread = redline_store::notices::unread(&store, actor.user_id).await.map_err(err)?;
    let mode = redline_store::account::auth::email_mode(&store, actor.user_id).await.unwrap_or_default();
    Ok(Loaded { ctx, data: Ok(NoticesPage { rows, unread, staff: actor.is_staff(), mode }) })
}
