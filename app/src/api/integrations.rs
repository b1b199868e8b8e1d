//! The integrations page: an organisation's API keys and webhook endpoints,
//! for its administrators (platforms, and live-room operators for their rooms).
#[cfg(feature = "ssr")]
use super::ssr;
use crate::view::*;
use leptos::prelude::*;

#[server]
pub async fn load_integrations() -> Result<Loaded<IntegrationsPage>, ServerFnError> {
    use redline_store::api::{deliveries, keys, webhooks};
    let (store, ctx, actor, key) = ssr::caller().await?;
    let lang = ctx.lang;
    let orgs_managed: Vec<(String, i64)> = actor
        .as_ref()
        .map(|a| a.manages.iter().filter(|(k, _)| k == "platform" || k == "operator").cloned().collect())
        .unwrap_or_default();
    if orgs_managed.is_empty() {
        return Ok(Loaded {
            ctx,
            data: Err(lang
                .t("仅平台或直播间运营者的机构管理员可访问", "Administrators of a platform or live-room operator only")
                .into()),
        });
    }
    let err = |e: redline_store::StoreError| ServerFnError::new(e.to_string());
    let mut orgs = Vec::new();
    for (kind, id) in orgs_managed {
        let (org, owner, scopes) = if kind == "platform" {
            (keys::KeyOrg::Platform(id), webhooks::Owner::platform(id), keys::Scope::ALL.to_vec())
        } else {
            (keys::KeyOrg::Operator(id), webhooks::Owner::operator(id), keys::Scope::OPERATOR.to_vec())
        };
        let key_views = keys::list(&store, org)
            .await
            .map_err(err)?
            .into_iter()
            .map(|k| KeyView {
                id: k.id,
                name: k.name.clone(),
                prefix: k.prefix.clone(),
                scopes: keys::scopes_of(&k).iter().map(|s| s.as_str().to_owned()).collect(),
                created: ssr::local_time(k.created_at),
                last_used: k.last_used_at.map(ssr::local_time),
                revoked: k.revoked_at.is_some(),
                expires: k.expires_at.map(ssr::local_time),
            })
            .collect();
        let mut endpoints = Vec::new();
        for e in webhooks::list(&store, owner).await.map_err(err)? {
            let mut ds = Vec::new();
            for d in webhooks::recent(&store, e.id, 20).await.map_err(err)? {
                let last = deliveries::attempts(&store, d.id).await.map_err(err)?.pop().map(|a| {
                    let outcome = match (a.status_code, a.error) {
                        (Some(c), _) => format!("HTTP {c}"),
                        (None, Some(e)) => e,
                        (None, None) => String::new(),
                    };
                    (ssr::local_time(a.at), outcome, a.excerpt)
                });
                ds.push(DeliveryView {
                    id: d.id,
                    msg_id: d.msg_id,
                    event_type: d.event_type,
                    subject: d.subject,
                    status: d.status,
                    attempts: d.attempts,
                    created: ssr::local_time(d.created_at),
                    next_at: ssr::local_time(d.next_at),
                    last,
                });
            }
            endpoints.push(EndpointView {
                id: e.id,
                url: e.url,
                events: e.event_types.split(' ').map(str::to_owned).collect(),
                enabled: e.enabled,
                failing_since: e.failing_since.map(ssr::local_time),
                deliveries: ds,
            });
        }
        let name = redline_store::account::admin::org_name(&store, &kind, id).await.map_err(err)?.unwrap_or_default();
        orgs.push(OrgIntegrations {
            kind,
            id,
            name,
            keys: key_views,
            endpoints,
            scopes: scopes.iter().map(|s| s.as_str().to_owned()).collect(),
        });
    }
    let flash = ssr::take_flash(&store, &key, "integrations").await;
    let shown = |k: &str| Some(flash.value(k)).filter(|v| !v.is_empty());
    let (new_key, new_secret) = (shown("new_key"), shown("new_secret"));
    Ok(Loaded {
        ctx,
        data: Ok(IntegrationsPage {
            orgs,
            event_types: webhooks::EVENT_TYPES.iter().map(|e| (*e).to_owned()).collect(),
            flash,
            new_key,
            new_secret,
        }),
    })
}
