//! The narratives awaiting review, for Redline's administrators (`store::narratives`).
#[cfg(feature = "ssr")]
use super::ssr;
use crate::view::*;
use leptos::prelude::*;

#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct NarrativeReview {
    pub id: i64,
    pub case_no: String,
    pub room: String,
    pub masked: String,
    pub requested_at: String,
    pub flash: FormFlash,
}

#[server]
pub async fn load_narratives() -> Result<Loaded<Vec<NarrativeReview>>, ServerFnError> {
    let (store, ctx, actor, key) = ssr::caller().await?;
    let lang = ctx.lang;
    let Some(actor) = actor.filter(|a| a.is_admin) else {
        return Ok(Loaded { ctx, data: Err(lang.t("仅管理员可访问", "Administrators only").into()) });
    };
    let rows = match redline_store::narratives::pending(&store, &actor, 100).await {
        Ok(r) => r,
        Err(e) => return Ok(Loaded { ctx, data: Err(ssr::refused(lang, &e)) }),
    };
    let mut out = Vec::new();
    for r in rows {
        let flash = ssr::take_flash(&store, &key, &format!("narrative:{}", r.narrative.id)).await;
        out.push(NarrativeReview {
            id: r.narrative.id,
            case_no: r.case_no,
            room: r.room,
            masked: r.narrative.masked,
            requested_at: ssr::local_time(r.narrative.requested_at),
            flash,
        });
    }
    Ok(Loaded { ctx, data: Ok(out) })
}
