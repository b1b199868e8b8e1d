//! Tip (举报) pages: the public form and receipt, status by receipt, a
//! reporter's own tips, and the platform's and agency's queues and tip page.
//! Staff pages never carry the reporter's identity except for the agency.
use super::{choice, csrf_field, described_by, field_error, framed};
use crate::api::{load_my_tips, load_staff_tip, load_tip_filed, load_tip_form, load_tip_queue, load_tip_status};
use crate::i18n::Lang;
use crate::view::{FormFlash, StaffTipView, TipProgress, TipRow};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use redline_rules::intake::Category;
use redline_rules::tip::{Decision, Measure};

fn stage_label(lang: Lang, stage: &str) -> &'static str {
    match stage {
        "VERIFYING" => lang.t("监管部门核查中", "being verified by the regulator"),
        "CONCLUDED" => lang.t("已处理完毕", "handled"),
        "NO_AGENCY" => {
            lang.t("Redline 暂无管辖部门，请通过12315举报", "no agency on Redline covers it; please use 12315")
        }
        _ => lang.t("已接收", "received"),
    }
}

fn status_label(lang: Lang, s: &str) -> &'static str {
    match s {
        "REVIEWING" => lang.t("审核中", "reviewing"),
        "ACTION_TAKEN" => lang.t("已采取措施", "measure taken"),
        "NO_ACTION" => lang.t("不予处置", "no action"),
        "LINKED" => lang.t("已合并/重复", "linked"),
        "VERIFYING" => lang.t("核查中", "verifying"),
        "CASE_FILED" => lang.t("已立案", "case filed"),
        "NOT_FILED" => lang.t("不予立案", "not filed"),
        "DECIDED" => lang.t("已作出决定", "decided"),
        "NO_AGENCY" => lang.t("无管辖部门", "no agency"),
        _ => "",
    }
}

fn cat_labels(lang: Lang, codes: &[String]) -> String {
    codes
        .iter()
        .map(|c| {
            c.parse::<Category>().map(|c| lang.t(c.label_zh(), c.label_en()).to_owned()).unwrap_or_else(|_| c.clone())
        })
        .collect::<Vec<_>>()
        .join("、")
}

#[component]
pub fn TipNew() -> impl IntoView {
    let data = Resource::new(|| (), |_| load_tip_form());
    framed(data, Some(("举报直播间违法行为", "Report a live room")), |lang, form| {
        let f = form.flash.clone();
        let sel = f.value("platform");
        let platforms = form
            .platforms
            .iter()
            .map(|(id, n)| view! { <option value=id.to_string() selected=sel == id.to_string()>{n.clone()}</option> })
            .collect_view();
        let cats = Category::ALL
            .iter()
            .map(|c| {
                let on = f.has("categories", c.as_str());
                view! { <label class="check" title=c.article()><input type="checkbox" name="categories" value=c.as_str() checked=on aria-describedby=described_by(&f, "categories")/>{lang.t(c.label_zh(), c.label_en())}</label> }
            })
            .collect_view();
        let chosen = f.value("target");
        let radio = |v: &'static str, zh: &'static str, en: &'static str| {
            let checked = chosen == v || (v == "OPERATOR" && chosen.is_empty());
            view! { <label class="choice"><input type="radio" name="target" value=v checked=checked aria-describedby=described_by(&f, "target")/>{lang.t(zh, en)}</label> }
        };
        let target = view! {
            <fieldset id="target-box"><legend>{lang.t("举报对象", "Whom the tip is about")}</legend>
                {radio("OPERATOR", "直播间运营者", "The live room's operator")}
                {radio("MARKETER", "主播", "The marketer (host)")}
                {radio("MCN", "主播所属机构（MCN）", "The marketer's agency (MCN)")}
                {radio("PLATFORM", "平台本身", "The platform itself")}
                {field_error(&f, "target")}
                <label>{lang.t("主播名称", "Marketer's stage name")}<input type="text" name="marketer_name" maxlength="60" value=f.value("marketer_name") aria-describedby=described_by(&f, "marketer_name")/></label>
                {field_error(&f, "marketer_name")}
                <label>{lang.t("机构名称", "MCN's name")}<input type="text" name="mcn_name" maxlength="100" value=f.value("mcn_name") aria-describedby=described_by(&f, "mcn_name")/></label>
                {field_error(&f, "mcn_name")}
            </fieldset>
        };
        view! {
            <p class="explain">{lang.t(
                "任何人都可以举报，无需注册。默认匿名：您的身份和联系方式不会提供给被举报的直播间、平台工作人员或公众（《市场监督管理投诉举报处理办法》第三十七条）。提交后您将获得回执码，可凭回执码查询处理进展。",
                "Anyone may report, without an account. Anonymous by default: your identity and contact are never given to the reported room, platform staff or the public (Order 121 Art. 37). You get a receipt code to follow the progress.")}</p>
            <form method="post" action="/do/tips" enctype="multipart/form-data" class="card" id="tip-form">
                {crate::pages::csrf_field()}
                {crate::pages::error_summary(lang, &f)}
                {crate::pages::form_error(&f)}
                <label>{lang.t("平台", "Platform")}<select name="platform" aria-describedby=super::described_by(&f, "platform") required>{platforms}</select></label>
                {field_error(&f, "platform")}
                <label>{lang.t("直播间号或链接", "Live room ID or URL")}<input type="text" name="room" aria-describedby=super::described_by(&f, "room") required value=f.value("room") placeholder="XH-8801"/></label>
                {field_error(&f, "room")}
                {target}
                <label>{lang.t("直播时刻（每行一个：开播后 时:分:秒，或北京时间）", "Moments (one per line: hh:mm:ss from start, or Beijing time)")}
                    <textarea name="moments" aria-describedby=super::described_by(&f, "moments") rows="2" placeholder="00:42:10" inner_html=crate::view::rcdata(&f.value("moments"))></textarea></label>
                {field_error(&f, "moments")}
                <label>{lang.t("直播中说了或展示了什么", "What was said or shown")}
                    <textarea name="description" aria-describedby=super::described_by(&f, "description") rows="5" required maxlength="5000" inner_html=crate::view::rcdata(&f.value("description"))></textarea></label>
                {field_error(&f, "description")}
                <fieldset class="checks"><legend>{lang.t("违法行为类别（可多选）", "Categories (one or more)")}</legend>{cats}</fieldset>
                {field_error(&f, "categories")}
                <label>{lang.t("证据（可选，最多5个）", "Evidence (optional, up to 5 files)")}{format!(" ≤ {} MB", form.max_file_mib)}
                    <input type="file" name="evidence" aria-describedby=super::described_by(&f, "evidence") multiple accept="image/jpeg,image/png,image/webp,video/mp4,video/quicktime,video/webm,application/pdf,text/plain"/></label>
                {field_error(&f, "evidence")}
                <fieldset><legend>{lang.t("联系方式（可选，仅监管部门可见）", "Contact (optional; only the agency sees it)")}</legend>
                    <label>{lang.t("姓名", "Name")}<input type="text" name="reporter_name" aria-describedby=super::described_by(&f, "reporter_name") maxlength="60" value=f.value("reporter_name")/></label>
                    {field_error(&f, "reporter_name")}
                    <label>{lang.t("邮箱或电话（留邮箱可收到进展通知）", "Email or phone (an email gets progress notices)")}<input type="text" name="reporter_contact" aria-describedby=super::described_by(&f, "reporter_contact") maxlength="100" value=f.value("reporter_contact")/></label>
                    {field_error(&f, "reporter_contact")}
                </fieldset>
                {(!f.value("challenge_q").is_empty()).then(|| {
                    let q = f.value("challenge_q");
                    let (a, b) = q.split_once('+').unwrap_or(("", ""));
                    view! {
                        <fieldset id="challenge"><legend>{lang.t("验证问题", "A question")}</legend>
                            <input type="hidden" name="challenge_token" value=f.value("challenge_token")/>
                            <input type="hidden" name="challenge_q" value=q.clone()/>
                            <label>{match lang { Lang::Zh => format!("{a} 加 {b} 等于几？"), Lang::En => format!("What is {a} plus {b}?") }}
                                <input type="text" name="challenge_answer" inputmode="numeric" autocomplete="off" required
                                    aria-describedby=described_by(&f, "challenge_answer")/></label>
                            {field_error(&f, "challenge_answer")}
                        </fieldset>
                    }
                })}
                {form.signed_in.then(|| view! { <p class="explain">{lang.t("您已登录：举报将关联到您的账号，可在“我的举报”中查看。", "You are signed in: the tip is linked to your account and listed under My tips.")}</p> })}
                <button type="submit">{lang.t("提交举报", "Send the tip")}</button>
            </form>
            <p><a href="/tips/status">{lang.t("凭回执码查询进展", "Follow a tip with its receipt code")}</a></p>
        }
        .into_any()
    })
}

#[component]
pub fn TipFiled() -> impl IntoView {
    let data = Resource::new(|| (), |_| load_tip_filed());
    framed(data, Some(("举报已提交", "Tip received")), |lang, f: FormFlash| {
        let receipt = f.value("receipt");
        if receipt.is_empty() {
            return view! { <p>{lang.t("回执码只显示一次。", "The receipt code is shown only once.")}" "<a href="/tips/status">{lang.t("查询进展", "Follow a tip")}</a></p> }.into_any();
        }
        let note = match f.value("repeat").as_str() {
            r if r.starts_with("RepeatOfClosed") => lang.t(
                "与您一年内已处理完毕的举报事实相同，不再重复处理（《市场监督管理投诉举报处理办法》第三十五条）。如有新的事实，请在举报中写明。",
                "The same as a tip of yours handled and closed within the year: not handled again (Order 121 Art. 35). Write any new facts in a new tip.",
            ),
            r if r.starts_with("Same") => lang.t(
                "与您此前的举报事实相同，不再重复处理，已与原举报关联（《市场监督管理投诉举报处理办法》第三十五条）。",
                "The same as your earlier tip: not handled again, linked to it (Order 121 Art. 35).",
            ),
            r if r.starts_with("NewFacts") => lang.t(
                "新的事实已并入您此前的举报，核查期限重新计算（《市场监督管理投诉举报处理办法》第三十五条）。",
                "The new facts were merged into your earlier tip and its time limit restarts (Order 121 Art. 35).",
            ),
            _ => "",
        };
        view! {
            <section class="card narrow receipt-card">
                <p>{lang.t("举报编号：", "Tip number: ")}<strong id="tip-no">{f.value("tip_no")}</strong></p>
                <h2>{lang.t("您的回执码", "Your receipt code")}</h2>
                <p class="receipt"><code data-latin="" id="receipt">{receipt.clone()}</code></p>
                <p class="warn">{lang.t("回执码只显示这一次，请复制、截图或发到邮箱保存；凭它查询进展，请勿告诉他人。",
                    "It is shown only this once: copy it, take a screenshot or mail it to yourself. It lets you follow the tip; keep it to yourself.")}</p>
                <crate::islands::CopyButton text=receipt.clone() label=lang.t("复制回执码", "Copy the code").to_owned() done=lang.t("已复制", "Copied").to_owned()/>
                {f.error("notice").map(|n| view! { <p class="notice" id="notice" role="status">{n}</p> })}
                {field_error(&f, "form")}
                <form method="post" action="/do/tips/receipt-mail" id="receipt-mail" class="inline-form">
                    {crate::pages::csrf_field()}
                    {crate::pages::error_summary(lang, &f)}
                    <input type="hidden" name="receipt" value=receipt/>
                    <input type="hidden" name="tip_no" value=f.value("tip_no")/>
                    <input type="hidden" name="repeat" value=f.value("repeat")/>
                    <label>{lang.t("发到我的邮箱（只用于这一封邮件）", "Mail it to me (the address is used for this mail only)")}
                        <input type="email" name="email" required value=f.value("email") autocomplete="email"
                            aria-describedby=described_by(&f, "email")/></label>
                    {field_error(&f, "email")}
                    <button type="submit">{lang.t("发送", "Send")}</button>
                </form>
                {(!note.is_empty()).then(|| view! { <p class="notice" id="repeat-note">{note}</p> })}
                <p><a href="/tips/status">{lang.t("凭回执码查询进展", "Follow it with the receipt code")}</a></p>
            </section>
        }
        .into_any()
    })
}

fn progress_card(lang: Lang, p: &TipProgress) -> impl IntoView {
    view! {
        <div class="card narrow tip-progress" data-stage=p.stage.clone()>
            <p>{lang.t("举报编号：", "Tip: ")}<strong>{p.tip_no.clone()}</strong>" · "{p.filed_at.clone()}</p>
            <p>{lang.t("进展：", "Progress: ")}<strong class="stage">{stage_label(lang, &p.stage)}</strong></p>
            {p.due_on.map(|d| view! {
                <p id="tip-due">{lang.t("核查期限：", "Verification due: ")}<strong>{d.to_string()}</strong>
                    <span class="explain">{lang.t("（自受理起15个工作日，经批准可延长15个工作日）", " (15 working days from acceptance, extendable by 15 with approval)")}</span></p>
            })}
            {p.platform_reviewed.then(|| view! { <p>{lang.t("平台已审核该举报。", "The platform has reviewed it.")}</p> })}
            {p.linked_to.clone().map(|l| view! { <p>{lang.t("已与举报 ", "Linked to tip ")}{l}{lang.t(" 合并处理。", ".")}</p> })}
            <p class="explain">{lang.t("依法律规定需要告知的，才告知具体处理结果（《市场监督管理投诉举报处理办法》第三十六条）。", "Specific results are given only where a law requires it (Order 121 Art. 36).")}</p>
        </div>
    }
}

#[component]
pub fn TipStatus() -> impl IntoView {
    let data = Resource::new(|| (), |_| load_tip_status());
    framed(data, Some(("举报进展查询", "Follow a tip")), |lang, page| {
        let f = page.flash.clone();
        view! {
            {page.result.as_ref().map(|p| progress_card(lang, p))}
            <form method="post" action="/do/tips/status" class="card narrow" id="status-form">
                {crate::pages::csrf_field()}
                {crate::pages::error_summary(lang, &f)}
                {crate::pages::form_error(&f)}
                <label>{lang.t("回执码", "Receipt code")}<input type="text" name="receipt" aria-describedby=super::described_by(&f, "receipt") required autocomplete="off" placeholder="XXXX-XXXX-XXXX-XXXX-XXXX"/></label>
                {field_error(&f, "receipt")}
                <button type="submit">{lang.t("查询", "Look up")}</button>
            </form>
        }
        .into_any()
    })
}

#[component]
pub fn MyTips() -> impl IntoView {
    let data = Resource::new(|| (), |_| load_my_tips());
    framed(data, Some(("我的举报", "My tips")), |lang, tips: Vec<TipProgress>| {
        if tips.is_empty() {
            return view! { <p>{lang.t("暂无举报。", "No tips yet.")}" "<a href="/tips/new">{lang.t("举报", "Report")}</a></p> }.into_any();
        }
        tips.iter().map(|p| progress_card(lang, p)).collect_view().into_any()
    })
}

fn rows(lang: Lang, rows: &[TipRow], regulator: bool) -> impl IntoView {
    rows.iter()
        .map(|r| {
            let status = if regulator { &r.regulator_status } else { &r.platform_status };
            view! {
                <tr data-tip=r.tip_no.clone()>
                    <td><a href=format!("/staff/tips/{}", r.tip_no)>{r.tip_no.clone()}</a></td>
                    <td>{r.room.clone()}</td>
                    <td>{cat_labels(lang, &r.categories)}</td>
                    <td>{status_label(lang, status)}
                        {(regulator && r.cac_listed).then(|| view! { <span class="badge amber">{lang.t("网信部门", "CAC")}</span> })}
                        {r.d9_overdue.then(|| view! { <span class="badge red">{lang.t("核查逾期", "Verification overdue")}</span> })}</td>
                    <td>{if regulator { r.d9_due.map(|d| d.to_string()).unwrap_or_default() } else { r.filed_on.clone() }}</td>
                </tr>
            }
        })
        .collect_view()
}

fn queue(kind: &'static str, title: (&'static str, &'static str)) -> impl IntoView {
    let query = use_query_map();
    let data =
        Resource::new(move || query.with(|q| q.get("cac").is_some()), move |cac| load_tip_queue(kind.to_owned(), cac));
    framed(data, Some(title), move |lang, q| {
        let head = if q.regulator { lang.t("核查期限", "D9 due") } else { lang.t("收到日期", "Received") };
        view! {
            {q.regulator.then(|| view! { <p><a href="/regulator/tips?cac=1">{lang.t("仅看移送网信部门的（办法第四十六条）", "Only those listed for CAC (Order 117 Art. 46)")}</a></p> })}
            <table class="queue" id="tip-queue">
                <thead><tr><th>{lang.t("编号", "Tip")}</th><th>{lang.t("直播间", "Room")}</th><th>{lang.t("类别", "Categories")}</th><th>{lang.t("状态", "Status")}</th><th>{head}</th></tr></thead>
                <tbody>{rows(lang, &q.rows, q.regulator)}</tbody>
            </table>
        }
        .into_any()
    })
}

#[component]
pub fn PlatformTips() -> impl IntoView {
    queue("platform", ("举报处置队列（办法第十二条）", "Report queue (Order 117 Art. 12)"))
}

#[component]
pub fn RegulatorTips() -> impl IntoView {
    queue("regulator", ("举报核查队列", "Tip verification queue"))
}

#[component]
pub fn StaffTip() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new(move || params.with(|p| p.get("tip_no").unwrap_or_default()), load_staff_tip);
    let name = |lang: Lang, t: &StaffTipView| Some(format!("{}{}", lang.t("举报 ", "Tip "), t.row.tip_no));
    super::framed_titled(data, None, name, |lang, t| staff_tip(lang, t).into_any())
}

fn staff_tip(lang: Lang, t: StaffTipView) -> impl IntoView {
    let f = t.flash.clone();
    let events = t
        .events
        .iter()
        .map(|(at, role, ev, msg)| {
            let (who_zh, who_en) = redline_rules::tip::actor_label(role);
            // An event this page does not know is shown by its code (in the 技术信息 sense: rare, never hidden).
            let what = redline_rules::tip::event_label(ev).map(|(zh, en)| lang.t(zh, en).to_owned()).unwrap_or_else(|| ev.clone());
            view! { <li data-event=ev.clone()><time>{at.clone()}</time>" "<b>{lang.t(who_zh, who_en)}</b>" "{what}" "{msg.clone()}</li> }
        })
        .collect_view();
    let measures: Vec<(String, String)> =
        Measure::ALL.iter().map(|m| (m.as_str().to_owned(), lang.t(m.label_zh(), m.label_en()).to_owned())).collect();
    let decisions: Vec<(String, String)> =
        Decision::ALL.iter().map(|d| (d.as_str().to_owned(), lang.t(d.label_zh(), d.label_en()).to_owned())).collect();
    // Verdicts start unchosen and keep what was chosen after a refusal.
    let radio = |name: &'static str, value: &'static str, label: &'static str| {
        let checked = f.value(name) == value;
        view! { <label class="choice"><input type="radio" name=name value=value checked=checked aria-describedby=described_by(&f, name)/>{label}</label> }
    };
    let tip_no = t.row.tip_no.clone();
    let platform_form = (t.as_platform && t.row.platform_status == "REVIEWING").then(|| view! {
        <form method="post" action=format!("/do/staff/tips/{tip_no}/platform") class="action" id="platform-tip-form">
            {crate::pages::csrf_field()}
            {crate::pages::error_summary(lang, &f)}
            <h3>{lang.t("平台处置（办法第十二条）", "Platform measure (Order 117 Art. 12)")}</h3>
            {radio("answer", "measure", lang.t("采取措施", "Take a measure"))}
            <label>{lang.t("措施", "Measure")}{choice(lang, &f, "measure", measures)}</label>
            {field_error(&f, "measure")}
            {radio("answer", "no_action", lang.t("不予处置（须说明理由）", "No action (give the reason)"))}
            {field_error(&f, "answer")}
            <label>{lang.t("说明", "Message")}<textarea name="message" rows="2" maxlength="2000" aria-describedby=described_by(&f, "message")
                inner_html=crate::view::rcdata(&f.value("message"))></textarea></label>
            {field_error(&f, "message")}
            <button type="submit">{lang.t("提交", "Submit")}</button>
        </form>
    }.into_any());
    let reg_forms = t.as_regulator.then(|| {
        let verifying = t.row.regulator_status == "VERIFYING";
        let filed = t.row.regulator_status == "CASE_FILED";
        view! {
            {verifying.then(|| view! {
                <form method="post" action=format!("/do/staff/tips/{tip_no}/regulator") class="action" id="regulator-tip-form">
                    {crate::pages::csrf_field()}
                    {crate::pages::error_summary(lang, &f)}
                    <h3>{lang.t("核查结论", "Verification")}</h3>
                    {radio("act", "file", lang.t("立案", "Open a case (立案)"))}
                    {radio("act", "not_file", lang.t("不予立案（须说明理由）", "Do not open a case (reason)"))}
                    {(!t.row.d9_extended).then(|| radio("act", "extend", lang.t("延长15个工作日（仅一次，须说明理由）", "Extend by 15 working days (once; reason)")))}
                    {if t.row.d9_paused {
                        radio("act", "resume", lang.t("检测、检验、鉴定结束，恢复计算核查期限", "Testing is over: the verification period runs again"))
                    } else {
                        radio("act", "pause", lang.t("因检测、检验、鉴定中止核查（期间不计入核查期限，须说明）", "Hold for testing (not counted toward the period; reason)"))
                    }}
                    {field_error(&f, "act")}
                    <label>{lang.t("说明", "Message")}<textarea name="message" rows="2" maxlength="2000" aria-describedby=described_by(&f, "message")
                        inner_html=crate::view::rcdata(&f.value("message"))></textarea></label>
                    {field_error(&f, "message")}
                    <button type="submit">{lang.t("提交", "Submit")}</button>
                </form>
            })}
            {filed.then(|| view! {
                <form method="post" action=format!("/do/staff/tips/{tip_no}/regulator") class="action" id="decide-tip-form">
                    {crate::pages::csrf_field()}
                    {crate::pages::error_summary(lang, &f)}
                    <h3>{lang.t("处理决定", "Decision")}</h3>
                    <input type="hidden" name="act" value="decide"/>
                    <label>{lang.t("决定", "Decision")}{choice(lang, &f, "decision", decisions)}</label>
                    {field_error(&f, "decision")}
                    <label>{lang.t("说明", "Message")}<textarea name="message" rows="2" maxlength="2000"
                        inner_html=crate::view::rcdata(&f.value("message"))></textarea></label>
                    <button type="submit">{lang.t("提交", "Submit")}</button>
                </form>
            })}
            {(filed && !t.row.d10_extended).then(|| view! {
                <form method="post" action=format!("/do/staff/tips/{tip_no}/regulator") class="action" id="extend-decision-form">
                    {crate::pages::csrf_field()}
                    <h3>{lang.t("延长处理期限30日（须经负责人批准）", "Extend the decision period by 30 days (with the head's approval)")}</h3>
                    <input type="hidden" name="act" value="extend_decision"/>
                    <label>{lang.t("批准情况", "Approval")}<textarea name="message" rows="2" maxlength="2000"></textarea></label>
                    <button type="submit">{lang.t("延长", "Extend")}</button>
                </form>
            })}
        }
        .into_any()
    });
    view! {
        <h1>{lang.t("举报 ", "Tip ")}<span id="tip-no">{t.row.tip_no.clone()}</span></h1>
        {super::evidence::chain_badge(lang, &t.chain)}
        {super::notice(&f)}
        {field_error(&f, "form")}
        <div class="grid">
            <section class="card">
                <dl>
                    <dt>{lang.t("直播间", "Room")}</dt><dd>{t.row.room.clone()}</dd>
                    <dt>{lang.t("时刻", "Moments")}</dt><dd>{t.moments.join("、")}</dd>
                    <dt>{lang.t("类别", "Categories")}</dt><dd>{cat_labels(lang, &t.row.categories)}</dd>
                    <dt>{lang.t("内容", "What was said or shown")}</dt><dd class="narrative">{t.description.clone()}</dd>
                    <dt>{lang.t("平台状态", "Platform")}</dt><dd id="platform-status" data-status=t.row.platform_status.clone()>{status_label(lang, &t.row.platform_status)}
                        {t.platform_measure.clone().map(|m| format!(" · {}", m.parse::<Measure>().map(|m| lang.t(m.label_zh(), m.label_en()).to_owned()).unwrap_or(m)))}</dd>
                    <dt>{lang.t("监管状态", "Regulator")}</dt><dd id="regulator-status" data-status=t.row.regulator_status.clone()>{status_label(lang, &t.row.regulator_status)}
                        {t.row.d9_due.map(|d| format!(" · {}{d}", lang.t("核查期限 ", "verification due ")))}
                        {t.row.d9_extended.then(|| lang.t("（已延长）", " (extended)"))}
                        {t.row.d9_paused.then(|| lang.t("（检测等中止中，期间不计入）", " (held for testing; not counted)"))}
                        {t.row.d10_due.map(|d| format!(" · {}{d}", lang.t("处理期限 ", "decision due ")))}
                        {t.row.d10_extended.then(|| lang.t("（已批准延长）", " (extended with approval)"))}</dd>
                    {(t.origin == "MEDIATION").then(|| view! {
                        <dt>{lang.t("来源", "Origin")}</dt>
                        <dd id="tip-origin" data-origin="MEDIATION">{lang.t("调解中发现的违法线索，核查时限D8（投诉举报处理办法第二十七条）", "A violation found in mediation, verified under D8 (Order 121 Art. 27)")}</dd>
                    })}
                    {t.case_no.clone().map(|no| view! { <dt>{lang.t("关联投诉", "Case")}</dt><dd><a href=format!("/cases/{no}") id="tip-case">{no.clone()}</a></dd> })}
                    <dt>{lang.t("举报对象", "About")}</dt><dd id="tip-target">{t.target.clone()}</dd>
                    <dt>{lang.t("承办部门", "Agency")}</dt><dd>{t.agency.clone().unwrap_or_else(|| "—".into())}</dd>
                    {t.row.cac_listed.then(|| view! { <dt>{lang.t("网信部门", "CAC")}</dt><dd>{lang.t("涉及内容或AI标识，同时列入网信部门线索（办法第四十六条）", "Content or AI labelling: also listed for the internet-information department (Order 117 Art. 46)")}</dd> })}
                    {t.reporter.clone().map(|(n, c)| view! {
                        <dt>{lang.t("举报人（仅监管部门可见）", "Reporter (agency only)")}</dt>
                        <dd id="reporter">{n.unwrap_or_else(|| lang.t("匿名", "anonymous").into())}" · "{c.unwrap_or_else(|| "—".into())}</dd>
                    })}
                </dl>
                {t.as_regulator.then(|| {
                    let ev = t.evidence.iter().map(|(id, n, k, s)| view! {
                        <li><a href=format!("/staff/tip-evidence/{id}") rel="external" class="file-name">{n.clone()}</a>" · "
                            {k.parse::<redline_rules::evidence::EvidenceKind>().map(|k| lang.t(k.label_zh(), k.label_en()).to_owned()).unwrap_or_else(|_| k.clone())}
                            " · "{crate::i18n::size(*s)}</li>
                    }).collect_view();
                    view! { <h3>{lang.t("举报人提交的证据", "Reporter's evidence")}</h3><ul>{ev}</ul> }
                })}
                <h3>{lang.t("管辖（令第121号第三十一条）", "Jurisdiction (Order 121 Art. 31)")}</h3>
                <ul>{t.jurisdiction.iter().map(|(r, b)| view! { <li>{r.clone()}" — "{b.clone()}</li> }).collect_view()}</ul>
            </section>
            <section class="card">
                {platform_form}
                {reg_forms}
                {tip_retention(lang, &t).into_any()}
                <h3>{lang.t("处理经过", "History")}</h3>
                <ol class="timeline">{events}</ol>
            </section>
        </div>
    }
}

/// How long the closed tip is kept, and the agency's legal hold against its deletion.
fn tip_retention(lang: Lang, t: &StaffTipView) -> impl IntoView {
    let f = &t.flash;
    let until = match t.retain_until {
        Some(d) => format!("{}{}", lang.t("举报记录保存至 ", "The tip is kept until "), d.format("%Y-%m-%d")),
        None => lang
            .t("办结后保存：未立案的一年，立案的三年。", "Once closed: one year, three if a case was opened.")
            .to_owned(),
    };
    view! {
        <div id="retention" data-held=t.legal_hold.to_string()>
            <h3>{lang.t("记录留存", "Retention")}</h3>
            <p id="retain-until">{until}</p>
            {t.legal_hold.then(|| view! { <p class="badge amber" id="legal-hold">{lang.t("法律保全中：期满也不删除", "Under legal hold: kept past its day")}</p> })}
            {t.legal_hold_reason.clone().map(|r| view! { <p id="legal-hold-reason">{lang.t("保全理由：", "Reason: ")}{r}</p> })}
            {t.as_regulator.then(|| {
                let action = format!("/do/staff/tips/{}/hold{}", t.row.tip_no, if t.legal_hold { "/lift" } else { "" });
                view! {
                    <form method="post" action=action class="action" id="hold-form">
                        {csrf_field()}
                        <label>{if t.legal_hold { lang.t("解除保全的理由", "Why the hold is lifted") } else { lang.t("保全理由（如行政处罚案件编号）", "Reason (e.g. the penalty case)") }}
                            <textarea name="reason" aria-describedby=super::described_by(f, "reason") rows="2" maxlength="500" inner_html=crate::view::rcdata(&f.value("reason"))></textarea></label>
                        {field_error(f, "reason")}
                        <button type="submit">{if t.legal_hold { lang.t("解除法律保全", "Lift the legal hold") } else { lang.t("设置法律保全", "Set a legal hold") }}</button>
                    </form>
                }
            })}
        </div>
    }
}
