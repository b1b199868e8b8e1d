//! The monitoring desk for market supervision (its region) and platforms
//! (their rooms): `store::desk`, read as the page and its CSV show it.
#[cfg(feature = "ssr")]
use super::ssr;
use crate::view::*;
use leptos::prelude::*;

/// The desk `actor` may open with the page's choices, as plain data (the CSV
/// route uses it too). Unknown choices fall back to the defaults.
#[cfg(feature = "ssr")]
pub async fn desk_page(
    store: &redline_store::Store,
    actor: &redline_store::actor::Actor,
    lang: crate::i18n::Lang,
    period: Option<String>,
    by: Option<String>,
    platform: Option<i64>,
    operator: Option<i64>,
) -> Result<Result<DeskPage, Refused>, redline_store::StoreError> {
    use redline_rules::desk::{By, Period};
    use redline_store::desk::{self, Narrow, Scope};
    let Some(scope) = desk::scope_of(store, actor).await? else {
        return Ok(Err(lang.t("仅平台和监管部门工作人员可查看", "Platform and agency staff only").into()));
    };
    let period = period.as_deref().and_then(Period::parse).unwrap_or_default();
    let by = by.as_deref().and_then(By::parse).unwrap_or_default();
    let narrow = Narrow { platform, operator };
    let d = desk::desk(store, &scope, period, by, narrow).await?;
    let name_of = |lines: &[DeskLine], id: Option<i64>| {
        id.map(|i| (i, lines.iter().find(|l| l.id == i).map(|l| l.name.clone()).unwrap_or_default()))
    };
    let operator = operator.zip(d.operator_name.clone());
    let total =
        DeskLine { id: 0, name: lang.t("合计", "Total").to_owned(), tally: d.total, median_days: d.median_days };
    Ok(Ok(DeskPage {
        regulator: matches!(scope, Scope::Region(_)),
        queue: if matches!(scope, Scope::Region(_)) { "/regulator" } else { "/platform" }.to_owned(),
        period: period.as_str(),
        by: by.as_str().to_owned(),
        platform: name_of(&d.platforms, platform),
        operator,
        since: d.first_week.to_string(),
        computed_at: d.computed_at.map(ssr::local_time),
        total,
        lines: d.lines,
        platforms: d.platforms,
        weeks: d
            .weeks
            .iter()
            .map(|(w, t)| {
                (
                    w.format("%m-%d").to_string(),
                    [t.received - t.to_platform, t.to_platform - t.to_regulator, t.to_regulator],
                )
            })
            .collect(),
        categories: d.categories.iter().map(|(c, n)| (lang.t(c.label_zh(), c.label_en()).to_owned(), *n)).collect(),
        ratings: d.ratings.iter().map(|r| (r.handler.as_str().to_owned(), r.averages, r.cases)).collect(),
    }))
}

/// The desk figure a work list narrows to, from its query ("since=…&room=…
/// &held=…&outcome=…"): the filter, and the same query rebuilt from what was
/// understood (for the list's own links). Unknown keys and values are dropped.
#[cfg(feature = "ssr")]
pub fn parse_figure(q: &str) -> (redline_store::case::queries::Figure, String) {
    use redline_store::case::queries::{Figure, Outcome};
    let mut f = Figure::default();
    for (k, v) in q.split('&').filter_map(|kv| kv.split_once('=')) {
        match k {
            "platform" => f.platform = v.parse().ok(),
            "operator" => f.operator = v.parse().ok(),
            "room" => f.room = v.parse().ok(),
            "since" => f.since = v.parse().ok(),
            "held" => f.held = v.parse().ok().filter(|t| *t != redline_rules::case::Tier::Closed),
            "outcome" => f.outcome = Outcome::parse(v),
            _ => {}
        }
    }
    let mut out = Vec::new();
    for (k, v) in [("platform", f.platform), ("operator", f.operator), ("room", f.room)] {
        if let Some(v) = v {
            out.push(format!("{k}={v}"));
        }
    }
    if let Some(d) = f.since {
        out.push(format!("since={d}"));
    }
    if let Some(t) = f.held {
        out.push(format!("held={}", t.as_str()));
    }
    if let Some(o) = f.outcome {
        out.push(format!("outcome={}", o.as_str()));
    }
    (f, out.join("&"))
}

#[server]
pub async fn load_desk(
    period: Option<String>,
    by: Option<String>,
    platform: Option<i64>,
    operator: Option<i64>,
) -> Result<Loaded<DeskPage>, ServerFnError> {
    let (store, ctx, actor, _) = ssr::caller().await?;
    let lang = ctx.lang;
    let Some(actor) = actor else {
        return Ok(Loaded { ctx, data: Err(ssr::not_signed_in(lang)) });
    };
    let data = match desk_page(&store, &actor, lang, period, by, platform, operator).await {
        Ok(d) => d,
        Err(e) => Err(ssr::refused(lang, &e)),
    };
    Ok(Loaded { ctx, data })
}
