//! Cluster alerts for platform staff and agencies (`store::alerts`).
#[cfg(feature = "ssr")]
use super::ssr;
use crate::view::*;
use leptos::prelude::*;

/// What an alert's complaints share, in words: the kind, and its name when known.
#[cfg(feature = "ssr")]
fn subject_label(lang: crate::i18n::Lang, subject: &str, name: Option<&str>) -> String {
    let s = subject.parse::<redline_rules::cluster::Subject>().unwrap_or(redline_rules::cluster::Subject::Room);
    let kind = lang.t(s.label_zh(), s.label_en());
    match name.filter(|_| s != redline_rules::cluster::Subject::Room) {
        Some(n) => format!("{kind}{}{n}", lang.t("：", ": ")),
        None => kind.to_owned(),
    }
}

/// The alerts the caller may see, newest first.
#[server]
pub async fn load_alerts() -> Result<Loaded<Vec<AlertRow>>, ServerFnError> {
    let (store, ctx, actor, _) = ssr::caller().await?;
    let lang = ctx.lang;
    let Some(actor) = actor.filter(|a| !a.platform_ids.is_empty() || !a.agency_ids.is_empty()) else {
        return Ok(Loaded {
            ctx,
            data: Err(lang.t("仅平台和监管部门工作人员可查看", "Platform and agency staff only").into()),
        });
    };
    let rows = match redline_store::alerts::list(&store, &actor, 100).await {
        Ok(r) => r,
        Err(e) => return Ok(Loaded { ctx, data: Err(ssr::refused(lang, &e)) }),
    };
    let data = rows
        .into_iter()
        .map(|(a, room)| AlertRow {
            id: a.id,
            subject: subject_label(lang, &a.subject, None),
            room,
            cases: serde_json::from_str::<Vec<i64>>(&a.case_ids_json).map(|v| v.len()).unwrap_or(0),
            state: a.state,
            first_at: ssr::local_time(a.first_at),
            last_at: ssr::local_time(a.last_at),
        })
        .collect();
    Ok(Loaded { ctx, data: Ok(data) })
}

/// One alert with its cases and where in the stream each points.
#[server]
pub async fn load_alert(id: i64) -> Result<Loaded<AlertPage>, ServerFnError> {
    let (store, ctx, actor, key) = ssr::caller().await?;
    let lang = ctx.lang;
    let Some(actor) = actor else {
        return Ok(Loaded { ctx, data: Err(ssr::not_signed_in(lang)) });
    };
    let v = match redline_store::alerts::one(&store, &actor, id).await {
        Ok(v) => v,
        Err(e) => return Ok(Loaded { ctx, data: Err(ssr::refused(lang, &e)) }),
    };
    let hms = |o: i64| format!("{:02}:{:02}:{:02}", o / 3600, o % 3600 / 60, o % 60);
    let cases = v
        .cases
        .iter()
        .map(|c| AlertCase {
            case_no: c.case_no.clone(),
            filed_at: ssr::local_time(c.created_at),
            offset_s: c.stream_offset_s,
            moment: match (c.stream_offset_s, c.stream_clock_at) {
                (Some(o), _) => format!("{}{}", lang.t("开播后 ", "+"), hms(o)),
                (None, Some(t)) => ssr::local_time(t),
                (None, None) => "—".to_owned(),
            },
            product: c.product_name.clone(),
        })
        .collect();
    let flash = ssr::take_flash(&store, &key, &format!("alert:{id}")).await;
    Ok(Loaded {
        ctx,
        data: Ok(AlertPage {
            subject: subject_label(
                lang,
                &v.alert.subject,
                v.cases.first().and_then(|c| match v.alert.subject.parse() {
                    Ok(redline_rules::cluster::Subject::Product) => Some(c.product_name.as_str()),
                    _ => c.marketer_name.as_deref(),
                }),
            ),
            id: v.alert.id,
            room: v.room.display_name.clone(),
            room_id: v.room.id,
            state: v.alert.state.clone(),
            note: v.alert.note.clone(),
            first_at: ssr::local_time(v.alert.first_at),
            last_at: ssr::local_time(v.alert.last_at),
            cases,
            flash,
        }),
    })
}
