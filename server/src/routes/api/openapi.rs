//! The API's contract: the OpenAPI 3.1 document the routes' annotations make
//! (`/api/v1/openapi.json`), and a reference page drawn from it by Redline
//! itself (`/api/v1/docs`), plain HTML that needs nothing from elsewhere.
use crate::AppState;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::Value;
use std::fmt::Write;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{InfoBuilder, OpenApi, OpenApiBuilder};

const ABOUT: &str = "Redline's API for live-commerce platforms and live-room operators: their cases \
(Order 117 Art. 20) and tips (Art. 12), sessions and parties, and webhooks.\n\n\
Authenticate with `Authorization: Bearer <key>`; a key belongs to one organisation and carries scopes. \
A bad key is 401, a missing scope 403, another organisation's case 404. Every error is \
`{\"error\": {\"code\", \"message\": {\"zh\", \"en\"}, \"fields\"}}`. Every POST takes an `Idempotency-Key` \
(kept 24 hours): the same key and body replay the first answer, another body is 422, a duplicate still running 409. \
Webhooks are signed per Standard Webhooks: `webhook-signature: v1,<base64 HMAC-SHA256 of id.timestamp.body>`.";

pub(super) fn base() -> OpenApi {
    let mut doc = OpenApiBuilder::new()
        .info(InfoBuilder::new().title("Redline API").version("1").description(Some(ABOUT)).build())
        .build();
    let components = doc.components.get_or_insert_with(Default::default);
    components.add_security_scheme(
        "api_key",
        SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("rk_…").build()),
    );
    components.add_security_scheme(
        "session",
        SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(app::api::ssr::SESSION_COOKIE))),
    );
    doc
}

pub(super) fn routes(doc: OpenApi) -> Router<AppState> {
    let json = serde_json::to_value(&doc).unwrap_or_default();
    let page = render(&json);
    Router::new().route("/api/v1/openapi.json", get(move || std::future::ready(Json(json.clone())))).route(
        "/api/v1/docs",
        get(move || {
            let page = page.clone();
            async move { ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], page).into_response() }
        }),
    )
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn type_of(s: &Value) -> String {
    if let Some(r) = s["$ref"].as_str() {
        let name = r.rsplit('/').next().unwrap_or(r);
        return format!("<a href=\"#schema-{0}\">{0}</a>", esc(name));
    }
    if let Some(any) = s["oneOf"].as_array().or(s["anyOf"].as_array()).or(s["allOf"].as_array()) {
        return any.iter().map(type_of).collect::<Vec<_>>().join(" | ");
    }
    match &s["type"] {
        Value::String(t) if t == "array" => format!("{}[]", type_of(&s["items"])),
        Value::String(t) => {
            let fmt = s["format"].as_str().map(|f| format!(" ({f})")).unwrap_or_default();
            let choices = s["enum"]
                .as_array()
                .map(|e| format!(": {}", esc(&Value::Array(e.clone()).to_string())))
                .unwrap_or_default();
            format!("{}{fmt}{choices}", esc(t))
        }
        Value::Array(ts) => ts.iter().filter_map(|t| t.as_str()).collect::<Vec<_>>().join(" | "),
        _ => "any".into(),
    }
}

/// The reference page: each operation with its scopes, parameters, body and
/// answers, then each schema with its fields.
fn render(doc: &Value) -> String {
    let mut h = String::from(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Redline API reference</title></head><body>",
    );
    let _ = write!(
        h,
        "<h1>Redline API reference</h1><p>{}</p>",
        esc(doc["info"]["description"].as_str().unwrap_or_default())
    );
    h.push_str("<p>Machine-readable: <a href=\"/api/v1/openapi.json\">/api/v1/openapi.json</a> (OpenAPI 3.1).</p><h2>Operations</h2>");
    for (path, ops) in doc["paths"].as_object().into_iter().flatten() {
        for (method, op) in ops.as_object().into_iter().flatten() {
            let id = format!("{}-{}", method, path.replace(['/', '{', '}', '.'], "-"));
            let _ =
                write!(h, "<section id=\"{}\"><h3><code>{} {}</code></h3>", esc(&id), method.to_uppercase(), esc(path));
            for k in ["summary", "description"] {
                if let Some(t) = op[k].as_str() {
                    let _ = write!(h, "<p>{}</p>", esc(t));
                }
            }
            if op["deprecated"] == true {
                h.push_str("<p><strong>Deprecated.</strong></p>");
            }
            let scopes: Vec<String> = op["security"]
                .as_array()
                .into_iter()
                .flatten()
                .flat_map(|s| s.as_object().into_iter().flatten().map(|(k, v)| format!("{k}: {v}")))
                .collect();
            if !scopes.is_empty() {
                let _ = write!(h, "<p>Authentication: {}</p>", esc(&scopes.join("; or ")));
            }
            if let Some(ps) = op["parameters"].as_array() {
                h.push_str("<table><tr><th>parameter</th><th>in</th><th>type</th><th>required</th><th>about</th></tr>");
                for p in ps {
                    let _ = write!(
                        h,
                        "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                        esc(p["name"].as_str().unwrap_or_default()),
                        esc(p["in"].as_str().unwrap_or_default()),
                        type_of(&p["schema"]),
                        p["required"].as_bool().unwrap_or(false),
                        esc(p["description"].as_str().unwrap_or_default())
                    );
                }
                h.push_str("</table>");
            }
            for (ct, c) in op["requestBody"]["content"].as_object().into_iter().flatten() {
                let _ = write!(h, "<p>Body ({}): {}</p>", esc(ct), type_of(&c["schema"]));
            }
            h.push_str("<ul>");
            for (code, r) in op["responses"].as_object().into_iter().flatten() {
                let body: Vec<String> =
                    r["content"].as_object().into_iter().flatten().map(|(_, c)| type_of(&c["schema"])).collect();
                let _ = write!(
                    h,
                    "<li><strong>{}</strong> {} {}</li>",
                    esc(code),
                    esc(r["description"].as_str().unwrap_or_default()),
                    body.join(", ")
                );
            }
            h.push_str("</ul></section>");
        }
    }
    h.push_str("<h2>Schemas</h2>");
    for (name, s) in doc["components"]["schemas"].as_object().into_iter().flatten() {
        let _ = write!(h, "<section id=\"schema-{0}\"><h3>{0}</h3>", esc(name));
        if let Some(d) = s["description"].as_str() {
            let _ = write!(h, "<p>{}</p>", esc(d));
        }
        let required: Vec<&str> = s["required"].as_array().into_iter().flatten().filter_map(|v| v.as_str()).collect();
        let mut props: Vec<(&String, &Value)> = s["properties"].as_object().into_iter().flatten().collect();
        for part in s["allOf"].as_array().into_iter().flatten() {
            props.extend(part["properties"].as_object().into_iter().flatten());
        }
        if props.is_empty() {
            let _ = write!(h, "<p>{}</p>", type_of(s));
        } else {
            h.push_str("<table><tr><th>field</th><th>type</th><th>required</th><th>about</th></tr>");
            for (k, v) in props {
                let _ = write!(
                    h,
                    "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td></tr>",
                    esc(k),
                    type_of(v),
                    required.contains(&k.as_str()),
                    esc(v["description"].as_str().unwrap_or_default())
                );
            }
            h.push_str("</table>");
        }
        h.push_str("</section>");
    }
    h.push_str("</body></html>");
    h
}
