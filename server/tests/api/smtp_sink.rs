//! A real SMTP server for the tests, on loopback: it speaks enough of RFC 5321
//! (EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT, and STARTTLS, RFC 3207) for
//! lettre, keeps every message it accepts, and can be stopped and restarted on
//! the same port. It can speak TLS from the first byte (smtps) or require
//! STARTTLS before any mail, with a certificate issued at start by a CA of its
//! own (`Sink::ca_pem`), as an organisation's relay would have.
//! Mailboxes named `bounce…@` do not exist (550), and its answer to DATA can be delayed.
#![allow(dead_code)]
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use tokio_rustls::TlsAcceptor;

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Security {
    Plain,
    /// TLS from the first byte (`smtps://`, RFC 8314).
    Implicit,
    /// Plain until STARTTLS; mail is refused before it (530).
    StartTls,
}

#[derive(Default)]
struct Shared {
    messages: Mutex<Vec<Vec<u8>>>,
    /// How long to wait, after a message has been received and kept, before
    /// answering its DATA with 250: a slow server, or one the sender dies waiting for.
    reply_delay_ms: AtomicU64,
}

pub struct Sink {
    pub port: u16,
    security: Security,
    tls: Option<TlsAcceptor>,
    /// The CA that issued the server's certificate, for clients to trust.
    pub ca_pem: Option<String>,
    shared: Arc<Shared>,
    server: Mutex<Option<JoinHandle<()>>>,
}

/// A CA, and a certificate it issued for 127.0.0.1.
fn issue() -> (TlsAcceptor, String) {
    use rcgen::{BasicConstraints, CertificateParams, IsCa, KeyPair};
    let ca_key = KeyPair::generate().unwrap();
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca = ca_params.self_signed(&ca_key).unwrap();
    let key = KeyPair::generate().unwrap();
    let cert = CertificateParams::new(vec!["127.0.0.1".to_owned()]).unwrap().signed_by(&key, &ca, &ca_key).unwrap();
    let der_key = tokio_rustls::rustls::pki_types::PrivateKeyDer::Pkcs8(key.serialize_der().into());
    let config = tokio_rustls::rustls::ServerConfig::builder()
        .with_no_client_auth()
        .with_single_cert(vec![cert.der().clone()], der_key)
        .unwrap();
    (TlsAcceptor::from(Arc::new(config)), ca.pem())
}

impl Sink {
    pub async fn start() -> Arc<Sink> {
        Self::start_with(Security::Plain).await
    }

    pub async fn start_with(security: Security) -> Arc<Sink> {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let (tls, ca_pem) = match security {
            Security::Plain => (None, None),
            _ => {
                let (a, pem) = issue();
                (Some(a), Some(pem))
            }
        };
        let sink = Arc::new(Sink { port, security, tls, ca_pem, shared: Arc::default(), server: Mutex::new(None) });
        sink.serve(listener);
        sink
    }

    /// The URL a sender uses for this server's security.
    pub fn url(&self) -> String {
        match self.security {
            Security::Plain => format!("smtp://127.0.0.1:{}", self.port),
            Security::Implicit => format!("smtps://127.0.0.1:{}", self.port),
            Security::StartTls => format!("smtp://127.0.0.1:{}?tls=required", self.port),
        }
    }

    pub fn set_reply_delay(&self, d: std::time::Duration) {
        self.shared.reply_delay_ms.store(d.as_millis() as u64, Ordering::SeqCst);
    }

    fn serve(&self, listener: TcpListener) {
        let (shared, security, tls) = (self.shared.clone(), self.security, self.tls.clone());
        let handle = tokio::spawn(async move {
            let mut conns = tokio::task::JoinSet::new();
            loop {
                let Ok((sock, _)) = listener.accept().await else { return };
                let (shared, tls) = (shared.clone(), tls.clone());
                conns.spawn(async move {
                    let _ = connection(sock, security, tls, &shared).await;
                });
            }
        });
        *self.server.lock().unwrap() = Some(handle);
    }

    /// Stops listening and drops open connections, as a crashed server would.
    pub async fn stop(&self) {
        let handle = self.server.lock().unwrap().take();
        if let Some(h) = handle {
            h.abort();
            let _ = h.await;
        }
    }

    pub async fn restart(&self) {
        let listener = TcpListener::bind(("127.0.0.1", self.port)).await.unwrap();
        self.serve(listener);
    }

    pub fn raw(&self) -> Vec<Vec<u8>> {
        self.shared.messages.lock().unwrap().clone()
    }

    /// Every message accepted so far, decoded: encoded-word headers, and
    /// base64 or quoted-printable parts turned back into text. Search these,
    /// never the raw bytes: Chinese text is never in the raw bytes.
    pub fn mails(&self) -> Vec<Mail> {
        self.raw().iter().map(|r| Mail::parse(r)).collect()
    }
}

/// One message as its reader sees it.
#[derive(Debug, Clone)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub message_id: String,
    pub text: String,
    pub html: String,
}

impl Mail {
    pub fn parse(raw: &[u8]) -> Mail {
        use mailparse::MailHeaderMap;
        let m = mailparse::parse_mail(raw).expect("a well-formed message");
        let h = |k: &str| m.headers.get_first_value(k).unwrap_or_default();
        // Every leaf part, however deeply nested.
        fn leaves<'a>(p: &'a mailparse::ParsedMail<'a>, out: &mut Vec<&'a mailparse::ParsedMail<'a>>) {
            if p.subparts.is_empty() {
                out.push(p);
            }
            for s in &p.subparts {
                leaves(s, out);
            }
        }
        let mut parts = Vec::new();
        leaves(&m, &mut parts);
        let body = |t: &str| {
            parts.iter().filter(|p| p.ctype.mimetype == t).map(|p| p.get_body().unwrap()).collect::<Vec<_>>().join("\n")
        };
        Mail {
            to: h("To"),
            subject: h("Subject"),
            message_id: h("Message-ID"),
            text: body("text/plain"),
            html: body("text/html"),
        }
    }

    /// Whether any part a reader sees (recipient, subject, text, HTML) contains `s`.
    pub fn contains(&self, s: &str) -> bool {
        [&self.to, &self.subject, &self.text, &self.html].iter().any(|f| f.contains(s))
    }
}

async fn connection(
    sock: tokio::net::TcpStream,
    security: Security,
    tls: Option<TlsAcceptor>,
    shared: &Shared,
) -> std::io::Result<()> {
    match security {
        Security::Plain => session(sock, true, false, true, shared).await.map(drop),
        Security::Implicit => session(tls.unwrap().accept(sock).await?, true, false, true, shared).await.map(drop),
        Security::StartTls => {
            // Plain until the client asks; after the handshake a new session begins (RFC 3207 §4.2).
            if let Some(sock) = session(sock, true, true, false, shared).await? {
                session(tls.unwrap().accept(sock).await?, false, false, true, shared).await?;
            }
            Ok(())
        }
    }
}

/// One SMTP session over `stream`, greeting first if `greet`. With `offer_starttls`, STARTTLS is
/// advertised and, when the client issues it, the stream is handed back to be
/// wrapped. Without `may_send`, mail is refused until then.
async fn session<S: AsyncRead + AsyncWrite + Unpin>(
    stream: S,
    greet: bool,
    offer_starttls: bool,
    may_send: bool,
    shared: &Shared,
) -> std::io::Result<Option<S>> {
    let mut s = BufReader::new(stream);
    // After STARTTLS the client speaks first (its EHLO), without a new greeting (RFC 3207 §4.2).
    if greet {
        s.get_mut().write_all(b"220 sink.test ESMTP ready\r\n").await?;
    }
    let mut line = Vec::new();
    loop {
        line.clear();
        if s.read_until(b'\n', &mut line).await? == 0 {
            return Ok(None);
        }
        let cmd = String::from_utf8_lossy(&line).trim_end().to_ascii_uppercase();
        let w = s.get_mut();
        if cmd.starts_with("EHLO") {
            let ext: &[u8] = if offer_starttls { b"250-STARTTLS\r\n" } else { b"" };
            w.write_all(
                &[b"250-sink.test\r\n".as_slice(), ext, b"250-8BITMIME\r\n250-SMTPUTF8\r\n250 PIPELINING\r\n"].concat(),
            )
            .await?;
        } else if cmd == "STARTTLS" && offer_starttls {
            w.write_all(b"220 go ahead\r\n").await?;
            return Ok(Some(s.into_inner()));
        } else if (cmd.starts_with("MAIL") || cmd.starts_with("RCPT") || cmd == "DATA") && !may_send {
            w.write_all(b"530 5.7.0 must issue a STARTTLS command first\r\n").await?;
        } else if cmd.starts_with("RCPT") && cmd.contains("<BOUNCE") {
            // A mailbox that does not exist: a permanent failure (RFC 3463 5.1.1).
            w.write_all(b"550 5.1.1 no such mailbox\r\n").await?;
        } else if cmd.starts_with("HELO")
            || cmd.starts_with("MAIL")
            || cmd.starts_with("RCPT")
            || cmd.starts_with("RSET")
            || cmd.starts_with("NOOP")
        {
            w.write_all(b"250 OK\r\n").await?;
        } else if cmd == "DATA" {
            w.write_all(b"354 end with <CRLF>.<CRLF>\r\n").await?;
            let mut msg = Vec::new();
            loop {
                line.clear();
                if s.read_until(b'\n', &mut line).await? == 0 {
                    return Ok(None);
                }
                if line == b".\r\n" || line == b".\n" {
                    break;
                }
                // Dot-unstuffing (RFC 5321 §4.5.2).
                let body = if line.starts_with(b"..") { &line[1..] } else { &line[..] };
                msg.extend_from_slice(body);
            }
            shared.messages.lock().unwrap().push(msg);
            let ms = shared.reply_delay_ms.load(Ordering::SeqCst);
            if ms > 0 {
                tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
            }
            s.get_mut().write_all(b"250 OK queued\r\n").await?;
        } else if cmd == "QUIT" {
            w.write_all(b"221 bye\r\n").await?;
            return Ok(None);
        } else {
            w.write_all(b"502 not implemented\r\n").await?;
        }
    }
}
