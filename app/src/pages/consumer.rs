//! Consumer pages: my cases and the complaint form.
use super::{field_error, framed, staff::Queue};
use crate::api::load_filing_form;
use crate::view::FormFlash;
use leptos::prelude::*;
use redline_rules::intake::{Category, Demand};

#[component]
pub fn MyCases() -> impl IntoView {
    view! { <Queue kind="mine" title_zh="我的投诉" title_en="My cases"/> }
}

#[component]
pub fn NewComplaint() -> impl IntoView {
    let query = leptos_router::hooks::use_query_map();
    let data =
        Resource::new(move || query.with(|q| q.get("session").and_then(|s| s.parse::<i64>().ok())), load_filing_form);
    framed(data, Some(("我要投诉", "File a complaint")), |lang, form| {
        let f = form.flash.clone();
        let typed_or = |k: &str, dflt: String| {
            let v = f.value(k);
            if v.is_empty() {
                dflt
            } else {
                v
            }
        };
        let sel = typed_or("platform", form.session_room.as_ref().map(|r| r.0.to_string()).unwrap_or_default());
        let room = typed_or("room", form.session_room.as_ref().map(|r| r.1.clone()).unwrap_or_default());
        let session_box = form.session.clone().map(|s| {
            let picked = f.value("product_id");
            let options = s.products.iter().map(|p| {
                let label = format!("{} · {} {}", p.sku, p.name, crate::i18n::yuan(p.displayed_price_fen));
                view! { <option value=p.id.to_string() selected=picked == p.id.to_string()>{label}</option> }
            }).collect_view();
            view! {
                <fieldset id="session-box"><legend>{lang.t("投诉的直播场次", "The session you complain about")}</legend>
                    <input type="hidden" name="session" value=s.id.to_string()/>
                    <p class="explain">{s.room.clone()}" · "{lang.t("开播 ", "started ")}{s.started.clone()}
                        {s.ended.clone().map(|e| format!(" · {}{}", lang.t("下播 ", "ended "), e))}</p>
                    <p class="explain">{lang.t("填写开播后的时长时，将按开播时间换算为北京时间；填写北京时间时，将换算为开播后的时长。",
                        "An offset is converted to the clock time from the start of this session, and a clock time to the offset.")}</p>
                    <label>{lang.t("该场展示的商品（可选）", "Product shown in this session (optional)")}
                        <select name="product_id" id="product-pick">
                            <option value="">{lang.t("— 其他，下方填写 —", "— other, type below —")}</option>
                            {options}
                        </select></label>
                    {field_error(&f, "product")}
                    {field_error(&f, "session")}
                </fieldset>
            }
        });
        let platforms = form
            .platforms
            .iter()
            .cloned()
            .map(|(id, name)| {
                let selected = sel == id.to_string();
                view! { <option value=id.to_string() selected=selected>{name}</option> }
            })
            .collect_view();
        let kind = f.value("moment_kind");
        let respondent = f.value("respondent");
        let picked = f.value("marketer_id");
        let choices = form
            .marketers
            .iter()
            .map(|m| {
                let v = m.id.to_string();
                let sel = picked == v;
                let label = format!(
                    "{}（{}）{}",
                    m.stage_name,
                    m.account,
                    if m.is_virtual { lang.t(" · 虚拟人", " · virtual") } else { "" }
                );
                view! { <option value=v selected=sel>{label}</option> }
            })
            .collect_view();
        let has_marketers = !form.marketers.is_empty();
        let radio = |v: &'static str, zh: &'static str, en: &'static str| {
            let checked = respondent == v || (v == "OPERATOR" && respondent.is_empty());
            view! { <label class="choice"><input type="radio" name="respondent" value=v checked=checked/>{lang.t(zh, en)}</label> }
        };
        let who = view! {
            <fieldset id="respondent-box"><legend>{lang.t("投诉对象", "Whom you complain about")}</legend>
                {radio("OPERATOR", "直播间运营者（默认）", "The live room's operator (usual)")}
                {radio("MARKETER", "主播（由其所在直播间的运营者答复，办法第六十三条）", "The marketer (the room's operator answers, Order 117 Art. 63)")}
                {radio("PLATFORM", "平台本身（由平台答复，其住所地市场监管部门管辖）", "The platform itself (it answers; its domicile's bureau decides)")}
                {radio("MCN", "主播所属机构（MCN，经平台处理）", "The marketer's agency (MCN, through the platform)")}
                {field_error(&f, "respondent")}
                {has_marketers.then(|| view! {
                    <label>{lang.t("做出宣传的主播（本场平台报送）", "The marketer who made the claim (as the platform reported this session)")}
                        <select name="marketer_id" aria-describedby=super::described_by(&f, "marketer_id")><option value="">{lang.t("—— 未选择 ——", "— none —")}</option>{choices}</select></label>
                })}
                {field_error(&f, "marketer_id")}
                <label>{lang.t("或填写主播名称", "Or type the marketer's stage name")}
                    <input type="text" name="marketer_name" aria-describedby=super::described_by(&f, "marketer_name") maxlength="60" value=f.value("marketer_name")/></label>
                {field_error(&f, "marketer_name")}
                <label>{lang.t("实际销售者（与运营者不同时填写）", "Actual seller (if not the operator)")}
                    <input type="text" name="seller" aria-describedby=super::described_by(&f, "seller") maxlength="100" value=f.value("seller")/></label>
                {field_error(&f, "seller")}
            </fieldset>
        };
        // Step one of the guided flow: find the session (recommended), so the
        // moment is pinned and checked against it. The form below then shows
        // the room it found instead of asking again.
        let finder = form.session.is_none().then(|| {
            let options = form.platforms.iter().map(|(id, name)| view! { <option value=id.to_string()>{name.clone()}</option> }).collect_view();
            view! {
                <form method="get" action="/rooms/find" class="card finder" id="room-finder">
                    <h2>{lang.t("第一步（推荐）：找到那一场直播", "Step one (recommended): find the session")}</h2>
                    <p class="explain">{lang.t("选择场次后，可按开播后的时长指明时刻，并可从该场商品中选择；时刻超出该场直播时会提示您。",
                        "With the session picked you can give the time from its start and pick its product; a moment outside it is pointed out.")}</p>
                    <label>{lang.t("平台", "Platform")}<select name="platform">{options}</select></label>
                    <label>{lang.t("直播间号或链接", "Live room ID or link")}<input type="text" name="room" placeholder="XH-8801"/></label>
                    <button type="submit">{lang.t("查看场次", "Find sessions")}</button>
                </form>
            }
        });
        // With a session picked, the room is known: shown, not asked again.
        let room_box = match form.session_room.clone().filter(|_| form.session.is_some()) {
            Some((pid, _)) => view! {
                <input type="hidden" name="platform" value=pid.to_string()/>
                <input type="hidden" name="room" value=room.clone()/>
                <p class="explain">{lang.t("直播间：", "Live room: ")}{form.session.as_ref().map(|s| s.room.clone())}
                    " · "<a href="/me/new">{lang.t("更换场次", "Pick another session")}</a></p>
            }
            .into_any(),
            None => view! {
                <fieldset><legend>{lang.t("直播间", "Live room")}</legend>
                    <label>{lang.t("平台", "Platform")}
                        <select name="platform" required aria-describedby=super::described_by(&f, "platform")>{platforms}</select></label>
                    {field_error(&f, "platform")}
                    <label>{lang.t("直播间号或链接", "Live room ID or link")}
                        <input type="text" name="room" required aria-describedby=super::described_by(&f, "room") value=room.clone() placeholder="XH-8801"/></label>
                    {field_error(&f, "room")}
                </fieldset>
            }
            .into_any(),
        };
        let known = form.session.is_some();
        view! {
            {finder}
            <form method="post" action="/do/complaints" enctype="multipart/form-data" class="card" id="complaint-form">
                {crate::pages::csrf_field()}
                <input type="hidden" name="once" value=form.once.clone()/>
                {super::error_summary(lang, &f)}
                {session_box}
                {room_box}
                {who}
                // A time from the start means something only within a known
                // session: without one, the form asks for the clock time alone.
                <fieldset id="moment-box"><legend>{lang.t("直播时刻", "Moment in the stream")}</legend>
                    {if known {
                        view! {
                            <label class="choice"><input type="radio" name="moment_kind" value="offset" checked=kind != "clock"/>
                                {lang.t("开播后的时长（时:分:秒）", "Time from the start (hh:mm:ss)")}</label>
                            <input type="text" name="offset" value=f.value("offset") placeholder="00:42:10"
                                aria-label=lang.t("开播后的时长（时:分:秒）", "Time from the start (hh:mm:ss)") aria-describedby=super::described_by(&f, "moment")/>
                            <label class="choice"><input type="radio" name="moment_kind" value="clock" checked=kind == "clock"/>
                                {lang.t("北京时间", "Clock time (Beijing)")}</label>
                        }.into_any()
                    } else {
                        view! {
                            <p class="explain">{lang.t(
                                "未选择场次：请填写北京时间，平台据此找到那一场直播。想按开播后的时长填写，请先在上方找到那一场直播。",
                                "No session picked: give the clock time, so the platform finds the session. To give the time from its start, find the session above first.")}</p>
                            <input type="hidden" name="moment_kind" value="clock"/>
                        }.into_any()
                    }}
                    <label>{lang.t("北京时间", "Clock time (Beijing)")}
                        <input type="datetime-local" name="clock" value=f.value("clock") required=!known
                            aria-describedby=super::described_by(&f, "moment").or(super::described_by(&f, "moment_unmatched"))/></label>
                    {field_error(&f, "moment")}
                    {field_error(&f, "moment_unmatched")}
                    // Offered with the warning only: the consumer may know better than
                    // the platform's session reports. It confirms the time shown.
                    {(!known && f.error("moment_unmatched").is_some()).then(|| view! {
                        <label class="check"><input type="checkbox" name="moment_confirmed" value=f.value("clock")
                            aria-describedby="err-moment_unmatched"/>
                            {lang.t("时刻无误（不在平台报送的场次内也照此提交）", "The moment is right (file it even though no reported session covers it)")}</label>
                    })}
                </fieldset>
                <fieldset><legend>{lang.t("商品与订单", "Product and order")}</legend>
                    <label>{lang.t("商品名称", "Product")}
                        <input type="text" name="product" aria-describedby=super::described_by(&f, "product") required=form.session.is_none() maxlength="200" value=f.value("product")/></label>
                    {form.session.is_none().then(|| field_error(&f, "product"))}
                    <label>{lang.t("订单号", "Order number")}
                        <input type="text" name="order_no" aria-describedby=super::described_by(&f, "order_no") maxlength="64" value=f.value("order_no")/></label>
                    {field_error(&f, "order_no")}
                    <label>{lang.t("下单日期（选填；平台据此保存交易记录三年）", "Order date (optional; the platform keeps the records three years from it)")}
                        <input type="date" name="ordered_on" value=f.value("ordered_on") aria-describedby=super::described_by(&f, "ordered_on")/></label>
                    {field_error(&f, "ordered_on")}
                    <label>{lang.t("涉诉金额（元）", "Amount in dispute (CNY)")}
                        <input type="text" name="amount" aria-describedby=super::described_by(&f, "amount") inputmode="decimal" value=f.value("amount") placeholder="199.00"/></label>
                    {field_error(&f, "amount")}
                </fieldset>
                <fieldset class="checks"><legend>{lang.t("违法行为类别（可多选）", "Violation categories (one or more)")}</legend>
                    {checks(&f, "categories", Category::ALL.iter().map(|c| (c.as_str(), lang.t(c.label_zh(), c.label_en()), c.article())).collect())}
                    {field_error(&f, "categories")}
                </fieldset>
                <fieldset class="checks"><legend>{lang.t("投诉要求（可多选）", "Demands (one or more)")}</legend>
                    {checks(&f, "demands", Demand::ALL.iter().map(|c| (c.as_str(), lang.t(c.label_zh(), c.label_en()), c.article())).collect())}
                    {field_error(&f, "demands")}
                </fieldset>
                <label>{lang.t("事实经过（直播中说了或展示了什么，发生了什么）", "What happened (what was said or shown)")}
                    <textarea name="narrative" aria-describedby=super::described_by(&f, "narrative") rows="6" required maxlength="5000" inner_html=crate::view::rcdata(&f.value("narrative"))></textarea></label>
                {field_error(&f, "narrative")}
                <label>{lang.t("知道权益受损的日期", "Date you learned of the harm")}
                    <input type="date" name="harm_known_on" aria-describedby=super::described_by(&f, "harm_known_on") required value=f.value("harm_known_on")/></label>
                {field_error(&f, "harm_known_on")}
                <label>{lang.t("证据（可选，可多选）：截图、录屏、PDF、聊天记录；", "Evidence (optional, several allowed): screenshots, recordings, PDFs, chat exports; ")}
                    {format!("{} {} MB", lang.t("单个文件不超过", "each up to"), form.max_file_mib)}
                    <input type="file" name="evidence" aria-describedby=super::described_by(&f, "evidence") multiple accept="image/jpeg,image/png,image/webp,video/mp4,video/quicktime,video/webm,application/pdf,text/plain"/></label>
                {field_error(&f, "evidence")}
                <p class="explain">{lang.t("提交后，平台将被要求保全该时刻前后的直播回放（《直播电商监督管理办法》第十六条）。",
                    "Filing asks the platform to preserve the replay around this moment (Order 117 Art. 16).")}</p>
                <button type="submit">{lang.t("提交投诉", "Submit complaint")}</button>
            </form>
        }.into_any()
    })
}

fn checks(f: &FormFlash, name: &'static str, items: Vec<(&'static str, &'static str, &'static str)>) -> impl IntoView {
    items
        .into_iter()
        .map(|(code, label, art)| {
            let on = f.has(name, code);
            view! {
                <label class="check" title=art><input type="checkbox" name=name value=code checked=on aria-describedby=super::described_by(f, name)/>{label}</label>
            }
        })
        .collect_view()
}
