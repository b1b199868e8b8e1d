//! Work queues of operator, platform and regulator staff, ordered by deadline.
use super::{loading, refusal, Layout};
use crate::api::load_queue;
use crate::i18n::{yuan, Lang};
use crate::view::QueuePage;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// A keyset-paginated queue; `kind` is mine/operator/platform/regulator.
#[component]
pub fn Queue(kind: &'static str, title_zh: &'static str, title_en: &'static str) -> impl IntoView {
    let q = use_query_map();
    let data = Resource::new(move || q.with(|m| m.get("after")), move |after| load_queue(kind.to_owned(), after));
    view! {
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                let Ok(l) = data.await else { return view! { <p>"error"</p> }.into_any() };
                let lang = l.ctx.lang;
                let body = match l.data.clone() {
                    Ok(page) => table(lang, kind, page).into_any(),
                    Err(e) => refusal(lang, e),
                };
                view! {
                    <Layout ctx=l.ctx.clone()>
                        <h1>{lang.t(title_zh, title_en)}</h1>
                        {body}
                    </Layout>
                }.into_any()
            })}
        </Suspense>
    }
}

fn table(lang: Lang, kind: &'static str, page: QueuePage) -> impl IntoView {
    let empty = page.rows.is_empty();
    let rows = page
        .rows
        .into_iter()
        .map(|r| {
            let due = r.next_due.map(|d| d.to_string()).unwrap_or_else(|| "—".into());
            let cls = if r.overdue { "overdue" } else { "" };
            view! {
                <tr class=cls data-case=r.case_no.clone()>
                    <td><a href=format!("/cases/{}", r.case_no)>{r.case_no.clone()}</a></td>
                    <td class="state">{lang.t(r.state.label_zh(), r.state.label_en())}</td>
                    <td>{r.platform}" · "{r.room}</td>
                    <td>{r.product}</td>
                    <td class="num">{yuan(r.amount_fen)}</td>
                    <td>{due}{r.overdue.then(|| view! { <span class="badge red">{lang.t("已逾期", "Overdue")}</span> })}
                        {r.untimely.then(|| view! { <span class="badge amber">{lang.t("曾超时", "Untimely")}</span> })}</td>
                    <td>{r.filed_on}</td>
                </tr>
            }
        })
        .collect_view();
    let next = page.next.map(|n| {
        let base = if kind == "mine" { "/me/cases".to_owned() } else { format!("/{kind}") };
        view! { <p><a class="next" href=format!("{base}?after={n}")>{lang.t("下一页", "Next page")}</a></p> }
    });
    view! {
        {empty.then(|| view! { <p class="empty">{lang.t("暂无案件", "No cases")}</p> })}
        <table class="queue" id=format!("queue-{kind}")>
            <thead><tr>
                <th>{lang.t("案件编号", "Case")}</th><th>{lang.t("状态", "State")}</th>
                <th>{lang.t("平台·直播间", "Platform · room")}</th><th>{lang.t("商品", "Product")}</th>
                <th>{lang.t("金额", "Amount")}</th><th>{lang.t("最近时限", "Next deadline")}</th><th>{lang.t("投诉日期", "Filed")}</th>
            </tr></thead>
            <tbody>{rows}</tbody>
        </table>
        {next}
    }
}

#[component]
pub fn OperatorQueue() -> impl IntoView {
    view! { <Queue kind="operator" title_zh="运营者收件箱" title_en="Operator inbox"/> }
}

#[component]
pub fn PlatformQueue() -> impl IntoView {
    view! { <Queue kind="platform" title_zh="平台投诉处理" title_en="Platform complaints"/> }
}

#[component]
pub fn RegulatorQueue() -> impl IntoView {
    view! { <Queue kind="regulator" title_zh="辖区投诉队列（按时限排序）" title_en="Jurisdiction queue (by deadline)"/> }
}
