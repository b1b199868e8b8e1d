//! The mail sender: drains the notification outbox over SMTP (lettre). Each
//! row is claimed with a lease, so two processes never send it at once; a
//! process that dies mid-send leaves the lease to expire and the row is sent
//! again with the same Message-ID, which receivers use to drop the duplicate.
//! Temporary failures back off exponentially (capped at an hour) and are
//! retried for ever; only an undeliverable message is marked failed.
use lettre::message::header::ContentType;
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use redline_store::entity::notification;
use redline_store::notices::{self, SendError};
use redline_store::Store;
use sha2::{Digest, Sha256};

#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    public_url: String,
}

#[derive(Debug, Default, Clone, PartialEq)]
pub struct MailReport {
    pub sent: usize,
    pub failed: usize,
}

impl Mailer {
    /// `url`: `smtp://host:port` (plain), `smtp://host:port?tls=required`
    /// (STARTTLS) or `smtps://host:port`.
    pub fn new(url: &str, from: &str, public_url: &str) -> Result<Mailer, String> {
        Self::with_roots(url, from, public_url, None)
    }

    /// As [`Mailer::new`], also trusting the CA certificates in `ca_pem` for
    /// TLS (a relay with a certificate from the organisation's own CA).
    pub fn with_roots(url: &str, from: &str, public_url: &str, ca_pem: Option<&[u8]>) -> Result<Mailer, String> {
        let mut builder =
            AsyncSmtpTransport::<Tokio1Executor>::from_url(url).map_err(|e| format!("REDLINE_SMTP_URL: {e}"))?;
        if let Some(pem) = ca_pem {
            builder = builder.tls(tls_with_roots(url, pem)?);
        }
        let transport = builder.timeout(Some(std::time::Duration::from_secs(10))).build();
        let from = from.parse().map_err(|e| format!("REDLINE_MAIL_FROM: {e}"))?;
        Ok(Mailer { transport, from, public_url: public_url.trim_end_matches('/').to_owned() })
    }

    /// The idempotency key: the same row always gets the same Message-ID.
    /// Connects to the mail server and says hello (`config check`).
    pub async fn reachable(&self) -> Result<(), String> {
        match self.transport.test_connection().await {
            Ok(true) => Ok(()),
            Ok(false) => Err("the server did not answer".into()),
            Err(e) => Err(e.to_string()),
        }
    }

    pub fn message_id(n: &notification::Model) -> String {
        let h = hex::encode(Sha256::digest(n.dedup_key.as_bytes()));
        format!("<n{}.{}@redline.invalid>", n.id, &h[..16])
    }

    fn build(&self, n: &notification::Model) -> Result<Message, String> {
        let to: Mailbox = n.email.as_deref().unwrap_or_default().parse().map_err(|_| "bad address".to_owned())?;
        let link = format!("{}{}", self.public_url, n.link);
        let text = n.body.replace(&n.link, &link);
        let html = format!(
            "<!doctype html><html lang=\"{}\"><body style=\"font-family:sans-serif\"><p>{}</p><p><a href=\"{}\">{}</a></p></body></html>",
            if n.locale == "en" { "en" } else { "zh-CN" },
            escape(&text).replace('\n', "<br>"),
            escape(&link),
            if n.locale == "en" { "Open in Redline" } else { "在 Redline 中查看" },
        );
        Message::builder()
            .message_id(Some(Self::message_id(n)))
            .from(self.from.clone())
            .to(to)
            .subject(n.subject.clone())
            .multipart(
                MultiPart::alternative()
                    .singlepart(SinglePart::builder().header(ContentType::TEXT_PLAIN).body(text))
                    .singlepart(SinglePart::builder().header(ContentType::TEXT_HTML).body(html)),
            )
            .map_err(|e| e.to_string())
    }

    /// Sends one plain-text mail now, outside the outbox: for what must not
    /// be stored in the clear (a tip's receipt code). The sender waits for
    /// the relay's answer and is told if it failed.
    pub async fn send_now(&self, to: &str, subject: &str, text: String) -> Result<(), String> {
        let to: Mailbox = to.parse().map_err(|_| "bad address".to_owned())?;
        let m = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .singlepart(SinglePart::builder().header(ContentType::TEXT_PLAIN).body(text))
            .map_err(|e| e.to_string())?;
        self.transport.send(m).await.map(|_| ()).map_err(|e| e.to_string())
    }

    /// Sends what is due now; returns how many went and how many failed.
    pub async fn send_due(&self, store: &Store, batch: u64) -> MailReport {
        let mut r = MailReport::default();
        let ids = match notices::due_for_sending(store, batch).await {
            Ok(ids) => ids,
            Err(e) => {
                tracing::error!(error = %e, "outbox unreadable");
                return r;
            }
        };
        for id in ids {
            let n = match notices::claim(store, id, chrono::Duration::minutes(2)).await {
                Ok(Some(n)) => n,
                // Another sender holds it.
                Ok(None) => continue,
                Err(e) => {
                    // Left for the next round; said, so a stuck row has a cause.
                    tracing::error!(notification = id, error = %e, "could not claim a notification");
                    r.failed += 1;
                    continue;
                }
            };
            let outcome = match self.build(&n) {
                Ok(m) => self.transport.send(m).await.map(|_| ()).map_err(|e| {
                    if e.is_permanent() {
                        SendError::Permanent(e.to_string())
                    } else {
                        SendError::Temporary(e.to_string())
                    }
                }),
                Err(e) => Err(SendError::Permanent(e)),
            };
            match &outcome {
                Ok(()) => r.sent += 1,
                Err(e) => {
                    // The error may echo an address: log the row, not the text.
                    tracing::warn!(notification = n.id, attempts = n.attempts, "mail not sent; will retry");
                    let _ = e;
                    r.failed += 1;
                }
            }
            if let Err(e) = notices::finish(store, &n, outcome).await {
                tracing::error!(notification = n.id, error = %e, "could not record the send");
            }
        }
        r
    }
}

/// The TLS mode the URL asks for (as lettre reads it), with `pem`'s
/// certificates trusted besides the usual roots.
fn tls_with_roots(url: &str, pem: &[u8]) -> Result<Tls, String> {
    let (scheme, rest) = url.split_once("://").ok_or("REDLINE_SMTP_URL: no scheme")?;
    let authority = rest.split(['/', '?']).next().unwrap_or_default();
    let host_port = authority.rsplit('@').next().unwrap_or_default();
    let host = match host_port.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => host_port.split(':').next().unwrap_or_default(),
    };
    let query = rest.split_once('?').map(|(_, q)| q).unwrap_or_default();
    // A bundle of one or more PEM certificates (lettre takes an empty one silently).
    const BEGIN: &[u8] = b"-----BEGIN CERTIFICATE-----";
    if !pem.windows(BEGIN.len()).any(|w| w == BEGIN) {
        return Err("REDLINE_SMTP_CA_FILE: no PEM certificate in the file".into());
    }
    let cert = Certificate::from_pem(pem).map_err(|e| format!("REDLINE_SMTP_CA_FILE: {e}"))?;
    let params = TlsParameters::builder(host.to_owned())
        .add_root_certificate(cert)
        .build_rustls()
        .map_err(|e| format!("REDLINE_SMTP_CA_FILE: {e}"))?;
    Ok(match (scheme, query.split('&').find_map(|kv| kv.strip_prefix("tls="))) {
        ("smtps", _) => Tls::Wrapper(params),
        (_, Some("required")) => Tls::Required(params),
        (_, Some("opportunistic")) => Tls::Opportunistic(params),
        _ => return Err("REDLINE_SMTP_CA_FILE is set but REDLINE_SMTP_URL asks for no TLS".into()),
    })
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// Drains the outbox every `secs` seconds until the shutdown; a batch under
/// way is finished first.
pub fn spawn(store: Store, mailer: Mailer, secs: u64, shutdown: &crate::shutdown::Shutdown) {
    let stop = shutdown.clone();
    shutdown.spawn(async move {
        let every = std::time::Duration::from_secs(secs.max(1));
        let mut next = tokio::time::Instant::now();
        while stop.sleep_until(next).await {
            while mailer.send_due(&store, 50).await.sent == 50 && !stop.is_stopping() {}
            next = tokio::time::Instant::now() + every;
        }
    });
}
