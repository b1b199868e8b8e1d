//! The transparency log in public (`redline_store::transparency`): every
//! checkpoint with its signed text, the public keys, and consistency proofs
//! between checkpoints, for anyone; a case's receipt (the inclusion proof of
//! its logged head) for the case's parties. JSON, so that copies can be kept
//! and checked outside Redline (`rules::transparency` says how).
use crate::parse::Fields;
use crate::upload::Posted;
use crate::web::extract::{SignedIn, SignedInOr401};
use crate::web::extract::{Visitor, Web};
use crate::web::form_error::keep_and_return;
use crate::web::form_error::{FormError, FormPage};
use crate::web::respond::file_error;
use crate::web::security::forged_form;
use crate::AppState;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::HeaderMap;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use redline_rules::chain::hex;
use redline_rules::field::FieldError;
use redline_store::entity::log_checkpoint;
use redline_store::transparency as log;
use redline_store::StoreError;
use serde::Deserialize;
use serde_json::{json, Value};
use validator::ValidateEmail;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/transparency/checkpoints", get(list))
        .route("/transparency/checkpoints/{size}", get(one))
        .route("/transparency/keys", get(keys))
        .route("/transparency/consistency", get(consistency))
        .route("/cases/{case_no}/receipt.json", get(receipt))
        .route("/do/transparency/verify", post(verify_package).layer(DefaultBodyLimit::max(MAX_PACKAGE + (64 << 10))))
        .route("/do/orgs/{kind}/{org_id}/log-subscribers", post(subscribe))
        .route("/do/orgs/{kind}/{org_id}/log-subscribers/{id}/remove", post(unsubscribe))
}

/// The largest package the verification page reads (a case's package is
/// tens of kilobytes; it is read into memory).
const MAX_PACKAGE: usize = 8 << 20;
/// Packages one address may have checked an hour: the check is anonymous.
const VERIFY_PER_HOUR: i32 = 60;

/// `POST /do/transparency/verify`: anyone checks a case package with the
/// same pure check as `redline verify`, against a key they typed or, if they
/// typed none, the published key the checkpoint names. Nothing is stored: the
/// findings come back once with the page.
async fn verify_package(
    State(st): State<AppState>,
    web: Web,
    v: Visitor,
    headers: HeaderMap,
    mp: Multipart,
) -> Result<Response, FormError> {
    use redline_rules::transparency::verify::{check, read_key, read_package};
    let key = format!("verify:{}", web.client);
    let (posted, allowed) = crate::upload::read_counted(&st, &web, &key, VERIFY_PER_HOUR, mp).await;
    let Posted { fields: f, files, too_large, broken, forged } = posted;
    if forged {
        return Ok(forged_form(&headers));
    }
    let page = FormPage::new("verify", "/transparency/verify", v.lang).with_summary();
    allowed.map_err(|e| page.refuse(&f, e))?;
    let fail = |field: &'static str, (zh, en): (&str, &str)| FieldError::new(field, zh.to_owned(), en.to_owned());
    let mib = MAX_PACKAGE >> 20;
    let too_big = FieldError::new(
        "package",
        format!("案卷文件过大（不超过 {mib} MiB）或上传中断，请重试"),
        format!("The package is too large (up to {mib} MiB) or the upload broke off; try again"),
    );
    let typed = f.get("key").trim();
    let mut e = redline_rules::field::FieldErrors::default();
    // A typed key is read whatever the file; both problems are said at once.
    let typed_key = if typed.is_empty() { None } else { e.keep(read_key(typed).map_err(|x| fail("key", x))) };
    let upload = files.into_iter().find(|u| u.staged.size > 0);
    let bytes = match upload {
        _ if broken || !too_large.is_empty() => {
            e.push(too_big);
            None
        }
        None => {
            e.push(fail("package", ("请选择要核验的案卷数据文件", "Choose the package to check (dossier.json)")));
            None
        }
        Some(u) if u.staged.size as usize > MAX_PACKAGE => {
            e.push(too_big);
            None
        }
        Some(u) => match tokio::fs::read(&u.staged.path).await {
            Ok(b) => Some(b),
            Err(x) => {
                tracing::error!(error = %x, "reading a staged package");
                e.push(fail("package", ("暂时无法读取文件，请重试", "The file could not be read; try again")));
                None
            }
        },
    };
    let package = bytes.as_deref().and_then(|b| e.keep(read_package(b).map_err(|x| fail("package", x))));
    // Without a package, `e` says why.
    let p = match package {
        Some(p) if e.is_empty() => p,
        _ => return Err(page.refuse(&f, e)),
    };
    let (public, published) = match typed_key {
        Some(k) => (k, false),
        None => {
            // No key of their own: the one Redline publishes under the checkpoint's key id.
            let ks = log::keys(&st.store).await.map_err(|e| page.refuse(&f, e))?;
            match ks.iter().find(|k| Some(&k.key_id) == p.key_id.as_ref()).and_then(|k| read_key(&k.public_key).ok()) {
                Some(k) => (k, true),
                None => {
                    return Err(page.refuse(
                        &f,
                        fail(
                            "key",
                            (
                                "本站没有公布该案卷检查点所用的公钥，请填写公钥",
                                "Redline publishes no key for this package's checkpoint: type the key",
                            ),
                        ),
                    ))
                }
            }
        }
    };
    let findings = check(&p, &public);
    let holds = findings.iter().all(|x| x.ok);
    let mut shown = vec![
        ("case_no".to_owned(), p.case_no.clone()),
        ("holds".to_owned(), holds.to_string()),
        ("key".to_owned(), typed.to_owned()),
        ("published_key".to_owned(), published.to_string()),
    ];
    shown.extend(findings.iter().map(|x| ("finding".to_owned(), format!("{}\t{}\t{}", u8::from(x.ok), x.zh, x.en))));
    Ok(keep_and_return("verify", "/transparency/verify#findings", &Fields::from_pairs(shown), Default::default()))
}

/// `POST /do/orgs/{kind}/{id}/log-subscribers`: an organisation's
/// administrator adds an address that receives every checkpoint.
async fn subscribe(
    State(st): State<AppState>,
    SignedIn { actor, lang }: SignedIn,
    Path((kind, org_id)): Path<(String, i64)>,
    f: Fields,
) -> Result<Response, FormError> {
    let page = FormPage::new("org", "/org#log-subscribers", lang);
    if !f.get("subscriber").validate_email() {
        return Err(
            page.refuse(&f, FieldError::new("subscriber", "邮箱格式不正确", "That is not a valid email address"))
        );
    }
    log::subscribers::add(&st.store, &actor, &kind, org_id, f.get("subscriber"))
        .await
        .map_err(|e| page.refuse(&f, e))?;
    Ok(page.done(
        "已添加：每个新的检查点都会发送到该邮箱。",
        "Added: every new checkpoint will be mailed to that address.",
    ))
}

/// `POST /do/orgs/{kind}/{id}/log-subscribers/{sid}/remove`.
async fn unsubscribe(
    State(st): State<AppState>,
    SignedIn { actor, lang }: SignedIn,
    Path((kind, org_id, id)): Path<(String, i64, i64)>,
    f: Fields,
) -> Result<Response, FormError> {
    let page = FormPage::new("org", "/org#log-subscribers", lang);
    log::subscribers::remove(&st.store, &actor, &kind, org_id, id).await.map_err(|e| page.refuse(&f, e))?;
    Ok(page.done("已移除该邮箱。", "Removed."))
}

/// A checkpoint as published: its signed text is what a verifier checks.
pub fn checkpoint_json(c: &log_checkpoint::Model) -> Value {
    json!({
        "tree_size": c.tree_size,
        "root": c.root,
        "body": c.body,
        "key_id": c.key_id,
        "signature": c.signature,
        "signature_alg": "Ed25519",
        // RFC 3161, over the SHA-256 of `body`: check its signature with the
        // authority's certificate (`openssl ts -verify -data body -in token -token_in`).
        "timestamp": c.tsa_token.as_ref().map(|t| json!({ "token": t, "time": c.tsa_time, "format": "RFC 3161 TimeStampToken, DER, hex" })),
    })
}

/// A receipt as a package carries it: the checkpoint, and each logged head
/// of the record with its audit path (`rules::transparency::verify` reads it).
pub fn receipt_json(r: &log::proofs::Receipt) -> Value {
    json!({
        "checkpoint": checkpoint_json(&r.checkpoint),
        "heads": r.heads.iter().map(|h| json!({
            "leaf": { "kind": h.leaf.kind, "number": h.leaf.number, "seq": h.leaf.seq, "head": h.leaf.head },
            "leaf_index": h.leaf_index,
            "inclusion_proof": h.path.iter().map(|x| hex(x)).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}

/// Checkpoints never change once signed: a day's shared caching is safe.
fn public(v: Value, immutable: bool) -> Response {
    let mut r = Json(v).into_response();
    let cache = if immutable { "public, max-age=86400, immutable" } else { "public, max-age=60" };
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    r
}

fn unavailable(e: StoreError) -> Response {
    tracing::error!(error = %e, "transparency log");
    (StatusCode::SERVICE_UNAVAILABLE, Json(json!({ "error": "unavailable" }))).into_response()
}

fn not_found(what: &str) -> Response {
    (StatusCode::NOT_FOUND, Json(json!({ "error": what }))).into_response()
}

#[derive(Deserialize)]
struct After {
    after: Option<i64>,
}

/// `GET /transparency/checkpoints?after=N`: up to 100 checkpoints after tree size N.
async fn list(State(st): State<AppState>, Query(q): Query<After>) -> Response {
    match log::checkpoints(&st.store, q.after.unwrap_or(0), 100).await {
        Ok(cs) => public(json!({ "checkpoints": cs.iter().map(checkpoint_json).collect::<Vec<_>>() }), false),
        Err(e) => unavailable(e),
    }
}

/// `GET /transparency/checkpoints/{size}`: the checkpoint of that tree size.
async fn one(State(st): State<AppState>, Path(size): Path<i64>) -> Response {
    match log::checkpoint_of_size(&st.store, size).await {
        Ok(Some(c)) => public(checkpoint_json(&c), true),
        Ok(None) => not_found("no checkpoint of that size"),
        Err(e) => unavailable(e),
    }
}

/// `GET /transparency/keys`: every public key that ever signed, by key id.
async fn keys(State(st): State<AppState>) -> Response {
    match log::keys(&st.store).await {
        Ok(ks) => public(
            json!({ "keys": ks.iter().map(|k| json!({ "key_id": k.key_id, "public_key": k.public_key, "alg": "Ed25519", "since": k.created_at })).collect::<Vec<_>>() }),
            false,
        ),
        Err(e) => unavailable(e),
    }
}

#[derive(Deserialize)]
struct Between {
    from: i64,
    to: i64,
}

/// `GET /transparency/consistency?from=M&to=N`: RFC 9162's proof that the
/// log of N leaves extends the log of M leaves.
async fn consistency(State(st): State<AppState>, Query(q): Query<Between>) -> Response {
    match log::proofs::consistency(&st.store, q.from, q.to).await {
        Ok(Some(p)) => {
            public(json!({ "from": q.from, "to": q.to, "proof": p.iter().map(|h| hex(h)).collect::<Vec<_>>() }), true)
        }
        Ok(None) => not_found("both sizes must be checkpoints, the first not after the second"),
        Err(e) => unavailable(e),
    }
}

/// `GET /cases/{case_no}/receipt.json`: for the case's parties, the newest
/// logged head of the case and its audit path to the newest checkpoint.
async fn receipt(State(st): State<AppState>, who: SignedInOr401, Path(case_no): Path<String>) -> Response {
    let SignedInOr401(SignedIn { actor, lang }) = who;
    let may = async {
        let c = redline_store::case::access::case_by_no(&st.store.read, &case_no).await?;
        if redline_store::case::access::viewer_roles(&st.store, &actor, &c).await?.is_empty() {
            return Err(StoreError::NotFound);
        }
        log::proofs::receipt(&st.store, "case", &c.case_no).await
    };
    match may.await {
        Ok(Some(r)) => {
            let mut resp = Json(receipt_json(&r)).into_response();
            resp.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
            resp
        }
        Ok(None) => not_found("not yet in a checkpoint"),
        Err(e) => file_error(e, lang),
    }
}
