//! Web session secrets: the browser id cookie, the per-session CSRF token and
//! the key under which a browser's one-time form values are kept.
//!
//! Every browser gets a server-issued id (random, with a MAC so the server
//! recognises its own). A request is *bound* to the session cookie when one is
//! present and to the browser id otherwise; the CSRF token and the form-values
//! key are both derived from that binding, so neither can be chosen or planted
//! by another site or another person.
use crate::{Store, StoreError};
use hmac::{Hmac, Mac};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, Set};
use sha2::{Digest, Sha256};

type HmacSha256 = Hmac<Sha256>;

/// A per-installation secret, created once by whichever process gets there
/// first; every process then uses that value.
pub async fn installation_secret(store: &Store, name: &str) -> Result<String, StoreError> {
    use crate::entity::secret;
    if let Some(v) = store.secrets.lock().unwrap_or_else(|p| p.into_inner()).get(name) {
        return Ok(v.clone());
    }
    let read = || secret::Entity::find().filter(secret::Column::Name.eq(name)).one(&store.db);
    if let Some(s) = read().await? {
        store.secrets.lock().unwrap_or_else(|p| p.into_inner()).insert(name.to_owned(), s.value.clone());
        return Ok(s.value);
    }
    secret::Entity::insert(secret::ActiveModel {
        name: Set(name.to_owned()),
        value: Set(hex::encode(rand::random::<[u8; 32]>())),
        ..Default::default()
    })
    .on_conflict_do_nothing_on([secret::Column::Name])
    .exec(&store.db)
    .await?;
    Ok(read().await?.map(|s| s.value).unwrap_or_default())
}

/// The keys and cookie settings of the web front, loaded once at start.
#[derive(Clone)]
pub struct WebKeys {
    key: Vec<u8>,
    /// Cookies carry `Secure` (and the browser cookie the `__Host-` prefix).
    pub secure_cookies: bool,
}

impl std::fmt::Debug for WebKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebKeys").field("secure_cookies", &self.secure_cookies).finish_non_exhaustive()
    }
}

impl WebKeys {
    pub async fn load(store: &Store, secure_cookies: bool) -> Result<WebKeys, StoreError> {
        let key = installation_secret(store, "web").await?;
        Ok(WebKeys { key: key.into_bytes(), secure_cookies })
    }

    /// Keys for unit tests and tools that need no database.
    pub fn ephemeral() -> WebKeys {
        WebKeys { key: rand::random::<[u8; 32]>().to_vec(), secure_cookies: false }
    }

    fn mac(&self, purpose: &str, value: &str) -> String {
        let mut m = HmacSha256::new_from_slice(&self.key).expect("HMAC takes any key length");
        m.update(purpose.as_bytes());
        m.update(b"\0");
        m.update(value.as_bytes());
        hex::encode(m.finalize().into_bytes())
    }

    /// The browser cookie's name: `__Host-` over HTTPS, so a sibling
    /// subdomain cannot plant one.
    pub fn browser_cookie(&self) -> &'static str {
        if self.secure_cookies {
            "__Host-redline_b"
        } else {
            "redline_b"
        }
    }

    /// A fresh browser id: 128 random bits and their MAC.
    pub fn new_browser_id(&self) -> String {
        let id = hex::encode(rand::random::<[u8; 16]>());
        let tag = &self.mac("browser", &id)[..32];
        format!("{id}.{tag}")
    }

    /// Whether `v` is a browser id this installation issued.
    pub fn valid_browser_id(&self, v: &str) -> bool {
        match v.split_once('.') {
            Some((id, tag)) if id.len() == 32 && tag.len() == 32 => {
                constant_time_eq(&self.mac("browser", id).as_bytes()[..32], tag.as_bytes())
            }
            _ => false,
        }
    }

    /// What a request is bound to: its session cookie, else its (valid)
    /// browser id; `None` for a request with neither.
    pub fn binding(&self, session: Option<&str>, browser: Option<&str>) -> Option<String> {
        match (session.filter(|s| !s.is_empty()), browser.filter(|b| self.valid_browser_id(b))) {
            (Some(s), _) => Some(format!("s:{s}")),
            (None, Some(b)) => Some(format!("b:{b}")),
            (None, None) => None,
        }
    }

    /// The CSRF token of a binding, put in every form.
    pub fn csrf_token(&self, binding: &str) -> String {
        self.mac("csrf", binding)
    }

    /// A simple question for a form past its address's allowance (people on
    /// one mobile network share an address, so they are asked, not refused):
    /// (a, b, token). The token binds the answer a + b to the browser and to
    /// the hour it expires in; nothing is stored.
    pub fn challenge(&self, binding: &str, now: chrono::DateTime<chrono::Utc>) -> (u8, u8, String) {
        let (a, b) = (2 + rand::random::<u8>() % 8, 2 + rand::random::<u8>() % 8);
        let expires = now.timestamp() / 3600 + 1;
        let tag = self.mac("challenge", &format!("{binding}|{expires}|{}", a + b));
        (a, b, format!("{expires}.{tag}"))
    }

    /// Whether `answer` answers the challenge `token` for this browser, unexpired.
    pub fn challenge_ok(&self, binding: &str, token: &str, answer: &str, now: chrono::DateTime<chrono::Utc>) -> bool {
        let Some((expires, tag)) = token.split_once('.') else { return false };
        let (Ok(expires), Ok(answer)) = (expires.parse::<i64>(), answer.trim().parse::<u8>()) else { return false };
        expires >= now.timestamp() / 3600
            && constant_time_eq(
                self.mac("challenge", &format!("{binding}|{expires}|{answer}")).as_bytes(),
                tag.as_bytes(),
            )
    }

    pub fn csrf_ok(&self, binding: Option<&str>, token: &str) -> bool {
        binding.is_some_and(|b| !token.is_empty() && constant_time_eq(self.csrf_token(b).as_bytes(), token.as_bytes()))
    }
}

/// The key a binding's one-time form values are kept under (never the raw
/// session token, which the database must not hold).
pub fn flash_key(binding: &str) -> String {
    hex::encode(Sha256::digest(format!("flash:{binding}").as_bytes()))
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_browser_id_is_recognised_only_if_issued_here() {
        let k = WebKeys::ephemeral();
        let id = k.new_browser_id();
        assert!(k.valid_browser_id(&id));
        assert!(!WebKeys::ephemeral().valid_browser_id(&id));
        let forged = format!("{}.{}", "0".repeat(32), "0".repeat(32));
        assert!(!k.valid_browser_id(&forged));
        assert!(!k.valid_browser_id("planted"));
    }

    #[test]
    fn csrf_token_is_bound_to_the_session_before_the_browser() {
        let k = WebKeys::ephemeral();
        let b = k.new_browser_id();
        let anon = k.binding(None, Some(&b)).unwrap();
        let signed = k.binding(Some("tok"), Some(&b)).unwrap();
        assert_ne!(k.csrf_token(&anon), k.csrf_token(&signed));
        assert!(k.csrf_ok(Some(&signed), &k.csrf_token(&signed)));
        assert!(!k.csrf_ok(Some(&signed), &k.csrf_token(&anon)));
        assert!(!k.csrf_ok(None, ""));
        assert!(!k.csrf_ok(Some(&anon), ""));
        assert_eq!(k.binding(None, Some("forged.value")), None);
        assert_ne!(flash_key(&anon), flash_key(&signed));
    }
}
