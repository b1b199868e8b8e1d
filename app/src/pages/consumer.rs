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
    let data = Resource::new(|| (), |_| load_filing_form());
    framed(data, Some(("我要投诉", "File a complaint")), |lang, form| {
        let f = form.flash.clone();
        let sel = f.value("platform");
        let platforms = form
            .platforms
            .into_iter()
            .map(|(id, name)| {
                let selected = sel == id.to_string();
                view! { <option value=id.to_string() selected=selected>{name}</option> }
            })
            .collect_view();
        let kind = f.value("moment_kind");
        view! {
            <form method="post" action="/do/complaints" class="card" id="complaint-form">
                {field_error(&f, "form")}
                <fieldset><legend>{lang.t("直播间", "Live room")}</legend>
                    <label>{lang.t("平台", "Platform")}
                        <select name="platform" required>{platforms}</select></label>
                    {field_error(&f, "platform")}
                    <label>{lang.t("直播间ID或链接", "Live room ID or URL")}
                        <input type="text" name="room" required value=f.value("room") placeholder="XH-8801"/></label>
                    {field_error(&f, "room")}
                </fieldset>
                <fieldset><legend>{lang.t("直播时刻", "Moment in the stream")}</legend>
                    <label class="choice"><input type="radio" name="moment_kind" value="offset" checked=kind != "clock"/>
                        {lang.t("直播开始后的时长 hh:mm:ss", "Offset from stream start hh:mm:ss")}</label>
                    <input type="text" name="offset" value=f.value("offset") placeholder="00:42:10"/>
                    <label class="choice"><input type="radio" name="moment_kind" value="clock" checked=kind == "clock"/>
                        {lang.t("北京时间", "Clock time (Beijing)")}</label>
                    <input type="datetime-local" name="clock" value=f.value("clock")/>
                    {field_error(&f, "moment")}
                </fieldset>
                <fieldset><legend>{lang.t("商品与订单", "Product and order")}</legend>
                    <label>{lang.t("商品名称", "Product")}
                        <input type="text" name="product" required maxlength="200" value=f.value("product")/></label>
                    {field_error(&f, "product")}
                    <label>{lang.t("订单号", "Order number")}
                        <input type="text" name="order_no" maxlength="64" value=f.value("order_no")/></label>
                    {field_error(&f, "order_no")}
                    <label>{lang.t("涉诉金额（元）", "Amount in dispute (CNY)")}
                        <input type="text" name="amount" inputmode="decimal" value=f.value("amount") placeholder="199.00"/></label>
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
                    <textarea name="narrative" rows="6" required maxlength="5000">{f.value("narrative")}</textarea></label>
                {field_error(&f, "narrative")}
                <label>{lang.t("知道权益受损的日期", "Date you learned of the harm")}
                    <input type="date" name="harm_known_on" required value=f.value("harm_known_on")/></label>
                {field_error(&f, "harm_known_on")}
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
                <label class="check" title=art><input type="checkbox" name=name value=code checked=on/>{label}</label>
            }
        })
        .collect_view()
}
