//! Live rooms and their sessions: the public room page (disclosed operator,
//! recent sessions and what they showed, with a link to file about a session)
//! and the platform staff's page for reporting sessions.
use super::evidence::product_line;
use super::{field_error, framed};
use crate::api::{load_room, load_streams};
use crate::i18n::Lang;
use crate::view::SessionView;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

fn session_card(lang: Lang, s: &SessionView, file_link: bool) -> impl IntoView {
    let products = s
        .products
        .iter()
        .map(|p| view! { <li class="product" data-sku=p.sku.clone()>{product_line(lang, p)}</li> })
        .collect_view();
    view! {
        <li class="session" data-session=s.id.to_string()>
            <strong>{s.room.clone()}</strong>" · "{s.started.clone()}
            {s.ended.clone().map(|e| view! { " – "{e} })}
            {s.replay_ref.is_some().then(|| view! { <span class="tag">{lang.t("有回放", "replay kept")}</span> })}
            <ul class="products">{products}</ul>
            // The platform's own references help staff and courts, not consumers.
            {(s.platform_session_id.is_some() || s.replay_ref.is_some()).then(|| view! {
                <details class="tech">
                    <summary>{lang.t("技术信息", "Technical details")}</summary>
                    <dl>
                        {s.platform_session_id.clone().map(|p| view! { <dt>{lang.t("平台场次编号", "Platform session id")}</dt><dd><code>{p}</code></dd> })}
                        {s.replay_ref.clone().map(|r| view! { <dt>{lang.t("回放地址", "Replay address")}</dt><dd><code>{r}</code></dd> })}
                    </dl>
                </details>
            })}
            {file_link.then(|| view! {
                <a class="button" href=format!("/me/new?session={}", s.id)>{lang.t("投诉这场直播", "File a complaint about this session")}</a>
            })}
        </li>
    }
}

#[component]
pub fn RoomPage() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new(
        move || params.with(|p| p.get("id").and_then(|i| i.parse::<i64>().ok()).unwrap_or_default()),
        load_room,
    );
    let name =
        |lang: Lang, r: &crate::view::RoomView| Some(format!("{}{}", r.name, lang.t(" · 直播间", " · live room")));
    super::framed_titled(data, None, name, |lang, r| {
        let op = r.operator.clone();
        let marketers = r
            .marketers
            .iter()
            .map(|m| view! {
                <li data-marketer=m.id.to_string()>
                    <strong>{m.stage_name.clone()}</strong>" · "<code data-latin="">{m.account.clone()}</code>
                    {m.is_virtual.then(|| view! { " · "<span class="tag">{lang.t("虚拟人", "virtual human")}</span> })}
                    {m.mcn.clone().map(|n| view! { " · "{lang.t("机构：", "MCN: ")}{n} })}
                </li>
            })
            .collect_view();
        let sessions = r.sessions.iter().map(|s| session_card(lang, s, true)).collect_view();
        view! {
            <h1>{r.name.clone()}</h1>
            <p>{r.platform.clone()}" · "<a href=r.url.clone() rel="external nofollow">{lang.t("在平台上打开直播间", "Open the room on its platform")}</a></p>
            <details class="tech"><summary>{lang.t("技术信息", "Technical details")}</summary>
                <dl><dt>{lang.t("平台直播间编号", "Platform room id")}</dt><dd><code>{r.platform_room_id.clone()}</code></dd>
                    <dt>{lang.t("直播间地址", "Room address")}</dt><dd><code>{r.url.clone()}</code></dd></dl>
            </details>
            <section class="card">
                <h2>{lang.t("公示信息（办法第二十五至二十六条）", "Disclosed information (Order 117 Arts. 25–26)")}</h2>
                <dl id="operator">
                    <dt>{lang.t("运营者", "Operator")}</dt><dd>{op.name}</dd>
                    {op.credit_code.map(|c| view! { <dt>{lang.t("统一社会信用代码", "Credit code")}</dt><dd>{c}</dd> })}
                    {op.address.map(|a| view! { <dt>{lang.t("经营地址", "Business address")}</dt><dd>{a}</dd> })}
                    {op.city.map(|c| view! { <dt>{lang.t("所在地区", "Place")}</dt><dd>{c}</dd> })}
                    {op.licences.into_iter().map(|(n, no, until)| view! {
                        <dt>{lang.t("行政许可", "Licence")}</dt>
                        <dd class="licence">{match until {
                            Some(u) => format!("{n} · {no} · {} {u}", lang.t("有效期至", "valid until")),
                            None => format!("{n} · {no}"),
                        }}</dd>
                    }).collect_view()}
                </dl>
            </section>
            <section class="card">
                <h2>{lang.t("近期出镜的主播（办法第二十八条）", "Marketers in recent sessions (Order 117 Art. 28)")}</h2>
                {r.marketers.is_empty().then(|| view! { <p class="explain">{lang.t("平台尚未报送出镜主播。", "The platform has not reported who appeared.")}</p> })}
                <ul id="marketers">{marketers}</ul>
            </section>
            <section class="card">
                <h2>{lang.t("近期直播场次", "Recent sessions")}</h2>
                {r.sessions.is_empty().then(|| view! { <p class="explain">{lang.t("平台尚未报送场次。", "The platform has not reported sessions yet.")}</p> })}
                <ul class="sessions" id="sessions">{sessions}</ul>
            </section>
            {accountability(lang, &r)}
        }
        .into_any()
    })
}

/// How the room, its operator and its platform answer complaints (last twelve
/// months; rates only above the minimum sample), and the room's recent cases.
fn accountability(lang: Lang, r: &crate::view::RoomView) -> impl IntoView {
    use redline_rules::public::MIN_SAMPLE;
    let pct = |p: Option<i64>| p.map_or_else(|| "—".to_owned(), |p| format!("{p}%"));
    let rows = [(lang.t("本直播间", "This room"), "room"), (lang.t("运营者", "Its operator"), "operator"), (lang.t("平台", "Its platform"), "platform")]
        .into_iter()
        .zip(r.figures.iter())
        .map(|((label, key), c)| {
            let rates = c.rates();
            view! {
                <tr data-figures=key>
                    <td data-label=lang.t("对象", "Who")>{label}</td>
                    <td class="num" data-label=lang.t("投诉件数", "Complaints")>{if c.shown() { c.received.to_string() } else { format!("{}{MIN_SAMPLE}", lang.t("少于", "under ")) }}</td>
                    <td class="num" data-label=lang.t("按时答复率", "Answered in time")>{pct(rates.timely)}</td>
                    <td class="num" data-label=lang.t("解决率", "Resolved")>{pct(rates.resolved)}</td>
                    <td class="num" data-label=lang.t("提交监管部门", "Went to the regulator")>{pct(rates.escalated)}</td>
                </tr>
            }
        })
        .collect_view();
    let cases = r
        .public_cases
        .iter()
        .map(|c| {
            let cats = c
                .categories
                .iter()
                .map(|k| {
                    k.parse::<redline_rules::intake::Category>()
                        .map(|k| lang.t(k.label_zh(), k.label_en()).to_owned())
                        .unwrap_or_default()
                })
                .collect::<Vec<_>>()
                .join("、");
            view! {
                <tr>
                    <td data-label=lang.t("投诉日期", "Filed")>{c.filed_on.clone()}</td>
                    <td data-label=lang.t("问题类别", "Categories")>{cats}</td>
                    <td data-label=lang.t("进展", "Where it is")>{lang.t(c.state.label_zh(), c.state.label_en())}
                        {c.escalated.then(|| lang.t("（曾提交监管部门）", " (went to the regulator)"))}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="card" id="accountability">
            <h2>{lang.t("投诉处理情况（近12个月）", "How complaints are answered (last 12 months)")}</h2>
            <p class="explain">{format!("{}{MIN_SAMPLE}{}", lang.t("不足", "Rates need at least "), lang.t("件时不显示比率，以免推知个案。", " cases, so that no single case can be inferred."))}
                {r.figures_at.clone().map(|t| format!("{}{t}", lang.t(" 统计于 ", " Counted at ")))}</p>
            <div class="table-wrap"><table class="queue" id="figures">
                <thead><tr><th>{lang.t("对象", "Who")}</th><th>{lang.t("投诉件数", "Complaints")}</th><th>{lang.t("按时答复率", "Answered in time")}</th>
                    <th>{lang.t("解决率", "Resolved")}</th><th>{lang.t("提交监管部门", "Went to the regulator")}</th></tr></thead>
                <tbody>{rows}</tbody>
            </table></div>
            <h3>{lang.t("近期投诉", "Recent complaints")}</h3>
            {r.public_cases.is_empty().then(|| view! { <p class="explain">{lang.t("暂无投诉。", "None yet.")}</p> })}
            <div class="table-wrap"><table class="queue" id="public-cases">
                <thead><tr><th>{lang.t("投诉日期", "Filed")}</th><th>{lang.t("问题类别", "Categories")}</th><th>{lang.t("进展", "Where it is")}</th></tr></thead>
                <tbody>{cases}</tbody>
            </table></div>
            {(!r.narratives.is_empty()).then(|| view! {
                <h3>{lang.t("消费者公开的投诉经过", "Accounts consumers chose to publish")}</h3>
                <p class="explain">{lang.t("经消费者同意公开，个人信息已遮盖，并经审核。", "Published with the consumer's consent, personal data masked, after review.")}</p>
                <ul class="narratives" id="public-narratives">
                    {r.narratives.iter().map(|(d, t)| view! { <li><span class="meta">{d.clone()}</span><blockquote>{t.clone()}</blockquote></li> }).collect_view()}
                </ul>
            })}
        </section>
    }
}

#[component]
pub fn PlatformStreamsPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| load_streams());
    framed(data, Some(("直播场次", "Live sessions")), |lang, page| {
        let f = page.flash.clone();
        let platforms = page.platforms.into_iter().enumerate().map(|(i, p)| {
            let rooms = p.rooms.iter().map(|(rid, name, _)| {
                let selected = f.value("room") == *rid;
                view! { <option value=rid.clone() selected=selected>{format!("{name} ({rid})")}</option> }
            }).collect_view();
            let room_links = p.rooms.iter().map(|(_, name, id)| view! { <a href=format!("/rooms/{id}")>{name.clone()}</a>" " }).collect_view();
            let sessions = p.sessions.iter().map(|s| session_card(lang, s, false)).collect_view();
            view! {
                <section class="card">
                    <h2>{p.name.clone()}</h2>
                    <form method="post" action=format!("/do/platforms/{}/sessions", p.id) class="action" id=format!("session-form-{}", p.id)>
                        {crate::pages::csrf_field()}
                        // One flash serves every platform's form: said once, in the first.
                        {(i == 0).then(|| crate::pages::error_summary(lang, &f))}
                        <h3>{lang.t("报送直播场次", "Report a session")}</h3>
                        {(i == 0).then(|| crate::pages::notice(&f))}
                        {crate::pages::form_error(&f)}
                        <label>{lang.t("直播间", "Live room")}<select name="room" aria-describedby=super::described_by(&f, "room")>{rooms}</select></label>
                        {field_error(&f, "room")}
                        <label>{lang.t("平台场次编号（可选，重复报送即更新）", "Platform session ID (optional; sending it again updates)")}
                            <input type="text" name="platform_session_id" aria-describedby=super::described_by(&f, "platform_session_id") maxlength="100" value=f.value("platform_session_id")/></label>
                        {field_error(&f, "platform_session_id")}
                        <label>{lang.t("开播（北京时间）", "Started (Beijing time)")}<input type="datetime-local" name="started_at" aria-describedby=super::described_by(&f, "started_at") value=f.value("started_at")/></label>
                        {field_error(&f, "started_at")}
                        <label>{lang.t("下播（可选）", "Ended (optional)")}<input type="datetime-local" name="ended_at" aria-describedby=super::described_by(&f, "ended_at") value=f.value("ended_at")/></label>
                        {field_error(&f, "ended_at")}
                        <label>{lang.t("回放编号或地址（可选）", "Replay reference (optional)")}<input type="text" name="replay_ref" maxlength="300" value=f.value("replay_ref")/></label>
                        <label>{lang.t("商品（每行一个：商品编号 | 名称 | 标价(元) | 划线价(元，可空) | 价格依据 | 宣称）", "Products (one per line: SKU | name | price CNY | reference price (optional) | basis | claims)")}
                            <textarea name="products" aria-describedby=super::described_by(&f, "products") rows="4" placeholder="SKU-1001 | 燕窝礼盒 | 199 | 599 | 近30日最低成交价 | 假一赔十" inner_html=crate::view::rcdata(&f.value("products"))></textarea></label>
                        {field_error(&f, "products")}
                        <label>{lang.t("出镜主播的平台内编号（逗号或空格分隔，办法第二十八条）", "Marketers who appeared: your IDs, separated by commas or spaces (Order 117 Art. 28)")}
                            <input type="text" name="marketers" aria-describedby=super::described_by(&f, "marketers") maxlength="1000" value=f.value("marketers")/></label>
                        {field_error(&f, "marketers")}
                        <button type="submit">{lang.t("报送", "Report")}</button>
                    </form>
                    <p class="explain">{lang.t("直播间公开页：", "Public room pages: ")}{room_links}</p>
                    <h3>{lang.t("已报送的场次", "Reported sessions")}</h3>
                    <ul class="sessions">{sessions}</ul>
                    <p class="explain">{lang.t("平台系统可用接口报送场次、处理案件和举报：密钥与 Webhook 在", "Platform systems report sessions and work cases and tips over the API: keys and webhooks are on ")}
                        <a href="/org/integrations">{lang.t("接口密钥与 Webhook", "API keys and webhooks")}</a></p>
                </section>
            }
        }).collect_view();
        view! { {platforms} }.into_any()
    })
}
