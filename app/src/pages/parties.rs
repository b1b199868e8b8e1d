//! The regulated parties: platform staff report operators, rooms, marketers
//! and MCNs one at a time (their systems use `POST /api/v1/platform/parties`
//! in bulk) and see the changes recorded; market supervision sees the reports
//! that came late (Order 117 Arts. 9, 15, 25).
use super::{field_error, framed, text_input};
use crate::api::{load_late_reports, load_parties};
use crate::i18n::Lang;
use crate::view::{FormFlash, PartyChangeView};
use leptos::prelude::*;

/// One party's form: its heading, the saved notice or the form's error, the
/// fields, when the platform learned of it, and the button.
fn party_form(
    lang: Lang,
    action: String,
    kind: &'static str,
    title: String,
    f: &FormFlash,
    fields: AnyView,
) -> impl IntoView {
    view! {
        <form method="post" action=action class="action" id=format!("party-{kind}")>
            {crate::pages::csrf_field()}
            {crate::pages::error_summary(lang, f)}
            <h3>{title}</h3>
            {f.error("notice").map(|n| view! { <p class="notice">{n}</p> })}
            {crate::pages::form_error(f)}
            {fields}
            {learned(lang, f)}
            <button type="submit">{lang.t("保存", "Save")}</button>
        </form>
    }
}

fn learned(lang: Lang, f: &FormFlash) -> impl IntoView {
    view! {
        <label>{lang.t("平台获知时间（北京时间，空为现在）", "When you learned of it (Beijing time; blank = now)")}
            <input type="datetime-local" name="learned_at" value=f.value("learned_at")/></label>
        {field_error(f, "learned_at")}
    }
}

fn kind_label(lang: Lang, kind: &str) -> &'static str {
    match kind {
        "OPERATOR" => lang.t("运营者", "operator"),
        "ROOM" => lang.t("直播间", "room"),
        "MARKETER" => lang.t("主播", "marketer"),
        _ => lang.t("机构", "MCN"),
    }
}

fn change_rows(lang: Lang, rows: &[PartyChangeView], with_platform: bool) -> impl IntoView {
    rows.iter()
        .map(|c| {
            let late = c.late.then(|| lang.t("迟报", "late"));
            view! {
                <tr attr:data-late-report=c.late.then_some("true")>
                    {with_platform.then(|| view! { <td>{c.platform.clone()}</td> })}
                    <td>{kind_label(lang, &c.kind)}</td><td><code data-latin="">{c.party_ref.clone()}</code></td><td>{c.name.clone()}</td>
                    <td>{c.learned.clone()}</td><td>{c.reported.clone()}</td><td class="warn">{late}</td><td>{c.channel.clone()}</td>
                </tr>
            }
        })
        .collect_view()
}

fn change_head(lang: Lang, with_platform: bool) -> impl IntoView {
    view! {
        <thead><tr>
            {with_platform.then(|| view! { <th>{lang.t("平台", "Platform")}</th> })}
            <th>{lang.t("类型", "Kind")}</th><th>{lang.t("编号", "ID")}</th><th>{lang.t("名称", "Name")}</th>
            <th>{lang.t("获知", "Learned")}</th><th>{lang.t("报送", "Reported")}</th><th></th><th>{lang.t("渠道", "Channel")}</th>
        </tr></thead>
    }
}

#[component]
pub fn PlatformPartiesPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| load_parties());
    framed(
        data,
        Some(("运营者、直播间、主播与机构", "Operators, rooms, marketers and MCNs")),
        |lang, page| {
            let flash = |k: &str| page.flash.iter().find(|(n, _)| n == k).map(|(_, f)| f.clone()).unwrap_or_default();
            let (fm, fo, fk, fr) = (flash("mcn"), flash("operator"), flash("marketer"), flash("room"));
            let t = |zh: &str, en: &str| lang.t(zh, en).to_owned();
            let platforms = page.platforms.into_iter().map(|p| {
            let action = |kind: &str| format!("/do/platforms/{}/parties/{kind}", p.id);
            let kinds = [("LEGAL_PERSON", t("法人或其他组织", "Legal person or organisation")), ("INDIVIDUAL_BUSINESS", t("个体工商户", "Individual business")), ("UNREGISTERED_PERSON", t("未登记的自然人", "Unregistered natural person"))]
                .into_iter()
                .map(|(v, l)| { let sel = fo.value("kind") == v; view! { <option value=v selected=sel>{l}</option> } })
                .collect_view();
            let [ops, rooms, marketers, mcns] = p.counts;
            view! {
                <section class="card">
                    <h2>{p.name.clone()}</h2>
                    <p id=format!("party-counts-{}", p.id)>{format!("{}: {ops} · {}: {rooms} · {}: {marketers} · {}: {mcns}", t("运营者", "Operators"), t("直播间", "Rooms"), t("主播", "Marketers"), t("机构", "MCNs"))}</p>
                    <p class="explain">{t("平台系统可用接口密钥批量报送，按平台自身的编号幂等更新。获知变更后7个工作日内报送（办法第十五条），逾期记为迟报并向监管部门显示。", "Platform systems report in bulk with an API key, idempotent by your own IDs. Report within 7 working days of learning of a change (Order 117 Art. 15); later reports are recorded as late and shown to regulators.")}</p>
                    <p class="explain">{t("接口：", "Endpoint: ")}<code data-latin="">"POST /api/v1/platform/parties"</code></p>
                    {party_form(lang, action("operator"), "operator", t("运营者", "Operator"), &fo, view! {
                        {text_input(&fo, "id", t("平台内编号", "Your ID"), 64)}
                        <label>{t("类型", "Kind")}<select name="kind">{kinds}</select></label>{field_error(&fo, "kind")}
                        {text_input(&fo, "name", t("名称或姓名", "Name"), 100)}
                        {text_input(&fo, "credit_code", t("统一社会信用代码（登记主体）", "Credit code (registered businesses)"), 18)}
                        {text_input(&fo, "masked_id", t("打码证件号（自然人，如 330106********1234）", "Masked ID number (natural persons)"), 18)}
                        {text_input(&fo, "displayed_address", t("公示地址", "Displayed address"), 200)}
                        {text_input(&fo, "displayed_region", t("公示地址区划代码（6位县级）", "Displayed address region code"), 6)}
                        {text_input(&fo, "business_address", t("实际经营地址", "Actual business address"), 200)}
                        {text_input(&fo, "business_region", t("实际经营地区划代码", "Business region code"), 6)}
                        {text_input(&fo, "contact", t("联系方式", "Contact"), 100)}
                        <label>{t("许可证（每行：名称 | 编号 | 有效期至 YYYY-MM-DD）", "Licences (one a line: name | number | valid until YYYY-MM-DD)")}
                            <textarea name="licences" rows="2" inner_html=crate::view::rcdata(&fo.value("licences"))></textarea></label>
                        {field_error(&fo, "licences")}
                        {text_input(&fo, "mcn", t("所属机构编号（可选）", "MCN ID (optional)"), 64)}
                    }.into_any())}
                    {party_form(lang, action("room"), "room", t("直播间", "Live room"), &fr, view! {
                        {text_input(&fr, "id", t("直播间号", "Room ID"), 64)}
                        {text_input(&fr, "name", t("直播间名称", "Display name"), 100)}
                        {text_input(&fr, "url", t("直播间地址", "URL"), 300)}
                        {text_input(&fr, "operator", t("运营者编号", "Operator ID"), 64)}
                    }.into_any())}
                    {party_form(lang, action("marketer"), "marketer", t("主播（直播营销人员）", "Marketer"), &fk, view! {
                        {text_input(&fk, "id", t("平台内编号", "Your ID"), 64)}
                        {text_input(&fk, "name", t("艺名或昵称", "Stage name"), 60)}
                        {text_input(&fk, "account", t("平台账号", "Platform account"), 100)}
                        <label class="check"><input type="checkbox" name="is_virtual" checked=fk.has("is_virtual", "on")/>{t("虚拟人", "Virtual human")}</label>
                        {text_input(&fk, "mcn", t("所属机构编号（可选）", "MCN ID (optional)"), 64)}
                        {text_input(&fk, "identity_ref", t("实名核验记录编号（身份信息留存于平台）", "Identity verification reference (the identity stays with you)"), 100)}
                    }.into_any())}
                    {party_form(lang, action("mcn"), "mcn", t("直播营销人员服务机构（MCN）", "Marketer service agency (MCN)"), &fm, view! {
                        {text_input(&fm, "id", t("平台内编号", "Your ID"), 64)}
                        {text_input(&fm, "name", t("名称", "Name"), 100)}
                        {text_input(&fm, "credit_code", t("统一社会信用代码", "Credit code"), 18)}
                        {text_input(&fm, "address", t("住所", "Address"), 200)}
                        {text_input(&fm, "region", t("区划代码", "Region code"), 6)}
                    }.into_any())}
                    <h3>{t("最近的报送记录", "Recent reports")}</h3>
                    <table class="queue" id=format!("changes-{}", p.id)>{change_head(lang, false)}<tbody>{change_rows(lang, &p.changes, false)}</tbody></table>
                </section>
            }
        }).collect_view();
            view! { {platforms} }.into_any()
        },
    )
}

#[component]
pub fn LateReportsPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| load_late_reports());
    framed(data, Some(("平台迟报记录", "Late reports by platforms")), |lang, rows| {
        view! {
            <p class="explain">{lang.t("平台获知运营者、直播间、主播或机构信息变更后，应在7个工作日内核验更新（《直播电商监督管理办法》第十五条）；以下为晚于该期限报送的记录。", "Platforms update what they hold within 7 working days of learning of a change (Order 117 Art. 15); these reports came later.")}</p>
            {rows.is_empty().then(|| view! { <p>{lang.t("没有迟报记录。", "No late reports.")}</p> })}
            <table class="queue" id="late-reports">{change_head(lang, true)}<tbody>{change_rows(lang, &rows, true)}</tbody></table>
        }
        .into_any()
    })
}
