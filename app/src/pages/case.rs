//! The case dossier page (案卷): where it stands and the viewer's steps on top,
//! then the facts, running clocks with their explanation (finished ones folded
//! with met or missed), preservation, evidence and the history.
use super::{cite, clock_text, field_error};
use crate::api::load_dossier;
use crate::i18n::{yuan, Lang};
use crate::view::{ClockView, Dossier, Publication};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use redline_rules::clock::ClockStatus;
use redline_rules::intake::{Category, Demand};

#[component]
pub fn CasePage() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new(move || params.with(|p| p.get("case_no").unwrap_or_default()), load_dossier);
    let name = |lang: Lang, d: &Dossier| Some(format!("{}{}", lang.t("案件 ", "Case "), d.case_no));
    super::framed_titled(data, None, name, |lang, d| dossier(lang, d).into_any())
}

fn label_of<T: std::str::FromStr>(code: &str, f: impl Fn(T) -> String) -> String {
    code.parse::<T>().map(f).unwrap_or_else(|_| code.to_owned())
}

fn dossier(lang: Lang, d: Dossier) -> impl IntoView {
    let cats = d
        .categories
        .iter()
        .map(|c| label_of::<Category>(c, |c| lang.t(c.label_zh(), c.label_en()).into()))
        .collect::<Vec<_>>()
        .join("、");
    let dems = d
        .demands
        .iter()
        .map(|c| label_of::<Demand>(c, |c| lang.t(c.label_zh(), c.label_en()).into()))
        .collect::<Vec<_>>()
        .join("、");
    let flash = d.flash.clone().unwrap_or_default();
    // Running clocks in front; finished ones folded away with whether they were met.
    // D4 binds the platform's preservation and is shown with it; D4R, the
    // records request, with the request.
    let running = |c: &&ClockView| matches!(c.status, ClockStatus::Running | ClockStatus::Paused);
    let own = |c: &&ClockView| c.kind.holds_the_case();
    let open: Vec<&ClockView> = d.clocks.iter().filter(own).filter(running).collect();
    let done: Vec<&ClockView> = d.clocks.iter().filter(own).filter(|c| !running(c)).collect();
    let clocks = open.iter().map(|c| clock_row(lang, c)).collect_view();
    let finished = done.iter().map(|c| finished_row(lang, c)).collect_view();
    let juris = d
        .jurisdiction
        .iter()
        .map(|(r, b)| view! { <li>{r.clone()}{lang.t("：", ": ")}{b.clone()}</li> })
        .collect_view();
    view! {
        <h1>{lang.t("案件", "Case")}" "<span id="case-no">{d.case_no.clone()}</span></h1>
        {flash.error("notice").map(|n| view! { <p class="notice" id="notice" role="status">{n}</p> })}
        // A broken chain is news for everyone; an intact one sits in the 技术信息 fold.
        {(!d.chain.intact).then(|| super::evidence::chain_badge(lang, &d.chain))}
        {field_error(&flash, "form")}
        {(!d.warnings.is_empty()).then(|| {
            let items = d.warnings.iter().map(|w| view! { <li>{lang.t(w.label_zh(), w.label_en())}</li> }).collect_view();
            view! { <ul class="warnings" id="intake-warnings">{items}</ul> }
        })}
        {super::case_progress::progress_panel(lang, &d)}
        <div class="grid">
            <section class="card">
                <h2>{lang.t("投诉内容", "Complaint")}</h2>
                <dl>
                    <dt>{lang.t("平台·直播间", "Platform · room")}</dt><dd>{d.platform.clone()}" · "<a href=d.room_url.clone() rel="external nofollow">{d.room.clone()}</a></dd>
                    <dt>{lang.t("直播间运营者", "Live-room operator")}</dt><dd>{d.operator.clone()}</dd>
                    {d.parties.iter().map(|(k, v)| view! { <dt>{k.clone()}</dt><dd data-party=k.clone()>{v.clone()}</dd> }).collect_view()}
                    {d.complainant.clone().map(|c| view! {
                        <dt>{lang.t("投诉人", "Complainant")}</dt>
                        <dd id="complainant">{c.name}
                            {c.is_agent.then(|| lang.t("（代理人）", " (agent)"))}
                            {c.phone.map(|p| view! { " · "<span id="complainant-phone">{p}</span> })}
                            {c.address.map(|a| view! { " · "<span id="complainant-address">{a}</span> })}
                        </dd>
                    })}
                    <dt>{lang.t("直播时刻", "Moment")}</dt><dd id="moment">{d.moment.clone()}</dd>
                    {super::evidence::session_facts(lang, d.session.as_ref(), d.picked_product.as_ref())}
                    <dt>{lang.t("商品", "Product")}</dt><dd>{d.product.clone()}</dd>
                    <dt>{lang.t("订单号", "Order")}</dt><dd>{d.order_no.clone().unwrap_or_else(|| "—".into())}</dd>
                    <dt>{lang.t("下单日期", "Ordered on")}</dt><dd id="ordered-on">{d.ordered_on.map_or_else(|| "—".to_owned(), |o| o.to_string())}</dd>
                    // A blank amount is stored as 0 fen: "—", not "¥0.00".
                    <dt>{lang.t("金额", "Amount")}</dt><dd id="amount">{if d.amount_fen == 0 { "—".to_owned() } else { yuan(d.amount_fen) }}</dd>
                    <dt>{lang.t("违法行为类别", "Categories")}</dt><dd>{cats}</dd>
                    <dt>{lang.t("投诉要求", "Demands")}</dt><dd>{dems}</dd>
                    <dt>{lang.t("知道受损日期", "Harm known on")}</dt><dd>{d.harm_known_on.to_string()}</dd>
                    <dt>{lang.t("事实经过", "Narrative")}</dt><dd class="narrative">{d.narrative.clone()}</dd>
                    <dt>{lang.t("承办监管部门", "Handling agency")}</dt><dd>{d.agency.clone().unwrap_or_else(|| "—".into())}</dd>
                </dl>
                <h3>{lang.t("管辖地", "Jurisdiction")}</h3>
                <ul class="juris">{juris}</ul>
            </section>
            <section class="card">
                <h2>{lang.t("时限", "Clocks")}</h2>
                {open.is_empty().then(|| view! { <p class="explain">{lang.t("当前没有计时中的时限。", "No clock is running now.")}</p> })}
                <ul class="clocks" id="clocks">{clocks}</ul>
                {(!done.is_empty()).then(|| view! {
                    <details class="finished" id="finished-clocks">
                        <summary>{format!("{}（{}）", lang.t("已结束的时限", "Finished clocks"), done.len())}</summary>
                        <ul class="clocks">{finished}</ul>
                    </details>
                })}
            </section>
        </div>
        {super::evidence::preservation_section(lang, &d)}
        {super::records::records_section(lang, &d)}
        {super::records::fraud_section(lang, &d)}
        {super::rating::rating_section(lang, &d)}
        {super::records::violation_section(lang, &d)}
        {super::dispute::dispute_section(lang, &d)}
        {super::unreachable::unreachable_section(lang, &d)}
        {super::records::retention_section(lang, &d)}
        {super::evidence::evidence_section(lang, &d)}
        {super::case_timeline::timeline(lang, &d.events, &d.chain)}
        {d.publication.clone().map(|p| publication(lang, &d.case_no, p))}
        // The package for 12315 or the record: the whole dossier, every evidence file and their hashes.
        <section class="card no-print" id="package">
            <h2>{lang.t("案卷材料", "Case package")}</h2>
            <p class="explain">{lang.t(
                "可打印本页，或下载案卷压缩包（含案卷数据、全部证据原件和逐一核对的SHA-256校验清单），用于向12315投诉或存档。",
                "Print this page, or download the package (the dossier, every evidence file as uploaded and a SHA-256 list to check them) to file with 12315 or keep on record.")}</p>
            <p>
                <a class="button" rel="external" id="package-zip" href=format!("/cases/{}/dossier.zip", d.case_no)>{lang.t("下载案卷压缩包", "Download the package (ZIP)")}</a>
                <a rel="external" id="package-json" href=format!("/cases/{}/dossier.json", d.case_no)>{lang.t("案卷数据文件", "Dossier data (JSON)")}</a>
            </p>
            <p class="explain">{lang.t("案卷数据文件附有透明日志的签名证明，任何人都可以", "The data file carries the transparency log's signed proof: anyone can ")}
                <a href="/transparency/verify" id="verify-link">{lang.t("核验它未被改动", "check it was not changed")}</a>{lang.t("。", ".")}</p>
        </section>
    }
}

/// The consumer may publish the narrative, masked, on the room's public page
/// (PIPL Art. 25: separate consent), and withdraw it at any time.
fn publication(lang: Lang, case_no: &str, p: Publication) -> impl IntoView {
    use redline_rules::public::NarrativeStatus;
    let status = p.status.as_deref().and_then(|s| s.parse::<NarrativeStatus>().ok());
    let shown = matches!(status, Some(NarrativeStatus::Pending | NarrativeStatus::Approved));
    let action = format!("/do/cases/{case_no}/publication");
    view! {
        <section class="card no-print" id="publication" data-status=p.status.clone().unwrap_or_default()>
            <h2>{lang.t("公开投诉经过（自愿）", "Publish your account (optional)")}</h2>
            <p class="explain">{lang.t(
                "您可以选择在该直播间的公开页面上展示投诉经过，帮助其他消费者。姓名、电话、证件号、订单号、地址等会被遮盖，经审核后才会展示，并且在对方答复后或提交十五个工作日后才展示。可随时撤回。",
                "You may show your account on the room's public page to help other consumers. Names, phone, ID, order numbers and addresses are masked; it appears after review, and only once the respondent answered or fifteen working days after filing. You may withdraw it at any time.")}</p>
            {super::notice(&p.flash)}
            <blockquote class="masked" id="publication-preview">{p.masked.clone()}</blockquote>
            {status.map(|s| view! { <p id="publication-status">{lang.t("状态：", "Status: ")}{s.label(lang.is_zh())}
                {p.reason.clone().map(|r| view! { " · "{lang.t("原因：", "Reason: ")}{r} })}</p> })}
            <form method="post" action=action.clone() class="action">
                {crate::pages::csrf_field()}
                {crate::pages::error_summary(lang, &p.flash)}
                {if shown {
                    view! { <input type="hidden" name="to" value="withdraw"/>
                        <button type="submit" class="danger">{lang.t("撤回公开", "Withdraw")}</button> }.into_any()
                } else {
                    view! { <input type="hidden" name="to" value="publish"/>
                        <label class="check"><input type="checkbox" name="consent" value="1" required=true
                            aria-describedby=super::described_by(&p.flash, "consent")/>{lang.t("我同意公开上面遮盖后的文字", "I agree to publish the masked text above")}</label>
                        {super::field_error(&p.flash, "consent")}
                        <button type="submit">{lang.t("申请公开", "Ask to publish")}</button> }.into_any()
                }}
            </form>
        </section>
    }
}

fn clock_name(lang: Lang, c: &ClockView) -> String {
    if lang.is_zh() {
        c.kind.name_zh().to_owned()
    } else {
        format!("{} {}", c.kind.code(), c.kind.name_en())
    }
}

/// A finished clock: met (stopped by the due day) or missed.
fn finished_row(lang: Lang, c: &ClockView) -> impl IntoView {
    let missed = c.status == ClockStatus::Expired || c.stopped_on.is_some_and(|s| s > c.due_on);
    let outcome = match (missed, c.stopped_on) {
        (false, Some(s)) => format!("{}（{s}）", lang.t("按时完成", "met")),
        (false, None) => lang.t("按时完成", "met").to_owned(),
        (true, _) => format!("{}（{}{}）", lang.t("逾期", "missed"), c.due_on, lang.t("届满", " due")),
    };
    view! {
        <li class=if missed { "clock done missed" } else { "clock done met" } data-clock=c.kind.code()
            data-status=c.status.as_str() data-outcome=if missed { "missed" } else { "met" }>
            <strong>{clock_name(lang, c)}</strong>
            <span class="status">{outcome}</span>
            <span class="basis">{cite(lang, &c.basis)}</span>
        </li>
    }
}

fn clock_row(lang: Lang, c: &ClockView) -> impl IntoView {
    let status = clock_text(lang, c);
    let cls = if c.overdue { "clock overdue" } else { "clock" };
    view! {
        <li class=cls data-clock=c.kind.code() data-status=c.status.as_str() data-due=c.due_on.to_string()>
            // Chinese readers get the clock's name; the code stays for English and the data attribute.
            <strong>{clock_name(lang, c)}</strong>
            <span class="status">{status}</span>
            <span class="basis">{cite(lang, &c.basis)}{if c.legal { lang.t("（法定）", " (legal)") } else { lang.t("（平台规则）", " (policy)") }}</span>
            {c.provisional.then(|| view! { <span class="badge amber">{lang.t("暂定：该年度放假安排未公布", "provisional: holiday notice not yet published")}</span> })}
            {(c.paused_days > 0).then(|| view! { <span class="paused">{format!("+{}", c.paused_days)}{lang.t("天（暂停）", " days (paused)")}</span> })}
            <details><summary>{lang.t("计算说明", "How this was counted")}</summary>
                <p class="explain">{if lang.is_zh() { c.explain_zh.clone() } else { c.explain_en.clone() }}</p>
                {day_list(lang, lang.t("不计入：", "Not counted: "), &c.skipped)}
                {day_list(lang, lang.t("调休上班日计入：", "Make-up workdays counted: "), &c.make_up)}
            </details>
        </li>
    }
}

/// "label 2026-02-15 春节, 2026-02-16 春节, …" or nothing when empty.
fn day_list(lang: Lang, label: &'static str, days: &[(chrono::NaiveDate, String, String)]) -> Option<impl IntoView> {
    (!days.is_empty()).then(|| {
        let text = days
            .iter()
            .map(|(d, zh, en)| format!("{} {}", d.format("%m-%d"), if lang.is_zh() { zh } else { en }))
            .collect::<Vec<_>>()
            .join(", ");
        view! { <p class="explain days">{label}{text}</p> }
    })
}
