//! Pages of tips (举报): the public form and receipt, status by receipt, a
//! reporter's own tips, the staff queues and one tip.
#[cfg(feature = "ssr")]
use super::ssr;
use crate::view::*;
use leptos::prelude::*;

/// The public tip form (no account needed).
#[server]
pub async fn load_tip_form() -> Result<Loaded<TipForm>, ServerFnError> {
    let (store, ctx, actor, key) = ssr::caller().await?;
    let platforms = ssr::platform_choices(&store, ctx.lang).await?;
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
        due_on: v.due_on,
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
        .map_err(|e| ssr::refused(lang, &e));
    Ok(Loaded { ctx, data })
}

#[cfg(feature = "ssr")]
fn tip_row(t: &redline_store::entity::tip::Model, room: String) -> Result<TipRow, ServerFnError> {
    Ok(TipRow {
        tip_no: t.tip_no.clone(),
        room,
        filed_on: ssr::local_time(t.created_at)[..10].to_owned(),
        categories: redline_store::entity::typed::stored_json("tips.categories_json", &t.categories_json)
            .map_err(ssr::corrupt)?,
        platform_status: t.platform_status.clone(),
        regulator_status: t.regulator_status.clone(),
        d9_due: t.d9_due_on,
        d9_overdue: t.d9_overdue,
        d9_extended: t.d9_extended,
        d9_paused: t.d9_paused_at.is_some(),
        d10_due: t.d10_due_on,
        d10_extended: t.d10_extended,
        cac_listed: t.cac_listed,
    })
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
                    .collect::<Result<_, _>>()?,
                regulator,
            })
        }
        Err(e) => Err(ssr::refused(lang, &e)),
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
        Err(e) => return Ok(Loaded { ctx, data: Err(ssr::refused(lang, &e)) }),
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
        redline_store::entity::typed::stored_json("tips.jurisdiction_json", &v.tip.jurisdiction_json)
            .map_err(ssr::corrupt)?;
    let flash = ssr::take_flash(&store, &key, &format!("tip:{tip_no}")).await;
    let view = StaffTipView {
        row: tip_row(&v.tip, names.get(&v.tip.live_room_id).cloned().unwrap_or_default())?,
        target: {
            let kind = redline_store::entity::typed::stored::<redline_rules::RespondentKind>(
                "tips.target_kind",
                &v.tip.target_kind,
            )
            .map_err(ssr::corrupt)?;
            let mut t = ssr::respondent_label(lang, kind).to_owned();
            if let Some(m) = &v.tip.marketer_name {
                t.push_str(&format!(" · {}{m}", lang.t("主播：", "marketer: ")));
            }
            t
        },
        description: v.tip.description.clone(),
        moments: redline_store::entity::typed::stored_json("tips.moments_json", &v.tip.moments_json)
            .map_err(ssr::corrupt)?,
        platform_measure: v.tip.platform_measure.clone(),
        platform_note: v.tip.platform_note.clone(),
        decision: v.tip.decision.clone(),
        regulator_note: v.tip.regulator_note.clone(),
        extension_reason: v.tip.d9_extension_reason.clone(),
        jurisdiction: {
            let agencies = redline_store::case::queries::agencies(&store).await.unwrap_or_default();
            juris
                .into_iter()
                .map(|j| {
                    let (zh, en) = redline_store::jurisdiction::place_name(&j.region, &agencies);
                    if lang.is_zh() {
                        (zh, j.basis_zh)
                    } else {
                        (en, j.basis)
                    }
                })
                .collect()
        },
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
        origin: v.tip.origin.clone(),
        case_no: match (v.as_regulator, v.tip.linked_complaint_id) {
            (true, Some(id)) => redline_store::tip::views::case_no_of(&store, id).await.map_err(ssr::corrupt)?,
            _ => None,
        },
        retain_until: v.tip.retain_until,
        legal_hold: v.tip.legal_hold,
        legal_hold_reason: v.tip.legal_hold_reason.clone(),
        flash,
        chain: ssr::chain_view(&v.chain),
    };
    Ok(Loaded { ctx, data: Ok(view) })
}
