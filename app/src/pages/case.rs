//! The case dossier page (案卷): facts, running clocks with their explanation,
//! the whole history as a timeline, and the actions open to the viewer.
use super::{choice, clock_text, described_by, field_error, framed, role_label};
use crate::api::load_dossier;
use crate::i18n::{yuan, Lang};
use crate::view::{Action, ClockView, Dossier, FormFlash};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use redline_rules::case::{PauseReason, RefusalReason, TerminationReason};
use redline_rules::intake::{Category, Demand};

#[component]
pub fn CasePage() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new(move || params.with(|p| p.get("case_no").unwrap_or_default()), load_dossier);
    framed(data, None, |lang, d| dossier(lang, d).into_any())
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
    let clocks = d.clocks.iter().map(|c| clock_row(lang, c)).collect_view();
    let juris = d.jurisdiction.iter().map(|(r, b)| view! { <li>{r.clone()}" — "{b.clone()}</li> }).collect_view();
    let events = d
        .events
        .iter()
        .rev()
        .map(|e| {
            let details = e
                .details
                .iter()
                .map(|(k, v)| {
                    let (k, v) = detail(lang, k, v);
                    view! { <span class="kv"><b>{k}</b>": "{v}</span> }
                })
                .collect_view();
            view! {
                <li class="event" data-event=e.event.clone()>
                    <time>{e.at.clone()}</time>
                    <span class="who">{role_label(lang, e.role)}</span>
                    {match super::evidence::record_label(lang, &e.event) {
                        Some(label) => view! { <span class="what">{label}</span> }.into_any(),
                        None => view! {
                            <span class="what">{e.transition.clone()}" · "{lang.t(e.to.label_zh(), e.to.label_en())}</span>
                            <span class="from">{lang.t("自", "from ")}{lang.t(e.from.label_zh(), e.from.label_en())}</span>
                        }.into_any(),
                    }}
                    <div class="details">{details}</div>
                </li>
            }
        })
        .collect_view();
    let actions = d.actions.iter().map(|a| action_form(lang, &d, a, &flash)).collect_view();
    view! {
        <h1>{lang.t("案件", "Case")}" "<span id="case-no">{d.case_no.clone()}</span></h1>
        <p class="state-line">{lang.t("当前状态：", "State: ")}<strong id="case-state" data-state=d.state.as_str()>{lang.t(d.state.label_zh(), d.state.label_en())}</strong>
            {d.operator_untimely.then(|| view! { <span class="badge amber">{lang.t("运营者超时", "Operator untimely")}</span> })}
            {d.platform_untimely.then(|| view! { <span class="badge amber">{lang.t("平台超时", "Platform untimely")}</span> })}
        </p>
        {flash.error("notice").map(|n| view! { <p class="notice" id="notice" role="status">{n}</p> })}
        {super::evidence::chain_badge(lang, &d.chain)}
        {field_error(&flash, "form")}
        {(!d.warnings.is_empty()).then(|| {
            let items = d.warnings.iter().map(|w| view! { <li>{lang.t(w.label_zh(), w.label_en())}</li> }).collect_view();
            view! { <ul class="warnings" id="intake-warnings">{items}</ul> }
        })}
        <div class="grid">
            <section class="card">
                <h2>{lang.t("投诉内容", "Complaint")}</h2>
                <dl>
                    <dt>{lang.t("平台·直播间", "Platform · room")}</dt><dd>{d.platform.clone()}" · "<a href=d.room_url.clone() rel="external nofollow">{d.room.clone()}</a></dd>
                    <dt>{lang.t("直播间运营者", "Live-room operator")}</dt><dd>{d.operator.clone()}</dd>
                    {d.parties.iter().map(|(k, v)| view! { <dt>{k.clone()}</dt><dd data-party=k.clone()>{v.clone()}</dd> }).collect_view()}
                    {d.complainant.clone().map(|c| view! {
                        <dt>{lang.t("投诉人（令第121号第10条）", "Complainant (Order 121 Art. 10)")}</dt>
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
                    <dt>{lang.t("金额", "Amount")}</dt><dd>{yuan(d.amount_fen)}</dd>
                    <dt>{lang.t("违法行为类别", "Categories")}</dt><dd>{cats}</dd>
                    <dt>{lang.t("投诉要求", "Demands")}</dt><dd>{dems}</dd>
                    <dt>{lang.t("知道受损日期", "Harm known on")}</dt><dd>{d.harm_known_on.to_string()}</dd>
                    <dt>{lang.t("事实经过", "Narrative")}</dt><dd class="narrative">{d.narrative.clone()}</dd>
                    <dt>{lang.t("承办监管部门", "Handling agency")}</dt><dd>{d.agency.clone().unwrap_or_else(|| "—".into())}</dd>
                </dl>
                <h3>{lang.t("管辖（令第121号第13–14条）", "Jurisdiction (Order 121 Arts. 13–14)")}</h3>
                <ul class="juris">{juris}</ul>
            </section>
            <section class="card">
                <h2>{lang.t("时限", "Clocks")}</h2>
                <ul class="clocks" id="clocks">{clocks}</ul>
                <h2>{lang.t("可执行的操作", "Actions")}</h2>
                <div class="actions" id="actions">{actions}</div>
            </section>
        </div>
        {super::evidence::preservation_section(lang, &d)}
        {super::evidence::evidence_section(lang, &d)}
        <section class="card">
            <h2>{lang.t("处理经过", "Timeline")}</h2>
            <ol class="timeline" id="timeline">{events}</ol>
        </section>
    }
}

/// A citation as the reader writes it (《…》第二十条, or Order 117 Art. 20).
fn cite(lang: Lang, c: &str) -> String {
    if lang.is_zh() {
        redline_rules::citation::zh(c)
    } else {
        redline_rules::citation::en(c)
    }
}

fn clock_row(lang: Lang, c: &ClockView) -> impl IntoView {
    let status = clock_text(lang, c);
    let cls = if c.overdue { "clock overdue" } else { "clock" };
    view! {
        <li class=cls data-clock=c.kind.code() data-status=c.status.as_str() data-due=c.due_on.to_string()>
            // Chinese readers get the clock's name; the code stays for English and the data attribute.
            <strong>{if lang.is_zh() { c.kind.name_zh().to_owned() } else { format!("{} {}", c.kind.code(), c.kind.name_en()) }}</strong>
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

fn opts<T: Copy>(items: &[T], code: impl Fn(T) -> &'static str, label: impl Fn(T) -> String) -> Vec<(String, String)> {
    items.iter().map(|i| (code(*i).to_owned(), label(*i))).collect()
}

fn action_form(lang: Lang, d: &Dossier, a: &Action, flash: &FormFlash) -> impl IntoView {
    let ev = a.event.as_str();
    // A refused post comes back to its own form only: the others stay blank.
    let posted = flash.value("event") == ev && flash.value("role") == a.role.as_str();
    let kept = if posted { flash.clone() } else { FormFlash::default() };
    let f = &kept;
    let title = match ev {
        "OPERATOR_RESPOND" => lang.t("答复并提出处理方案", "Respond with an offer"),
        "CONSUMER_ACCEPT" => lang.t("接受处理方案", "Accept the offer"),
        "CONSUMER_REJECT" => lang.t("不接受，继续处理", "Reject the offer"),
        "PLATFORM_INTERVENE" => lang.t("平台介入", "Intervene"),
        "PLATFORM_DECIDE" => lang.t("平台作出处理决定", "Decide"),
        "CONFIRM_ESCALATION" => lang.t("提交市场监管部门", "Escalate to market supervision"),
        "DISPATCH" => lang.t("改派其他监管部门", "Reassign to another agency"),
        "REGULATOR_ACCEPT" => lang.t("受理", "Accept the complaint"),
        "REGULATOR_REFUSE" => lang.t("不予受理", "Refuse the complaint"),
        "START_MEDIATION" => lang.t("开始调解", "Start mediation"),
        "PAUSE_MEDIATION" => lang.t("中止调解（检测/回避）", "Pause mediation (testing/recusal)"),
        "RESUME_MEDIATION" => lang.t("恢复调解", "Resume mediation"),
        "AGREE" => lang.t("达成调解协议", "Record agreement"),
        "TERMINATE" => lang.t("终止调解", "Terminate mediation"),
        "WITHDRAW" => lang.t("撤回投诉", "Withdraw the complaint"),
        "CLOSE_TERMINATED" => lang
            .t("已告知双方终止调解，结案（第23条第2款）", "Both parties told of the termination; close (Art. 23 ¶2)"),
        _ => "",
    };
    let offer = || {
        let offers = vec![
            ("FULL".to_owned(), lang.t("全部满足", "Full").to_owned()),
            ("PARTIAL".to_owned(), lang.t("部分满足", "Partial").to_owned()),
            ("REJECT".to_owned(), lang.t("拒绝", "Reject").to_owned()),
        ];
        view! {
            <label>{lang.t("处理方案", "Offer")}{choice(lang, f, "offer", offers)}</label>
            {field_error(f, "offer")}
            <label>{lang.t("补救措施", "Remedy")}<input type="text" name="remedy" maxlength="500" value=f.value("remedy")
                aria-describedby=described_by(f, "remedy")/></label>
        }
    };
    let fields = match ev {
        "OPERATOR_RESPOND" => view! { {offer()} {field_error(f, "remedy")} }.into_any(),
        "PLATFORM_DECIDE" => view! {
            {offer()}
            <label class="check"><input type="checkbox" name="advance_compensation" value="1" checked=f.value("advance_compensation") == "1"/>
                {lang.t("先行赔付", "Advance compensation (先行赔付)")}</label>
            {field_error(f, "remedy")}
        }.into_any(),
        "CONFIRM_ESCALATION" => view! {
            <p class="explain">{lang.t("提交市场监管部门需提供投诉人的姓名、电话和地址（令第121号第10条）。被投诉方只能看到您的姓名；勾选下方选项后，调解需要时也可看到电话和地址。", "Market supervision needs the complainant's name, phone and address (Order 121 Art. 10). Respondents see only your name, and phone and address too if you tick the box below.")}</p>
            <label>{lang.t("真实姓名", "Real name")}<input type="text" name="complainant_name" maxlength="60" required value=f.value("complainant_name")/></label>
            {field_error(f, "complainant_name")}
            <label>{lang.t("联系电话", "Phone")}<input type="tel" name="complainant_phone" maxlength="20" required value=f.value("complainant_phone")/></label>
            {field_error(f, "complainant_phone")}
            <label>{lang.t("联系地址", "Address")}<input type="text" name="complainant_address" maxlength="200" required value=f.value("complainant_address")/></label>
            {field_error(f, "complainant_address")}
            <label class="check"><input type="checkbox" name="complainant_agent" value="1" checked=f.value("complainant_agent") == "1"/>
                {lang.t("我是代理人（须已将授权委托书作为证据上传）", "I act for the consumer (the power of attorney is uploaded as evidence)")}</label>
            {field_error(f, "complainant_agent")}
            <label class="check"><input type="checkbox" name="share_contact" value="1" checked=f.value("share_contact") == "1"/>
                {lang.t("同意调解时向被投诉方提供我的电话和地址", "Share my phone and address with the respondents for mediation")}</label>
            <label class="check"><input type="checkbox" name="consent" value="1" required checked=f.value("consent") == "1"/>
                {lang.t("我同意将投诉材料提交市场监管部门（令第121号第10条）", "I consent to sending my complaint to market supervision (Order 121 Art. 10)")}</label>
            {field_error(f, "consent")}
        }.into_any(),
        "DISPATCH" => {
            let agencies = d.agencies.iter().map(|(id, n)| (id.to_string(), n.clone())).collect();
            view! { <label>{lang.t("改派至", "Reassign to")}{choice(lang, f, "agency_id", agencies)}</label> {field_error(f, "agency_id")} }.into_any()
        }
        "REGULATOR_REFUSE" => view! {
            <label>{lang.t("不予受理理由（第16条）", "Reason (Art. 16)")}
                {choice(lang, f, "reason", opts(RefusalReason::ALL.as_slice(), |r| r.as_str(), |r| format!("{} {}", cite(lang, r.article()), lang.t(r.label_zh(), r.label_en()))))}</label>
            {field_error(f, "reason")}
        }.into_any(),
        "TERMINATE" => view! {
            <label>{lang.t("终止理由（第23条）", "Reason (Art. 23)")}
                {choice(lang, f, "reason", opts(TerminationReason::ALL.as_slice(), |r| r.as_str(), |r| format!("{} {}", cite(lang, r.article()), lang.t(r.label_zh(), r.label_en()))))}</label>
            {field_error(f, "reason")}
        }.into_any(),
        "PAUSE_MEDIATION" => view! {
            <label>{lang.t("原因", "Reason")}
                {choice(lang, f, "reason", opts(&[PauseReason::Testing, PauseReason::Recusal], |r| r.as_str(), |r| lang.t(r.label_zh(), r.label_en()).to_owned()))}</label>
            {field_error(f, "reason")}
        }.into_any(),
        _ => ().into_any(),
    };
    let needs_reason = ev == "OPERATOR_RESPOND" || ev == "PLATFORM_DECIDE" || ev == "REGULATOR_REFUSE";
    // What cannot be undone is set apart and confirmed in the form itself.
    let irreversible = redline_rules::case::is_irreversible(ev);
    let confirm = irreversible.then(|| view! {
        <label class="check confirm"><input type="checkbox" name="confirm" value="1" required aria-describedby=described_by(f, "confirm")/>
            {lang.t("我已知晓此操作不可撤销", "I understand this cannot be undone")}</label>
        {field_error(f, "confirm")}
    });
    let class = if irreversible { "action irreversible" } else { "action" };
    view! {
        <form method="post" action=format!("/do/cases/{}/act", d.case_no) class=class data-action=ev.to_owned()>
            {crate::pages::csrf_field()}
            <h3>{title}<small>" · "{role_label(lang, a.role)}</small></h3>
            <input type="hidden" name="event" value=ev.to_owned()/>
            <input type="hidden" name="role" value=a.role.as_str()/>
            <input type="hidden" name="version" value=d.version.to_string()/>
            {fields}
            <label>{if needs_reason { lang.t("说明（拒绝时必填理由）", "Message (a reason is required when rejecting)") } else { lang.t("说明（可选）", "Message (optional)") }}
                <textarea name="message" rows="2" maxlength="2000" aria-describedby=described_by(f, "message")
                    inner_html=crate::view::rcdata(&f.value("message"))></textarea></label>
            {field_error(f, "message")}
            {confirm}
            <button type="submit" class=if irreversible { "danger" } else { "" }>{title}</button>
        </form>
    }
}

/// A timeline detail in the reader's language: (label, value).
fn detail(lang: Lang, key: &str, value: &str) -> (String, String) {
    use redline_rules::case::OfferKind;
    let yes = || lang.t("是", "yes").to_owned();
    let (label, value) = match key {
        "message" => (lang.t("说明", "Message"), value.to_owned()),
        "remedy" => (lang.t("补救措施", "Remedy"), value.to_owned()),
        // The details themselves are not in the event (Order 121 Art. 10; see case::complainant).
        "complainant_details" => (
            lang.t("投诉人信息", "Complainant's details"),
            lang.t("已提供（令第121号第10条）", "given (Order 121 Art. 10)").to_owned(),
        ),
        "offer" => (
            lang.t("处理方案", "Offer"),
            match value.parse::<OfferKind>() {
                Ok(OfferKind::Full) => lang.t("全部满足", "full"),
                Ok(OfferKind::Partial) => lang.t("部分满足", "partial"),
                Ok(OfferKind::Reject) => lang.t("拒绝", "rejected"),
                Err(_) => value,
            }
            .to_owned(),
        ),
        "advance_compensation" => (
            lang.t("先行赔付", "Advance compensation"),
            if value == "true" { yes() } else { lang.t("否", "no").to_owned() },
        ),
        "consent" => (lang.t("同意提交监管部门", "Consented to escalation"), yes()),
        "reason" => (
            lang.t("理由", "Reason"),
            value
                .parse::<RefusalReason>()
                .map(|r| format!("{} {}", cite(lang, r.article()), lang.t(r.label_zh(), r.label_en())))
                .or_else(|_| {
                    value
                        .parse::<TerminationReason>()
                        .map(|r| format!("{} {}", cite(lang, r.article()), lang.t(r.label_zh(), r.label_en())))
                })
                .or_else(|_| value.parse::<PauseReason>().map(|r| lang.t(r.label_zh(), r.label_en()).to_owned()))
                .unwrap_or_else(|_| value.to_owned()),
        ),
        "clock" => (
            lang.t("届满的时限", "Clock missed"),
            value
                .parse::<redline_rules::clock::ClockKind>()
                .map(|k| if lang.is_zh() { k.name_zh().to_owned() } else { format!("{} {}", k.code(), k.name_en()) })
                .unwrap_or_else(|_| value.to_owned()),
        ),
        "due_on" => (lang.t("届满日", "Due on"), value.to_owned()),
        "agency_id" => (lang.t("改派至机构编号", "Reassigned to agency"), value.to_owned()),
        "clip" => (lang.t("直播片段", "Stream clip"), value.to_owned()),
        "file_name" => (lang.t("文件", "File"), value.to_owned()),
        "kind" => (
            lang.t("类型", "Kind"),
            value
                .parse::<redline_rules::evidence::EvidenceKind>()
                .map(|k| lang.t(k.label_zh(), k.label_en()).to_owned())
                .unwrap_or_else(|_| value.to_owned()),
        ),
        "sha256" => ("SHA-256", value.to_owned()),
        "size_bytes" => (lang.t("字节数", "Bytes"), value.to_owned()),
        "replay_ref" => (lang.t("回放编号", "Replay"), value.to_owned()),
        "retain_until" => (lang.t("保存至", "Kept until"), value.to_owned()),
        "from_agency_id" => (lang.t("原机构编号", "From agency"), value.to_owned()),
        _ => return (key.to_owned(), value.to_owned()),
    };
    (label.to_owned(), value)
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
