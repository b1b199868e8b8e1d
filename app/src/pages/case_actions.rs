//! The steps a party may take on a case, each its own form: a refused post
//! comes back to its own form with every choice kept; what cannot be undone
//! is set apart and confirmed in the form itself.
use super::cite;
use super::{choice, described_by, field_error, role_label};
use crate::i18n::Lang;
use crate::view::{Action, Dossier, FormFlash};
use leptos::prelude::*;
use redline_rules::case::{OfferKind, PauseReason, RefusalReason, TerminationReason};

fn opts<T: Copy>(items: &[T], code: impl Fn(T) -> &'static str, label: impl Fn(T) -> String) -> Vec<(String, String)> {
    items.iter().map(|i| (code(*i).to_owned(), label(*i))).collect()
}

pub fn action_form(lang: Lang, d: &Dossier, a: &Action, flash: &FormFlash) -> impl IntoView {
    let ev = a.event.as_str();
    // A refused post comes back to its own form only: the others stay blank.
    let posted = flash.value("event") == ev && flash.value("role") == a.role.as_str();
    let kept = if posted { flash.clone() } else { FormFlash::default() };
    let f = &kept;
    let title = match ev {
        "OPERATOR_RESPOND" => lang.t("答复并提出处理方案", "Respond with an offer"),
        // What accepting means depends on the offer: a rejection accepted ends the matter.
        "CONSUMER_ACCEPT" if d.context.last_offer == Some(OfferKind::Reject) => {
            lang.t("接受处理结果，结束投诉", "Accept the outcome and close")
        }
        "CONSUMER_ACCEPT" => lang.t("接受处理方案", "Accept the offer"),
        "CONSUMER_REJECT" if d.context.platform_decided => {
            lang.t("不接受，准备提交市场监管部门", "Reject; go on to market supervision")
        }
        "CONSUMER_REJECT" => lang.t("不接受，请平台处理", "Reject; ask the platform to handle it"),
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
        "REOPEN" => lang.t("重新提出，准备提交市场监管部门", "Reopen, to go to market supervision"),
        "CLOSE_WITHDRAWN" => lang.t(
            "记录撤回，终止处理（令第121号第二十三条第（一）项）",
            "Record the withdrawal and end the handling (Order 121 Art. 23(1))",
        ),
        "CLOSE_TERMINATED" => lang.t(
            "已告知双方终止调解，结案（第二十三条第二款）",
            "Both parties told of the termination; close (Art. 23 ¶2)",
        ),
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
            <p class="explain">{lang.t("提交市场监管部门需提供投诉人的姓名、电话和地址（令第121号第十条）。被投诉方只能看到您的姓名；勾选下方选项后，调解需要时也可看到电话和地址。", "Market supervision needs the complainant's name, phone and address (Order 121 Art. 10). Respondents see only your name, and phone and address too if you tick the box below.")}</p>
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
                {lang.t("我同意将投诉材料及上述个人信息提供给市场监管部门（《个人信息保护法》第二十三条、第二十五条）", "I consent to my complaint and the details above being given to market supervision (PIPL Arts. 23, 25)")}</label>
            {field_error(f, "consent")}
        }.into_any(),
        "DISPATCH" => {
            let agencies = d.agencies.iter().map(|(id, n)| (id.to_string(), n.clone())).collect();
            view! { <label>{lang.t("改派至", "Reassign to")}{choice(lang, f, "agency_id", agencies)}</label> {field_error(f, "agency_id")} }.into_any()
        }
        "REGULATOR_REFUSE" => view! {
            <label>{lang.t("不予受理理由（第十六条）", "Reason (Art. 16)")}
                {choice(lang, f, "reason", opts(RefusalReason::ALL.as_slice(), |r| r.as_str(), |r| format!("{} {}", cite(lang, r.article()), lang.t(r.label_zh(), r.label_en()))))}</label>
            {field_error(f, "reason")}
        }.into_any(),
        "TERMINATE" => view! {
            <label>{lang.t("终止理由（第二十三条）", "Reason (Art. 23)")}
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
            {crate::pages::error_summary(lang, f)}
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
