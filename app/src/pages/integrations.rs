//! `/org/integrations`: an organisation's API keys (issue with a name and
//! scopes, rotate, revoke; last use) and webhook endpoints (add, test,
//! rotate the secret, switch on or off, remove; each delivery's attempts,
//! and replay).
use crate::api::load_integrations;
use crate::pages::{field_error, framed};
use crate::view::*;
use leptos::prelude::*;
use redline_rules::Lang;

fn scope_label(lang: Lang, s: &str) -> &'static str {
    match s {
        "cases:read" => lang.t("查看案件", "read cases"),
        "cases:write" => lang.t("处理案件", "act on cases"),
        "sessions:write" => lang.t("报送场次", "report sessions"),
        "parties:write" => lang.t("报送主体信息", "report parties"),
        "tips:read" => lang.t("查看举报", "read tips"),
        "tips:write" => lang.t("处置举报", "answer tips"),
        "webhooks:manage" => lang.t("管理 Webhook", "manage webhooks"),
        _ => "",
    }
}

fn post_button(action: String, label: &'static str, id: String) -> impl IntoView {
    view! {
        <form method="post" action=action class="inline">
            {crate::pages::csrf_field()}
            <button type="submit" id=id>{label}</button>
        </form>
    }
}

fn key_rows(lang: Lang, keys: &[KeyView]) -> impl IntoView {
    keys.iter()
        .map(|k| {
            let status = if k.revoked {
                lang.t("已吊销", "revoked").to_owned()
            } else if let Some(until) = &k.expires {
                format!("{}{until}", lang.t("轮换中，旧密钥有效至 ", "rotating; valid until "))
            } else {
                lang.t("有效", "active").to_owned()
            };
            let live = !k.revoked && k.expires.is_none();
            let scopes = k.scopes.iter().map(|s| scope_label(lang, s)).collect::<Vec<_>>().join("、");
            view! {
                <tr data-key=k.prefix.clone()>
                    // A name the organisation chose: shown as typed.
                    <td data-latin="">{k.name.clone()}</td>
                    <td><code data-latin="">{k.prefix.clone()}"…"</code></td>
                    <td>{scopes}</td>
                    <td>{k.created.clone()}</td>
                    <td>{k.last_used.clone().unwrap_or_else(|| lang.t("从未使用", "never").to_owned())}</td>
                    <td>{status}</td>
                    <td>{live.then(|| view! {
                        {post_button(format!("/do/keys/{}/rotate", k.id), lang.t("轮换", "Rotate"), format!("rotate-{}", k.id))}
                        {post_button(format!("/do/keys/{}/revoke", k.id), lang.t("吊销", "Revoke"), format!("revoke-{}", k.id))}
                    })}</td>
                </tr>
            }
        })
        .collect_view()
}

fn endpoint_card(lang: Lang, e: &EndpointView) -> impl IntoView {
    let base = format!("/do/webhooks/{}", e.id);
    let deliveries = e
        .deliveries
        .iter()
        .map(|d| {
            let last = d.last.clone().map(|(at, outcome, excerpt)| format!("{at} · {outcome} · {excerpt}"));
            view! {
                <tr data-delivery=d.msg_id.clone()>
                    <td><code data-latin="">{d.msg_id.clone()}</code></td><td><code data-latin="">{d.event_type.clone()}</code></td><td><code data-latin="">{d.subject.clone()}</code></td>
                    <td data-status=d.status.clone()>{match d.status.as_str() {
                        "DELIVERED" => lang.t("已送达", "delivered"),
                        "FAILED" => lang.t("已放弃", "given up"),
                        _ => lang.t("待发送", "pending"),
                    }}</td><td>{d.attempts}</td><td>{d.created.clone()}</td>
                    // The receiver's answer or the network's error, as it came.
                    <td><code data-latin="">{last.unwrap_or_default()}</code></td>
                    <td>{post_button(format!("{base}/deliveries/{}/replay", d.id), lang.t("重新发送", "Replay"), format!("replay-{}", d.id))}</td>
                </tr>
            }
        })
        .collect_view();
    let state = if e.enabled {
        match &e.failing_since {
            Some(t) => format!("{}{t}", lang.t("发送失败，始于 ", "failing since ")),
            None => lang.t("启用", "enabled").to_owned(),
        }
    } else {
        lang.t("已停用", "switched off").to_owned()
    };
    view! {
        <div class="card" data-endpoint=e.url.clone()>
            <h4><code data-latin="">{e.url.clone()}</code>" · "{state}</h4>
            <p class="explain">{lang.t("订阅的事件：", "Events: ")}<code data-latin="">{e.events.join(" ")}</code></p>
            <p>
                {post_button(format!("{base}/test"), lang.t("发送测试事件", "Send a test event"), format!("test-{}", e.id))}
                {post_button(format!("{base}/rotate"), lang.t("轮换签名密钥", "Rotate the secret"), format!("rotate-secret-{}", e.id))}
                {if e.enabled {
                    post_button(format!("{base}/disable"), lang.t("停用", "Switch off"), format!("disable-{}", e.id)).into_any()
                } else {
                    post_button(format!("{base}/enable"), lang.t("启用", "Switch on"), format!("enable-{}", e.id)).into_any()
                }}
                {post_button(format!("{base}/delete"), lang.t("删除", "Remove"), format!("delete-{}", e.id))}
            </p>
            <table class="queue">
                <thead><tr><th>{lang.t("消息编号", "Message")}</th><th>{lang.t("事件", "Event")}</th><th>{lang.t("对象", "Subject")}</th>
                    <th>{lang.t("状态", "Status")}</th><th>{lang.t("次数", "Attempts")}</th><th>{lang.t("产生于", "Created")}</th>
                    <th>{lang.t("最近一次", "Last attempt")}</th><th></th></tr></thead>
                <tbody>{deliveries}</tbody>
            </table>
        </div>
    }
}

#[component]
pub fn IntegrationsPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| load_integrations());
    framed(data, Some(("接口密钥与 Webhook", "API keys and webhooks")), |lang, page| {
        let f = page.flash.clone();
        let shown = |label: &'static str, v: Option<String>, id: &'static str| {
            v.map(|v| view! { <p class="notice" id=id>{label}<code data-latin="">{v}</code></p> })
        };
        let new_key = shown(
            lang.t("新密钥（只显示这一次，请妥善保存）：", "New key (shown only this once; keep it safe): "),
            page.new_key.clone(),
            "new-key",
        );
        let new_secret = shown(
            lang.t("签名密钥（只显示这一次）：", "Signing secret (shown only this once): "),
            page.new_secret.clone(),
            "new-secret",
        );
        let event_types = page.event_types.clone();
        let orgs = page.orgs.into_iter().map(|o| {
            let base = format!("/do/orgs/{}/{}", o.kind, o.id);
            let scope_boxes = o.scopes.iter().map(|s| {
                let checked = f.has("scopes", s) || (!f.values.contains_key("scopes") && s.ends_with(":read"));
                view! { <label class="check"><input type="checkbox" name="scopes" value=s.clone() checked=checked/>{scope_label(lang, s)}" "<code data-latin="">{s.clone()}</code></label> }
            }).collect_view();
            let event_boxes = event_types.iter().filter(|e| *e != "webhook.test").map(|e| {
                let checked = f.has("events", e);
                view! { <label class="check"><input type="checkbox" name="events" value=e.clone() checked=checked/><code data-latin="">{e.clone()}</code></label> }
            }).collect_view();
            let endpoints = o.endpoints.iter().map(|e| endpoint_card(lang, e)).collect_view();
            view! {
                <section class="card">
                    <h2>{o.name.clone()}</h2>
                    <h3>{lang.t("API 密钥", "API keys")}</h3>
                    <table class="queue">
                        <thead><tr><th>{lang.t("名称", "Name")}</th><th>{lang.t("开头", "Starts with")}</th><th>{lang.t("权限", "Scopes")}</th>
                            <th>{lang.t("签发于", "Issued")}</th><th>{lang.t("最近使用", "Last used")}</th><th>{lang.t("状态", "Status")}</th><th></th></tr></thead>
                        <tbody>{key_rows(lang, &o.keys)}</tbody>
                    </table>
                    <form method="post" action=format!("{base}/keys") class="action" id=format!("key-form-{}-{}", o.kind, o.id)>
                        {crate::pages::csrf_field()}
                        <h4>{lang.t("签发新密钥", "Issue a key")}</h4>
                        <label>{lang.t("名称（如：客服系统）", "Name (e.g. customer service system)")}<input type="text" name="name" aria-describedby=super::described_by(&f, "name") maxlength="60" value=f.value("name")/></label>
                        {field_error(&f, "name")}
                        <fieldset><legend>{lang.t("权限", "Scopes")}</legend>{scope_boxes}</fieldset>
                        {field_error(&f, "scopes")}
                        <button type="submit">{lang.t("签发", "Issue")}</button>
                    </form>
                    <h3>"Webhook"</h3>
                    {endpoints}
                    <form method="post" action=format!("{base}/webhooks") class="action" id=format!("webhook-form-{}-{}", o.kind, o.id)>
                        {crate::pages::csrf_field()}
                        <h4>{lang.t("添加接收地址", "Add an endpoint")}</h4>
                        <label>{lang.t("接收地址", "URL")}<input type="url" name="url" aria-describedby=super::described_by(&f, "url") maxlength="500" placeholder="https://cs.example.com/redline/hooks" value=f.value("url")/></label>
                        {field_error(&f, "url")}
                        <fieldset><legend>{lang.t("事件", "Events")}</legend>{event_boxes}</fieldset>
                        {field_error(&f, "events")}
                        <button type="submit">{lang.t("添加", "Add")}</button>
                    </form>
                </section>
            }
        }).collect_view();
        view! {
            {new_key}
            {new_secret}
            {field_error(&f, "form")}
            // The header and format names are the specification's own: shown as code.
            <p class="explain">{lang.t("签名遵循规范 ", "Signed per ")}<code data-latin="">"Standard Webhooks"</code>
                {lang.t("：请求头 ", ": the header ")}<code data-latin="">"webhook-signature"</code>{lang.t(" 的值为 ", " is ")}
                <code data-latin="">"v1,base64(HMAC-SHA256(id.timestamp.body))"</code>
                {lang.t("；失败后按指数退避重试三天以上。接口说明见 ", "; failures are retried with exponential backoff for over three days. Reference: ")}
                <a href="/api/v1/docs"><code data-latin="">"/api/v1/docs"</code></a></p>
            {orgs}
        }
        .into_any()
    })
}
