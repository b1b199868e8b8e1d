//! Search (检索): the caller's cases by any words of their narrative,
//! product, room, parties or number, matches marked.
use super::framed;
use crate::api::load_search;
use crate::i18n::Lang;
use crate::view::SearchPage;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn Search() -> impl IntoView {
    let q = use_query_map();
    let data = Resource::new(
        move || q.with(|m| (m.get("q"), m.get("page").and_then(|p| p.parse::<usize>().ok()))),
        |(q, page)| load_search(q, page),
    );
    framed(data, Some(("检索案件", "Search cases")), |lang, page| results(lang, page).into_any())
}

fn results(lang: Lang, p: SearchPage) -> impl IntoView {
    let link = |n: usize| format!("/search?q={}&page={n}", crate::view::urlencode(&p.q));
    let hits = p
        .hits
        .iter()
        .map(|h| {
            let snippet = h
                .snippet
                .iter()
                .map(|(s, hit)| if *hit { view! { <mark>{s.clone()}</mark> }.into_any() } else { s.clone().into_any() })
                .collect_view();
            view! {
                <li class="hit" data-case=h.case_no.clone()>
                    <a href=format!("/cases/{}", h.case_no)>{h.case_no.clone()}</a>
                    " "<span class=format!("state-badge tier-{}", h.state.tier().as_str())>{lang.t(h.state.label_zh(), h.state.label_en())}</span>
                    <span class="meta">{h.room.clone()}" · "{h.product.clone()}" · "{h.filed_on.clone()}</span>
                    <p class="snippet">{snippet}</p>
                </li>
            }
        })
        .collect_view();
    let searched = !p.q.trim().is_empty() && p.error.is_none();
    view! {
        <form method="get" action="/search" class="card finder" id="search-form" role="search">
            <label>{lang.t("关键词（案件编号、直播间、商品、主播或事实经过中的词，至少两个字）", "Words (case number, room, product, marketer or narrative; two characters or more)")}
                <input type="search" name="q" value=p.q.clone() maxlength="40" aria-describedby="search-error"/></label>
            <button type="submit">{lang.t("检索", "Search")}</button>
            {p.error.clone().map(|e| view! { <p class="field-error" id="search-error">{e}</p> })}
        </form>
        {searched.then(|| view! {
            <p id="search-count">{match lang {
                Lang::Zh => format!("找到{}{}件", if p.capped { "至少" } else { "" }, p.total),
                Lang::En => format!("{}{} found", if p.capped { "at least " } else { "" }, p.total),
            }}{p.capped.then(|| lang.t("（仅列出最新的200件，请加词缩小范围）", " (the newest 200 listed; add words to narrow it)"))}</p>
        })}
        {(searched && p.hits.is_empty()).then(|| view! { <p class="empty">{lang.t("没有找到匹配的案件。", "No case matches.")}</p> })}
        <ol class="hits" id="hits">{hits}</ol>
        {(p.pages > 1).then(|| view! {
            <nav class="pager" aria-label=lang.t("分页", "Pages")>
                {(p.page > 1).then(|| view! { <a href=link(p.page - 1) rel="prev">{lang.t("上一页", "Previous")}</a> })}
                " "{format!("{} / {}", p.page, p.pages)}" "
                {(p.page < p.pages).then(|| view! { <a href=link(p.page + 1) rel="next" class="next">{lang.t("下一页", "Next")}</a> })}
            </nav>
        })}
    }
}
