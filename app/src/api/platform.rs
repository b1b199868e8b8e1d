//! Pages of platforms and rooms: policy settings, a live room's public page
//! and the sessions staff report.
#[cfg(feature = "ssr")]
use super::ssr;
use crate::view::*;
use leptos::prelude::*;

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
            let pol =
                redline_store::case::clocks::platform_policy(&p).map_err(|e| ServerFnError::new(e.to_string()))?;
            Ok::<_, ServerFnError>(PlatformPolicy {
                id: p.id,
                name: if lang.is_zh() { p.name } else { p.name_en },
                d1: pol.d1_working_days,
                d2: pol.d2_natural_days,
                d3: pol.d3_working_days,
                d4: pol.d4_working_days,
                margin: pol.preserve_margin_min,
            })
        })
        .collect::<Result<_, ServerFnError>>()?;
    let flash = ssr::take_flash(&store, &key, "policy").await;
    Ok(Loaded { ctx, data: Ok(PlatformSettings { platforms, flash }) })
}

/// A live room's public page: disclosed operator data and recent sessions with
/// their products, from which a consumer can file about a session.
#[server]
pub async fn load_room(id: i64) -> Result<Loaded<RoomView>, ServerFnError> {
    let (store, ctx, _actor, _) = ssr::caller().await?;
    let lang = ctx.lang;
    let data = match redline_store::case::queries::room_page(&store, id).await {
        Ok(Some((room, plat, sessions))) => match redline_store::parties::views::room_parties(&store, &room).await {
            Ok(parties) => {
                let figures = redline_store::public::figures(&store, &room).await.map_err(ssr::corrupt)?;
                let public_cases = redline_store::public::room_cases(&store, room.id, 20)
                    .await
                    .map_err(ssr::corrupt)?
                    .into_iter()
                    .map(|c| {
                        Ok(PublicCase {
                            filed_on: ssr::local_time(c.created_at)[..10].to_owned(),
                            categories: c.categories()?.iter().map(|k| k.as_str().to_owned()).collect(),
                            state: c.case_state()?,
                            escalated: c.agency_id.is_some(),
                        })
                    })
                    .collect::<Result<Vec<_>, redline_store::StoreError>>()
                    .map_err(ssr::corrupt)?;
                let narratives = redline_store::narratives::published(&store, room.id, 20)
                    .await
                    .map_err(ssr::corrupt)?
                    .into_iter()
                    .map(|(d, t)| (d.to_string(), t))
                    .collect();
                Ok(RoomView {
                    narratives,
                    figures: [figures.room, figures.operator, figures.platform],
                    figures_at: figures.computed_at.map(ssr::local_time),
                    public_cases,
                    id: room.id,
                    platform_id: plat.id,
                    platform: if lang.is_zh() { plat.name } else { plat.name_en },
                    platform_room_id: room.platform_room_id.clone(),
                    name: room.display_name.clone(),
                    url: room.url.clone(),
                    operator: PublicOperatorView {
                        name: parties.operator.name,
                        credit_code: parties.operator.credit_code,
                        address: parties.operator.address,
                        // A place as people name it, not its GB/T 2260 code.
                        city: match parties.operator.city_region {
                            Some(code) => {
                                let agencies =
                                    redline_store::case::queries::agencies(&store).await.map_err(ssr::corrupt)?;
                                let (zh, en) = redline_store::jurisdiction::place_name(&code, &agencies);
                                Some(if lang.is_zh() { zh } else { en })
                            }
                            None => None,
                        },
                        licences: parties
                            .operator
                            .licences
                            .into_iter()
                            .map(|l| (l.name, l.number, l.valid_until.map(|d| d.to_string())))
                            .collect(),
                    },
                    marketers: parties.marketers.iter().map(|m| ssr::marketer_view(m, &parties.mcns)).collect(),
                    sessions: sessions
                        .iter()
                        .map(|s| ssr::session_view(&s.session, &room.display_name, &s.products))
                        .collect(),
                })
            }
            Err(e) => Err(ssr::refused(lang, &e)),
        },
        Ok(None) => Err(Refused::not_found(lang.t("未找到该直播间", "No such live room"))),
        Err(e) => Err(ssr::refused(lang, &e)),
    };
    Ok(Loaded { ctx, data })
}

/// Platform staff: their rooms' sessions and the session form.
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
        platforms.push(PlatformStreams {
            id: p.id,
            name: if lang.is_zh() { p.name } else { p.name_en },
            rooms: rooms.into_iter().map(|r| (r.platform_room_id, r.display_name, r.id)).collect(),
            sessions,
        });
    }
    let flash = ssr::take_flash(&store, &key, "sessions").await;
    Ok(Loaded { ctx, data: Ok(StreamsPage { platforms, flash }) })
}

/// Platform staff: the parties they reported, the forms to report one, and
/// their recorded changes (Order 117 Arts. 9, 15, 25).
#[server]
pub async fn load_parties() -> Result<Loaded<PartiesPage>, ServerFnError> {
    let (store, ctx, actor, key) = ssr::caller().await?;
    let lang = ctx.lang;
    let Some(actor) = actor.filter(|a| !a.platform_ids.is_empty()) else {
        return Ok(Loaded { ctx, data: Err(lang.t("仅平台工作人员可访问", "Platform staff only").into()) });
    };
    let err = |e: redline_store::StoreError| ServerFnError::new(e.to_string());
    let mut platforms = Vec::new();
    for p in redline_store::case::queries::staffed_platforms(&store, &actor).await.map_err(err)? {
        let o = redline_store::parties::views::overview(&store, p.id).await.map_err(err)?;
        let name = if lang.is_zh() { p.name } else { p.name_en };
        platforms.push(PlatformParties {
            id: p.id,
            counts: [o.operators, o.rooms, o.marketers, o.mcns],
            changes: o.changes.iter().map(|c| ssr::party_change_view(c, &name)).collect(),
            name,
        });
    }
    let kinds = ["mcn", "operator", "marketer", "room"];
    let forms = kinds.map(|kind| format!("party-{kind}"));
    let kept = ssr::take_flashes(&store, &key, &forms.each_ref().map(String::as_str)).await;
    let flash = kinds.iter().map(|k| k.to_string()).zip(kept).collect();
    Ok(Loaded { ctx, data: Ok(PartiesPage { platforms, flash }) })
}

/// Market supervision: reports of parties that came after the Order 117 Art. 15 period.
#[server]
pub async fn load_late_reports() -> Result<Loaded<Vec<PartyChangeView>>, ServerFnError> {
    let (store, ctx, actor, _) = ssr::caller().await?;
    let lang = ctx.lang;
    if actor.is_none_or(|a| a.agency_ids.is_empty()) {
        return Ok(Loaded {
            ctx,
            data: Err(lang.t("仅市场监管工作人员可访问", "Market supervision staff only").into()),
        });
    }
    let data = match redline_store::parties::views::late_reports(&store, 200).await {
        Ok(rows) => Ok(rows.iter().map(|(c, p)| ssr::party_change_view(c, p)).collect()),
        Err(e) => Err(ssr::refused(lang, &e)),
    };
    Ok(Loaded { ctx, data })
}
