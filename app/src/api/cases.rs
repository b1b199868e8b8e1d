//! Pages of complaints: the queues, the complaint form and the dossier (案卷).
#[cfg(feature = "ssr")]
use super::ssr;
use crate::view::*;
use leptos::prelude::*;

/// A queue: "mine", "operator", "platform" or "regulator"; keyset cursor `after`.
#[server]
pub async fn load_queue(
    kind: String,
    after: Option<String>,
    marketer: Option<String>,
    mcn: Option<String>,
    tab: Option<String>,
    figure: Option<String>,
) -> Result<Loaded<QueuePage>, ServerFnError> {
    use redline_store::case::queries::{self, Cursor, Filter, Queue, Tab};
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
    let blank = |v: Option<String>| v.filter(|s| !s.trim().is_empty()).map(|s| s.chars().take(100).collect::<String>());
    // Staff open on their own work; a consumer on all of their cases.
    let default_tab = if q == Queue::Mine { Tab::All } else { Tab::Todo };
    let tab = tab.as_deref().and_then(Tab::parse).unwrap_or(default_tab);
    let (figure, figure_query) = super::desk::parse_figure(figure.as_deref().unwrap_or(""));
    let filter = Filter { marketer: blank(marketer), mcn: blank(mcn), tab, figure };
    let shown = (filter.marketer.clone().unwrap_or_default(), filter.mcn.clone().unwrap_or_default());
    let counts = match queries::tab_counts(&store, &actor, q, &filter).await {
        Ok(c) => c.into_iter().map(|(t, n)| (t.as_str().to_owned(), n)).collect(),
        Err(e) => return Ok(Loaded { ctx, data: Err(ssr::refused(lang, &e)) }),
    };
    let data = match queries::filtered_queue(&store, &actor, q, &filter, after, 20).await {
        Ok(page) => Ok(QueuePage {
            filter: shown,
            figure: figure_query,
            tab: tab.as_str().to_owned(),
            counts,
            rows: page
                .rows
                .into_iter()
                .map(|r| {
                    let state = r.case.case_state()?;
                    let clocks = r.clocks.iter().map(|c| ssr::clock_view(c, today)).collect::<Result<_, _>>()?;
                    let due =
                        (r.case.next_due_on != redline_store::case::clocks::no_due()).then_some(r.case.next_due_on);
                    Ok(CaseRow {
                        case_no: r.case.case_no,
                        state,
                        platform: if lang.is_zh() { r.platform.name } else { r.platform.name_en },
                        room: r.room.display_name,
                        product: r.case.product_name,
                        amount_fen: r.case.amount_fen,
                        next_due: due,
                        overdue: due.is_some_and(|d| d < today),
                        filed_on: ssr::local_time(r.case.created_at)[..10].to_owned(),
                        untimely: r.case.operator_untimely || r.case.platform_untimely,
                        preservation_overdue: r.case.preservation_overdue,
                        records_overdue: r.case.records_overdue,
                        fraud_suspected: r.case.fraud_suspected,
                        clocks,
                        marketer: r.case.marketer_name,
                        mcn: r.mcn,
                    })
                })
                .collect::<Result<_, redline_store::StoreError>>()
                .map_err(ssr::corrupt)?,
            next: page.next.map(|c| c.encode()),
        }),
        Err(e) => Err(ssr::refused(lang, &e)),
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
    let platforms = ssr::platform_choices(&store, ctx.lang).await?;
    let flash = ssr::take_flash(&store, &key, "complaint").await;
    let picked = match session {
        Some(id) => redline_store::case::queries::session_with_room(&store, id).await.ok().flatten(),
        None => None,
    };
    let (session, session_room, marketers) = match picked {
        Some((s, room)) => {
            let people = redline_store::parties::views::marketers_of_session(&store, s.session.id)
                .await
                .map_err(|e| ServerFnError::new(e.to_string()))?;
            (
                Some(ssr::session_view(&s.session, &room.display_name, &s.products)),
                Some((room.platform_id, room.platform_room_id)),
                people.iter().map(|m| ssr::marketer_view(m, &Default::default())).collect(),
            )
        }
        None => (None, None, Vec::new()),
    };
    let max_file_mib = ssr::limits().max_file >> 20;
    // A refused form comes back with its token: nothing was recorded under it.
    let once = Some(flash.value("once"))
        .filter(|t| t.len() == 32 && t.bytes().all(|b| b.is_ascii_hexdigit()))
        .unwrap_or_else(redline_store::api::idempotency::form_token);
    Ok(Loaded { ctx, data: Ok(FilingForm { platforms, flash, session, session_room, marketers, max_file_mib, once }) })
}

/// The case dossier (案卷) for a party to the case.
#[server]
pub async fn load_dossier(case_no: String) -> Result<Loaded<Dossier>, ServerFnError> {
    use redline_rules::case::{allowed_events, CaseState};
    let (store, ctx, actor, key) = ssr::caller().await?;
    let lang = ctx.lang;
    let Some(actor) = actor else {
        return Ok(Loaded { ctx, data: Err(ssr::not_signed_in(lang)) });
    };
    let d = match redline_store::case::queries::dossier(&store, &actor, &case_no).await {
        Ok(d) => d,
        Err(e) => return Ok(Loaded { ctx, data: Err(ssr::refused(lang, &e)) }),
    };
    let today = store.today();
    let state: CaseState = d.case.case_state().map_err(ssr::corrupt)?;
    let cctx = d.case.context(today).map_err(ssr::corrupt)?;
    let mut actions = Vec::new();
    for r in &d.viewer_roles {
        for e in allowed_events(state, *r, &cctx) {
            actions.push(crate::view::Action { role: *r, event: e.to_owned() });
        }
    }
    let all_agencies = redline_store::case::queries::agencies(&store).await.unwrap_or_default();
    let agencies = if d.viewer_roles.contains(&redline_rules::case::Role::Regulator) {
        redline_store::jurisdiction::move_targets(&d.case, all_agencies.clone())
            .map_err(ssr::corrupt)?
            .into_iter()
            .map(|a| (a.id, format!("{} ({})", if lang.is_zh() { a.name } else { a.name_en }, a.region_code)))
            .collect()
    } else {
        vec![]
    };
    let juris = redline_store::jurisdiction::of_case(&d.case).map_err(ssr::corrupt)?;
    let moment = match (d.case.stream_offset_s, d.case.stream_clock_at) {
        (Some(o), Some(t)) => format!("{} (+{:02}:{:02}:{:02})", ssr::local_time(t), o / 3600, o % 3600 / 60, o % 60),
        (Some(o), None) => format!(
            "{}{:02}:{:02}:{:02}{}",
            lang.t("开播后 ", "+"),
            o / 3600,
            o % 3600 / 60,
            o % 60,
            lang.t("（场次未知）", " (session unknown)")
        ),
        (None, Some(t)) => format!("{}{}", ssr::local_time(t), lang.t("（场次未知）", " (session unknown)")),
        (None, None) => "—".into(),
    };
    // Every form of the page's kept values, in one read.
    let forms = [
        "case",
        "evidence",
        "preservation",
        "records",
        "fraud",
        "hold",
        "rating",
        "violation",
        "dispute",
        "unreachable",
        "publication",
    ]
    .map(|form| format!("{form}:{case_no}"));
    let forms = forms.iter().map(String::as_str).collect::<Vec<_>>();
    let [flash, evidence_flash, preservation_flash, records_flash, fraud_flash, hold_flash, rating_flash, violation_flash, dispute_flash, unreachable_flash, publication_flash]: [FormFlash; 11] =
        ssr::take_flashes(&store, &key, &forms).await.try_into().expect("a flash per form");
    let extra = match redline_store::case::queries::dossier_extras(&store, &d.case).await {
        Ok(x) => x,
        Err(e) => return Ok(Loaded { ctx, data: Err(ssr::refused(lang, &e)) }),
    };
    let session = extra.session.as_ref().map(|s| ssr::session_view(&s.session, &d.room.display_name, &s.products));
    let picked_product = extra.product.as_ref().map(ssr::product_view);
    let evidence = extra
        .evidence
        .iter()
        .map(|e| {
            Ok(EvidenceView {
                id: e.id,
                kind: e.evidence_kind()?,
                file_name: e.file_name.clone(),
                size_bytes: e.size_bytes,
                sha256: e.sha256.clone(),
                role: e.uploader_role()?,
                uploaded_at: ssr::local_time(e.uploaded_at),
                note: e.note.clone(),
                clip: e
                    .offset_start_s
                    .zip(e.offset_end_s)
                    .map(|(a, b)| format!("{}–{}", redline_rules::evidence::hms(a), redline_rules::evidence::hms(b))),
                viewable: e.display_sha256.is_some(),
            })
        })
        .collect::<Result<_, redline_store::StoreError>>()
        .map_err(ssr::corrupt)?;
    let is_platform = d.viewer_roles.contains(&redline_rules::case::Role::Platform);
    let min_retain_until = match &extra.preservation {
        Some(p) => {
            let known = extra.session.as_ref().map(|s| &s.session);
            redline_store::case::preservation::min_retain_with(&store.read, &d.case, p.session_id, known)
                .await
                .map_err(ssr::corrupt)?
        }
        None => today,
    };
    let preservation = extra.preservation.as_ref().map(|p| {
        let hms = redline_rules::evidence::hms;
        let mut range = Vec::new();
        if let (Some(a), Some(b)) = (p.from_at, p.to_at) {
            range.push(format!("{} {} {}", ssr::local_time(a), lang.t("至", "to"), ssr::local_time(b)));
        }
        if let (Some(a), Some(b)) = (p.from_offset_s, p.to_offset_s) {
            range.push(match lang {
                redline_rules::lang::Lang::Zh => format!("开播后 {} 至 {}", hms(a), hms(b)),
                redline_rules::lang::Lang::En => format!("{} to {} from the start", hms(a), hms(b)),
            });
        }
        if p.session_id.is_none() {
            // Said plainly: the platform must find the session from the room and the time.
            range.push(
                lang.t("未对应到具体场次，由平台按直播间核对", "no session named: the platform finds it from the room")
                    .to_owned(),
            );
        }
        PreservationView {
            status: p.status.clone(),
            overdue: p.overdue,
            range: range.join(" · "),
            replay_ref: p.replay_ref.clone(),
            retain_until: p.retain_until,
            min_retain_until,
            answer: p.answer.clone(),
            can_answer: is_platform && p.status == redline_store::case::preservation::PENDING,
        }
    });
    let chain = redline_store::chain::verify_events(&d.case, &d.events);
    let chain = ssr::chain_view(&chain);
    let records = {
        let rows = redline_store::case::records::for_case(&store.read, d.case.id).await.map_err(ssr::corrupt)?;
        let open = rows.iter().any(|r| r.answered_at.is_none());
        let is_consumer = d.viewer_roles.contains(&redline_rules::case::Role::Consumer);
        crate::view::RecordsView {
            can_ask: is_consumer && !open,
            can_answer: is_platform && open,
            requests: rows
                .into_iter()
                .map(|r| crate::view::RecordsRow {
                    items: redline_rules::records::RecordsAsk::from_codes(&r.items)
                        .into_iter()
                        .map(|i| lang.t(i.label_zh(), i.label_en()).to_owned())
                        .collect(),
                    asked_at: ssr::local_time(r.asked_at),
                    due_on: r.due_on,
                    answered_at: r.answered_at.map(ssr::local_time),
                    answer: r.answer,
                    overdue: r.overdue,
                })
                .collect(),
            flash: records_flash,
        }
    };
    let may_mark_as: Vec<String> =
        d.viewer_roles.iter().filter(|r| redline_rules::fraud::may_mark(**r)).map(|r| r.as_str().to_owned()).collect();
    // The reason is in the case's chain, which every party may verify: shown to all of them.
    let fraud = crate::view::FraudView {
        suspected: d.case.fraud_suspected,
        reason: d.case.fraud_reason.clone(),
        may_mark_as,
        flash: fraud_flash,
    };
    let may_hold = d.viewer_roles.iter().any(|r| redline_rules::retention::may_hold(*r));
    // As with the fraud mark, the reason is in the chain every party may verify.
    let retention = crate::view::RetentionView {
        retain_until: d.case.retain_until,
        held: d.case.legal_hold,
        reason: d.case.legal_hold_reason.clone(),
        may_hold,
        flash: hold_flash,
    };
    let is_consumer = d.viewer_roles.contains(&redline_rules::case::Role::Consumer);
    let may_rate = if is_consumer {
        redline_store::case::rating::may_rate(&store.read, &d.case).await.map_err(ssr::corrupt)?
    } else {
        Vec::new()
    };
    let given = redline_store::case::rating::of_case(&store.read, d.case.id).await.map_err(ssr::corrupt)?;
    let rating = crate::view::RatingView {
        may_rate: may_rate.iter().map(|h| h.as_str().to_owned()).collect(),
        given: given
            .into_iter()
            .map(|r| (r.handler, [r.attitude as u8, r.speed as u8, r.outcome as u8], r.comment))
            .collect(),
        flash: rating_flash,
    };
    let as_agency = d.viewer_roles.contains(&redline_rules::case::Role::Regulator);
    let violations = if as_agency {
        let leads = redline_store::tip::views::leads_of_case_for(&store, d.case.id, &actor.agency_ids)
            .await
            .map_err(ssr::corrupt)?;
        let in_mediation = matches!(
            d.case.case_state().map_err(ssr::corrupt)?,
            redline_rules::case::CaseState::Mediation | redline_rules::case::CaseState::MediationPaused
        );
        crate::view::ViolationsView {
            may_record: in_mediation,
            leads: leads.into_iter().map(|t| (t.tip_no, t.d9_due_on, t.regulator_status)).collect(),
            flash: violation_flash,
        }
    } else {
        crate::view::ViolationsView { flash: violation_flash, ..Default::default() }
    };
    // The agency's card: the agencies already read for the move form, nothing for the parties.
    let dispute = if !as_agency {
        crate::view::DisputeView { flash: dispute_flash, ..Default::default() }
    } else {
        let all = &all_agencies;
        let name = |id: i64| all.iter().find(|a| a.id == id).map(|a| a.name.clone()).unwrap_or_default();
        let open = redline_store::case::dispute::of_case_id(&store.read, d.case.id)
            .await
            .map_err(ssr::corrupt)?
            .into_iter()
            .find(|x| x.status == redline_store::case::dispute::OPEN)
            .map(|x| (name(x.other_agency), name(x.referee), x.due_on, x.overdue));
        let before_acceptance = matches!(
            d.case.case_state().map_err(ssr::corrupt)?,
            redline_rules::case::CaseState::EscalatedToRegulator | redline_rules::case::CaseState::RegulatorDispatched
        );
        let peers = if before_acceptance && open.is_none() {
            redline_store::case::dispute::peers(&d.case, all)
                .map_err(ssr::corrupt)?
                .into_iter()
                .map(|a| (a.id, if lang.is_zh() { a.name } else { a.name_en }))
                .collect()
        } else {
            Vec::new()
        };
        crate::view::DisputeView { open, peers, flash: dispute_flash }
    };
    let as_platform = d.viewer_roles.contains(&redline_rules::case::Role::Platform);
    let unreachable = if as_agency || as_platform {
        let notices =
            redline_store::parties::unreachable::of_case(&store.read, d.case.id).await.map_err(ssr::corrupt)?;
        crate::view::UnreachableView {
            notices: notices.into_iter().map(|n| (n.id, n.party, n.note, n.due_on, n.answer, n.overdue)).collect(),
            may_notify: as_agency && !state.is_terminal(),
            names_marketer: d.case.marketer_id.is_some() || d.case.marketer_name.is_some(),
            may_remind: as_platform,
            flash: unreachable_flash,
        }
    } else {
        crate::view::UnreachableView { flash: unreachable_flash, ..Default::default() }
    };
    let upload_roles = d.viewer_roles.clone();
    let respondent = d.case.respondent().map_err(ssr::corrupt)?;
    let mut parties =
        vec![(lang.t("投诉对象", "Respondent").to_owned(), ssr::respondent_label(lang, respondent).to_owned())];
    if let Some(m) = &d.case.marketer_name {
        parties.push((lang.t("主播", "Marketer").to_owned(), m.clone()));
    }
    if let Some(m) = &extra.mcn {
        parties.push((lang.t("主播所属机构", "MCN").to_owned(), m.name.clone()));
    }
    if let Some(s) = &d.case.seller_name {
        parties.push((lang.t("实际销售者", "Actual seller").to_owned(), s.clone()));
    }
    let complainant = redline_store::case::complainant::shown_to(&store, &d.case, &d.viewer_roles)
        .await
        .map_err(ssr::corrupt)?
        .map(|c| ComplainantView { name: c.name, phone: c.phone, address: c.address, is_agent: c.is_agent });
    // The consumer alone sees the publication card: what would be published, and where it stands.
    let publication = if d.viewer_roles.contains(&redline_rules::case::Role::Consumer) {
        let asked = redline_store::narratives::of_case(&store, d.case.id).await.map_err(ssr::corrupt)?;
        Some(Publication {
            status: asked.as_ref().map(|n| n.status.clone()),
            masked: asked
                .as_ref()
                .map(|n| n.masked.clone())
                .unwrap_or_else(|| redline_rules::masking::scrub(&d.case.narrative)),
            reason: asked.and_then(|n| n.reason),
            flash: publication_flash,
        })
    } else {
        None
    };
    let dossier = Dossier {
        publication,
        case_no: d.case.case_no.clone(),
        version: d.case.version,
        state,
        platform: if lang.is_zh() { d.platform.name.clone() } else { d.platform.name_en.clone() },
        room: d.room.display_name.clone(),
        room_url: d.room.url.clone(),
        operator: d.operator.name.clone(),
        product: d.case.product_name.clone(),
        order_no: d.case.order_no.clone(),
        ordered_on: d.case.ordered_on,
        amount_fen: d.case.amount_fen,
        categories: d.case.categories().map_err(ssr::corrupt)?.iter().map(|c| c.as_str().to_owned()).collect(),
        demands: d.case.demands().map_err(ssr::corrupt)?.iter().map(|c| c.as_str().to_owned()).collect(),
        narrative: d.case.narrative.clone(),
        moment,
        harm_known_on: d.case.harm_known_on,
        agency: d.agency.map(|a| if lang.is_zh() { a.name } else { a.name_en }),
        jurisdiction: juris
            .into_iter()
            .map(|j| {
                let (zh, en) = redline_store::jurisdiction::place_name(&j.region, &all_agencies);
                if lang.is_zh() {
                    (zh, j.basis_zh)
                } else {
                    (en, j.basis)
                }
            })
            .collect(),
        warnings: if d.viewer_roles.contains(&redline_rules::case::Role::Regulator) {
            // Order 121 Art. 16(4): the three years run to the regulator's receipt
            // (D5's start), not to the filing with the operator.
            let received = d
                .clocks
                .iter()
                .filter(|k| k.kind == redline_rules::ClockKind::D5.as_str())
                .map(|k| k.start_on)
                .max()
                .unwrap_or_else(|| redline_store::time::china_date(d.case.created_at));
            redline_rules::intake::warnings(d.case.harm_known_on, received, d.case.order_no.is_some())
        } else {
            vec![]
        },
        operator_untimely: d.case.operator_untimely,
        platform_untimely: d.case.platform_untimely,
        clocks: d.clocks.iter().map(|c| ssr::clock_view(c, today)).collect::<Result<_, _>>().map_err(ssr::corrupt)?,
        events: d.events.iter().map(ssr::event_view).collect::<Result<_, _>>().map_err(ssr::corrupt)?,
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
        records,
        fraud,
        retention,
        rating,
        violations,
        dispute,
        unreachable,
        chain,
        parties,
        complainant,
        context: cctx,
        viewer_roles: d.viewer_roles.clone(),
    };
    Ok(Loaded { ctx, data: Ok(dossier) })
}
