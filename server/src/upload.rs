//! Reading `multipart/form-data` posts: text fields into [`Fields`], files
//! streamed into the vault's staging area, hashed on the way, never held in
//! memory. The CSRF token must be the first field: a post without it is cut
//! off before any file is read. A file over the per-file limit is drained (so
//! the browser gets our answer rather than a reset connection) and reported by
//! name; so is every file when the caller refused the post before its files.
use crate::parse::Fields;
use crate::web::extract::Web;
use axum::extract::Multipart;
use redline_rules::field::FieldErrors;
use redline_store::vault::intake::Vault;
use redline_store::vault::staging::{StagingWriter, Upload};
use redline_store::web::keys::WebKeys;

pub struct Posted {
    pub fields: Fields,
    pub files: Vec<Upload>,
    /// Files over the per-file limit, by the name the browser sent.
    pub too_large: Vec<String>,
    /// The body could not be read to its end (too large or cut off).
    pub broken: bool,
    /// The first field was not this session's CSRF token: nothing was read.
    pub forged: bool,
}

const MAX_TEXT: usize = 64 << 10;
/// Text fields a form may send; no form of ours has more.
const MAX_TEXT_FIELDS: usize = 64;

/// Whether the files of a post are wanted at all.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Files {
    Keep,
    /// Read past them: the post is refused anyway (e.g. throttled), but its
    /// typed text is kept for the form.
    Drain,
}

pub async fn read(mp: Multipart, vault: &Vault, keys: &WebKeys, web: &Web, files_mode: Files) -> Posted {
    read_inner(mp, vault, Some((keys, web)), files_mode).await
}

/// A multipart post authenticated otherwise (an API key): no CSRF token.
pub async fn read_for_api(mp: Multipart, vault: &Vault) -> Posted {
    read_inner(mp, vault, None, Files::Keep).await
}

async fn read_inner(mut mp: Multipart, vault: &Vault, csrf: Option<(&WebKeys, &Web)>, files_mode: Files) -> Posted {
    let max_file = vault.limits.max_file;
    let mut posted =
        Posted { fields: Fields::default(), files: vec![], too_large: vec![], broken: false, forged: false };
    let mut pairs = Vec::new();
    let mut checked = csrf.is_none();
    loop {
        let mut field = match mp.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(_) => {
                posted.broken = true;
                break;
            }
        };
        let name = field.name().unwrap_or_default().to_owned();
        if !checked {
            // The token comes first; anything else means a forged or foreign post.
            let token = if name == "csrf" && field.file_name().is_none() { field.text().await.ok() } else { None };
            let (keys, web) = csrf.expect("checked is false only with a token to check");
            if !token.is_some_and(|t| keys.csrf_ok(web.binding.as_deref(), &t)) {
                posted.forged = true;
                return posted;
            }
            checked = true;
            continue;
        }
        match field.file_name().map(str::to_owned) {
            Some(file_name) => {
                // Dropped (and its file removed) if the file is not kept.
                let mut writer = match files_mode {
                    Files::Keep => match StagingWriter::create(&vault.staging).await {
                        Ok(w) => Some(w),
                        Err(e) => {
                            tracing::error!(error = %e, "cannot stage an upload");
                            posted.broken = true;
                            break;
                        }
                    },
                    Files::Drain => None,
                };
                let mut size = 0u64;
                loop {
                    match field.chunk().await {
                        Ok(Some(c)) => {
                            size += c.len() as u64;
                            if writer.is_some() && size > max_file {
                                writer = None;
                                posted.too_large.push(file_name.clone());
                            }
                            if let Some(w) = writer.as_mut() {
                                if let Err(e) = w.write(&c).await {
                                    tracing::error!(error = %e, "cannot stage an upload");
                                    posted.broken = true;
                                    break;
                                }
                            }
                        }
                        Ok(None) => break,
                        Err(_) => {
                            posted.broken = true;
                            break;
                        }
                    }
                }
                // An empty file input sends a nameless empty part: not a file.
                let nameless_empty = file_name.is_empty() && size == 0;
                if let Some(w) = writer.filter(|_| !posted.broken && !nameless_empty) {
                    match w.finish().await {
                        Ok(staged) => posted.files.push(Upload { file_name, staged }),
                        Err(e) => {
                            tracing::error!(error = %e, "cannot stage an upload");
                            posted.broken = true;
                        }
                    }
                }
            }
            // Past what any form sends: read on (so the browser gets our
            // answer, not a reset connection) but keep nothing.
            None if pairs.len() >= MAX_TEXT_FIELDS => while let Ok(Some(_)) = field.chunk().await {},
            None => match field.text().await {
                Ok(t) => pairs.push((name, t.chars().take(MAX_TEXT).collect())),
                Err(_) => posted.broken = true,
            },
        }
        if posted.broken {
            break;
        }
    }
    posted.fields = Fields::from_pairs(pairs);
    posted
}

/// Reads a multipart post that counts against an hourly limit on `key`. The
/// limit is counted before the body is read: over it, the post's files are
/// drained unread (its typed text is still kept for the form), and the second
/// value says why it is refused.
pub async fn read_counted(
    st: &crate::AppState,
    web: &Web,
    key: &str,
    limit: i32,
    mp: Multipart,
) -> (Posted, Result<(), FieldErrors>) {
    let allowed = allowed(redline_store::web::ratelimit::hit(&st.store, key, limit, chrono::Duration::hours(1)).await);
    (read_allowed(st, web, &allowed, mp).await, allowed)
}

/// Whether a limit lets a post through, as the form says it.
pub fn allowed(room: Result<Result<(), chrono::Duration>, redline_store::StoreError>) -> Result<(), FieldErrors> {
    match room {
        Ok(Ok(())) => Ok(()),
        Ok(Err(wait)) => Err(crate::web::respond::throttled(wait).into()),
        Err(e) => Err(e.into()),
    }
}

/// A post read whole when its limit allows it; otherwise its files are
/// drained unread and only its typed text kept.
pub async fn read_allowed(st: &crate::AppState, web: &Web, allowed: &Result<(), FieldErrors>, mp: Multipart) -> Posted {
    let files = if allowed.is_ok() { Files::Keep } else { Files::Drain };
    read(mp, &st.vault, &st.keys, web, files).await
}
