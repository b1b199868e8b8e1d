//! The dossier's evidence parts: the session and product the complaint is pinned
//! to, the evidence vault with its upload form, the replay preservation request
//! (Order 117 Art. 16) and the hash-chain check of the history.
use super::{field_error, role_label};
use crate::i18n::{yuan, Lang};
use crate::view::{ChainView, Dossier, EvidenceView, PreservationView, ProductView, SessionView};
use leptos::prelude::*;

/// "Session: started … ended …" and the picked product with its Art. 32 facts.
pub fn session_facts(lang: Lang, s: Option<&SessionView>, p: Option<&ProductView>) -> impl IntoView {
    let session = match s {
        Some(s) => format!(
            "{}{}{}{}",
            lang.t("开播 ", "started "),
            s.started,
            s.ended.as_ref().map(|e| format!(" · {}{e}", lang.t("下播 ", "ended "))).unwrap_or_default(),
            if s.replay_ref.is_some() { format!(" · {}", lang.t("有回放", "replay kept")) } else { String::new() },
        ),
        None => lang
            .t("场次未知（该时刻不在已知的直播场次内）", "session unknown (no known session covers this moment)")
            .to_owned(),
    };
    view! {
        <dt>{lang.t("直播场次", "Session")}</dt><dd id="session-facts" data-known=s.is_some().to_string()>{session}
            {s.filter(|s| s.platform_session_id.is_some() || s.replay_ref.is_some()).map(|s| view! {
                <details class="tech">
                    <summary>{lang.t("技术信息", "Technical details")}</summary>
                    <dl>
                        {s.platform_session_id.clone().map(|p| view! { <dt>{lang.t("平台场次编号", "Platform session id")}</dt><dd><code>{p}</code></dd> })}
                        {s.replay_ref.clone().map(|r| view! { <dt>{lang.t("回放地址", "Replay address")}</dt><dd><code>{r}</code></dd> })}
                    </dl>
                </details>
            })}
        </dd>
        {p.map(|p| view! {
            <dt>{lang.t("场次商品（第三十二条）", "Product as shown (Art. 32)")}</dt>
            <dd id="picked-product">{product_line(lang, p)}</dd>
        })}
    }
}

pub fn product_line(lang: Lang, p: &ProductView) -> String {
    let mut parts =
        vec![format!("{} {}", p.sku, p.name), format!("{}{}", lang.t("标价 ", "price "), yuan(p.displayed_price_fen))];
    if let Some(r) = p.reference_price_fen {
        parts.push(format!("{}{}", lang.t("划线价 ", "reference "), yuan(r)));
    }
    if let Some(b) = &p.discount_basis {
        parts.push(format!("{}{b}", lang.t("依据：", "basis: ")));
    }
    if let Some(c) = &p.claims {
        parts.push(format!("{}{c}", lang.t("宣称：", "claims: ")));
    }
    parts.join(" · ")
}

fn item(lang: Lang, e: &EvidenceView) -> impl IntoView {
    let href = format!("/evidence/{}", e.id);
    let original = format!("/evidence/{}/original", e.id);
    view! {
        <li class="evidence-item" data-kind=e.kind.as_str() data-sha256=e.sha256.clone()>
            {e.viewable.then(|| view! {
                <a href=href.clone() rel="external" target="_blank"><img class="thumb" src=href.clone() alt=e.file_name.clone() loading="lazy"/></a>
            })}
            <div>
                <strong class="file-name">{e.file_name.clone()}</strong>
                <span class="meta">{lang.t(e.kind.label_zh(), e.kind.label_en())}" · "{crate::i18n::size(e.size_bytes)}" · "{role_label(lang, e.role)}" · "{e.uploaded_at.clone()}</span>
                {e.clip.clone().map(|c| view! { <span class="clip">{lang.t("直播片段 ", "stream clip ")}{c}</span> })}
                {e.note.clone().map(|n| view! { <p class="note">{n}</p> })}
                // The fingerprint proves the file unchanged; courts need it, readers do not.
                <details class="tech"><summary>{lang.t("技术信息", "Technical details")}</summary>
                    <span class="hash">"SHA-256 "{e.sha256.clone()}</span></details>
                <a href=original rel="external" class="download">{lang.t("下载原件", "Download original")}</a>
            </div>
        </li>
    }
}

pub fn evidence_section(lang: Lang, d: &Dossier) -> impl IntoView {
    let f = &d.evidence_flash;
    let items = d.evidence.iter().map(|e| item(lang, e)).collect_view();
    let roles = d
        .upload_roles
        .iter()
        .map(|r| view! { <option value=r.as_str()>{role_label(lang, *r)}</option> })
        .collect_view();
    view! {
        <section class="card" id="evidence">
            <h2>{lang.t("证据", "Evidence")}</h2>
            {super::notice(f)}
            {d.evidence.is_empty().then(|| view! { <p class="explain">{lang.t("尚无证据。", "No evidence yet.")}</p> })}
            <ul class="evidence">{items}</ul>
            <form method="post" enctype="multipart/form-data" action=format!("/do/cases/{}/evidence", d.case_no) id="evidence-form" class="action">
                {crate::pages::csrf_field()}
                {crate::pages::error_summary(lang, f)}
                <h3>{lang.t("上传证据", "Add evidence")}</h3>
                {crate::pages::form_error(f)}
                <label>{lang.t("上传身份", "Uploading as")}<select name="role">{roles}</select></label>
                <label>{lang.t("文件（图片、视频、PDF、聊天记录）", "Files (images, videos, PDF, chat exports)")}
                    {format!(" ≤ {} MB", d.max_file_mib)}
                    <input type="file" name="files" aria-describedby=super::described_by(f, "files") multiple required accept="image/jpeg,image/png,image/webp,video/mp4,video/quicktime,video/webm,application/pdf,text/plain"/></label>
                {field_error(f, "files")}
                <fieldset class="inline"><legend>{lang.t("对应的直播片段（可选，开播后 时:分:秒）", "Stream clip it shows (optional, hh:mm:ss from start)")}</legend>
                    <input type="text" name="clip_start" placeholder="00:42:00" value=f.value("clip_start") aria-label=lang.t("开始", "start") aria-describedby=super::described_by(f, "clip")/>
                    " – "
                    <input type="text" name="clip_end" placeholder="00:43:30" value=f.value("clip_end") aria-label=lang.t("结束", "end") aria-describedby=super::described_by(f, "clip")/>
                </fieldset>
                {field_error(f, "clip")}
                <label>{lang.t("说明（可选）", "Note (optional)")}<input type="text" name="note" aria-describedby=super::described_by(f, "note") maxlength="500" value=f.value("note")/></label>
                {field_error(f, "note")}
                <button type="submit">{lang.t("上传", "Upload")}</button>
            </form>
        </section>
    }
}

fn status_label(lang: Lang, p: &PreservationView) -> &'static str {
    match p.status.as_str() {
        "CONFIRMED" => lang.t("已确认保全", "preserved"),
        "DECLINED" => lang.t("平台称无法保全", "declined by the platform"),
        _ => lang.t("等待平台确认", "awaiting the platform"),
    }
}

pub fn preservation_section(lang: Lang, d: &Dossier) -> impl IntoView {
    let f = &d.preservation_flash;
    d.preservation.as_ref().map(|p| {
        view! {
            <section class="card" id="preservation" data-status=p.status.clone() data-overdue=p.overdue.to_string()>
                <h2>{lang.t("回放保全（办法第十六条）", "Replay preservation (Order 117 Art. 16)")}</h2>
                <p><strong>{status_label(lang, p)}</strong>
                    {p.overdue.then(|| view! { <span class="badge red">{lang.t("平台逾期未确认", "platform missed its deadline")}</span> })}</p>
                // The platform's D4 clock, shown here rather than among the case's clocks:
                // it binds the platform whatever state the case is in.
                {(p.status == "PENDING").then(|| super::case_progress::current_clock(&d.clocks, redline_rules::clock::ClockKind::D4)).flatten().map(|c| view! {
                    <p class=if c.overdue { "due overdue" } else { "due" } id="preservation-due">
                        {lang.t("平台确认期限：", "Platform to confirm: ")}{crate::pages::clock_text(lang, c)}</p>
                })}
                <p class="explain">{lang.t("请求保全的片段：", "Segment requested: ")}{p.range.clone()}</p>
                {p.replay_ref.clone().map(|r| view! {
                    <details class="tech"><summary>{lang.t("技术信息", "Technical details")}</summary>
                        <p>{lang.t("回放编号：", "Replay: ")}<code>{r}</code></p></details>
                })}
                {p.retain_until.map(|d| view! { <p>{lang.t("保存至：", "Kept until: ")}{d.to_string()}</p> })}
                {p.answer.clone().map(|a| view! { <p>{lang.t("平台说明：", "Platform says: ")}{a}</p> })}
                // Outside the form: a refused answer (already answered) shows
                // even when there is no form left to show it in.
                {field_error(f, "form")}
                {super::notice(f)}
                {p.can_answer.then(|| view! {
                    <form method="post" action=format!("/do/cases/{}/preservation", d.case_no) class="action" id="preservation-form">
                        {crate::pages::csrf_field()}
                        {crate::pages::error_summary(lang, f)}
                        <label class="choice"><input type="radio" name="decision" aria-describedby=super::described_by(f, "decision") value="confirm" checked=f.value("decision") == "confirm"/>{lang.t("确认已保全", "Confirm it is preserved")}</label>
                        <label>{lang.t("回放编号或地址", "Replay reference")}<input type="text" name="replay_ref" aria-describedby=super::described_by(f, "replay_ref") maxlength="300" value=f.value("replay_ref")/></label>
                        {field_error(f, "replay_ref")}
                        <label>{lang.t("保存至（不早于 ", "Kept until (no earlier than ")}{p.min_retain_until.to_string()}{lang.t("）", ")")}
                            <input type="date" name="retain_until" aria-describedby=super::described_by(f, "retain_until") value=f.value("retain_until") min=p.min_retain_until.to_string()/></label>
                        {field_error(f, "retain_until")}
                        <label class="choice"><input type="radio" name="decision" aria-describedby=super::described_by(f, "decision") value="decline" checked=f.value("decision") == "decline"/>{lang.t("无法保全，说明理由", "Cannot preserve: say why")}</label>
                        <textarea name="reason" aria-describedby=super::described_by(f, "reason") rows="2" maxlength="1000" aria-label=lang.t("无法保全的理由", "Why it cannot be preserved") inner_html=crate::view::rcdata(&f.value("reason"))></textarea>
                        {field_error(f, "reason")}
                        {field_error(f, "decision")}
                        <button type="submit">{lang.t("提交答复", "Send answer")}</button>
                    </form>
                })}
            </section>
        }
    })
}

pub fn chain_badge(lang: Lang, c: &ChainView) -> impl IntoView {
    if c.intact {
        view! {
            <p class="chain ok" id="chain" data-intact="true">
                {format!("✓ {} {} {}", lang.t("处理记录完整：", "History intact:"), c.events, lang.t("条记录的哈希链校验通过", "events, hash chain verified"))}
            </p>
        }
        .into_any()
    } else {
        view! {
            <p class="chain broken" id="chain" data-intact="false" data-broken-at=c.broken_at.unwrap_or_default().to_string()>
                {format!("✗ {} #{}：{}", lang.t("处理记录在第", "History broken at event"), c.broken_at.unwrap_or_default(),
                    if lang.is_zh() { c.problem_zh.clone() } else { c.problem_en.clone() })}
            </p>
        }
        .into_any()
    }
}

/// Label of a record that changes no state.
pub fn record_label(lang: Lang, event: &str) -> Option<&'static str> {
    Some(match event {
        "EVIDENCE_ADDED" => lang.t("提交证据", "Evidence added"),
        "PRESERVATION_REQUESTED" => lang.t("已请求平台保全回放", "Replay preservation requested"),
        "PRESERVATION_CONFIRMED" => lang.t("平台确认已保全回放", "Platform confirmed the replay is preserved"),
        "PRESERVATION_DECLINED" => lang.t("平台称无法保全回放", "Platform declined to preserve the replay"),
        "PRESERVATION_OVERDUE" => lang.t("平台逾期未确认保全", "Platform missed the preservation deadline"),
        "RECORDS_REQUESTED" => {
            lang.t("消费者请求调取经营者信息和交易记录", "Consumer asked for the operator's details and records")
        }
        "RECORDS_SUPPLIED" => lang.t("平台答复信息调取请求", "Platform answered the records request"),
        "RECORDS_OVERDUE" => lang.t("平台逾期未答复信息调取请求", "Platform missed the records request's deadline"),
        "FRAUD_SUSPECTED" => lang.t("标记为涉嫌欺诈", "Marked as suspected fraud"),
        "FRAUD_CLEARED" => lang.t("撤销涉嫌欺诈标记", "Suspected-fraud mark lifted"),
        "VIOLATION_FOUND" => {
            lang.t("监管部门登记调解中发现的违法线索", "The agency recorded a violation found in mediation")
        }
        "JURISDICTION_DISPUTED" => lang.t("承办部门报请上级指定管辖", "The agency referred a jurisdiction dispute"),
        "JURISDICTION_DESIGNATED" => lang.t("上级部门指定管辖", "The higher level designated the agency"),
        "UNREACHABLE_NOTIFIED" => {
            lang.t("监管部门通知平台：经营者或主播无法联系", "The agency told the platform a party cannot be reached")
        }
        "UNREACHABLE_REMINDED" => {
            lang.t("平台已提醒其更新登记信息", "The platform reminded them to update their details")
        }
        "UNREACHABLE_OVERDUE" => lang.t("平台逾期未提醒", "The platform did not remind in time"),
        "RATED" => lang.t("消费者评价处理情况", "Consumer rated the handling"),
        "LEGAL_HOLD_SET" => lang.t("监管部门设置法律保全", "Legal hold set by the agency"),
        "LEGAL_HOLD_LIFTED" => lang.t("监管部门解除法律保全", "Legal hold lifted by the agency"),
        _ => return None,
    })
}
