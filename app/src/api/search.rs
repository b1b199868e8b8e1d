//! Search over the cases the caller may see (`store::search`).
#[cfg(feature = "ssr")]
use super::ssr;
use crate::view::*;
use leptos::prelude::*;

/// The caller's cases matching `q` (page from 1).
#[server]
pub async fn load_search(q: Option<String>, page: Option<usize>) -> Result<Loaded<SearchPage>, ServerFnError> {
    let (store, ctx, actor, _) = ssr::caller().await?;
    let lang = ctx.lang;
    let Some(actor) = actor else {
        return Ok(Loaded { ctx, data: Err(ssr::not_signed_in(lang)) });
    };
    let typed = q.unwrap_or_default();
    let page =
        page.unwrap_or(1).clamp(1, (redline_store::search::CANDIDATES as usize).div_ceil(redline_store::search::PAGE));
    let mut out = SearchPage { q: typed.clone(), page, ..Default::default() };
    if typed.trim().is_empty() {
        return Ok(Loaded { ctx, data: Ok(out) });
    }
    let query = match redline_rules::search::query(&typed) {
        Ok(q) => q,
        Err(e) => {
            out.error = Some(lang.t(e.message_zh(), e.message_en()).to_owned());
            return Ok(Loaded { ctx, data: Ok(out) });
        }
    };
    let found = match redline_store::search::search(&store, &actor, &query, page).await {
        Ok(f) => f,
        Err(e) => return Ok(Loaded { ctx, data: Err(ssr::refused(lang, &e)) }),
    };
    out.total = found.total;
    out.capped = found.capped;
    out.pages = found.total.div_ceil(redline_store::search::PAGE);
    out.hits = found
        .hits
        .into_iter()
        .map(|h| {
            Ok(SearchHit {
                case_no: h.case.case_no.clone(),
                state: h.case.case_state()?,
                room: h.room,
                product: h.case.product_name.clone(),
                filed_on: ssr::local_time(h.case.created_at)[..10].to_owned(),
                snippet: h.snippet,
            })
        })
        .collect::<Result<_, redline_store::StoreError>>()
        .map_err(ssr::corrupt)?;
    Ok(Loaded { ctx, data: Ok(out) })
}
