//! A real SMTP server for the tests, on loopback: it speaks enough of RFC 5321
//! (EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT) for lettre, keeps every
//! message it accepts, and can be stopped and restarted on the same port.
//! Mailboxes named `bounce…@` do not exist (550), and its answer to DATA can be delayed.
#![allow(dead_code)]
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

pub struct Sink {
    pub port: u16,
    messages: Arc<Mutex<Vec<Vec<u8>>>>,
    /// How long to wait, after a message has been received and kept, before
    /// answering its DATA with 250: a slow server, or one the sender dies waiting for.
    reply_delay_ms: Arc<AtomicU64>,
    server: Mutex<Option<JoinHandle<()>>>,
}

impl Sink {
    pub async fn start() -> Arc<Sink> {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let sink =
            Arc::new(Sink { port, messages: Arc::default(), reply_delay_ms: Arc::default(), server: Mutex::new(None) });
        sink.serve(listener);
        sink
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    pub fn set_reply_delay(&self, d: std::time::Duration) {
        self.reply_delay_ms.store(d.as_millis() as u64, Ordering::SeqCst);
    }

    fn serve(&self, listener: TcpListener) {
        let messages = self.messages.clone();
        let delay = self.reply_delay_ms.clone();
        let handle = tokio::spawn(async move {
            let mut conns = tokio::task::JoinSet::new();
            loop {
                let Ok((sock, _)) = listener.accept().await else { return };
                let messages = messages.clone();
                let delay = delay.clone();
                conns.spawn(async move {
                    let _ = session(sock, messages, delay).await;
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

    pub fn messages(&self) -> Vec<String> {
        self.messages.lock().unwrap().iter().map(|m| String::from_utf8_lossy(m).into_owned()).collect()
    }

    pub fn raw(&self) -> Vec<Vec<u8>> {
        self.messages.lock().unwrap().clone()
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

async fn session(
    sock: tokio::net::TcpStream,
    messages: Arc<Mutex<Vec<Vec<u8>>>>,
    delay: Arc<AtomicU64>,
) -> std::io::Result<()> {
    let (r, mut w) = sock.into_split();
    let mut r = BufReader::new(r);
    w.write_all(b"220 sink.test ESMTP ready\r\n").await?;
    let mut line = Vec::new();
    loop {
        line.clear();
        if r.read_until(b'\n', &mut line).await? == 0 {
            return Ok(());
        }
        let cmd = String::from_utf8_lossy(&line).trim_end().to_ascii_uppercase();
        if cmd.starts_with("EHLO") {
            w.write_all(b"250-sink.test\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250 PIPELINING\r\n").await?;
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
                if r.read_until(b'\n', &mut line).await? == 0 {
                    return Ok(());
                }
                if line == b".\r\n" || line == b".\n" {
                    break;
                }
                // Dot-unstuffing (RFC 5321 §4.5.2).
                let body = if line.starts_with(b"..") { &line[1..] } else { &line[..] };
                msg.extend_from_slice(body);
            }
            messages.lock().unwrap().push(msg);
            let ms = delay.load(Ordering::SeqCst);
            if ms > 0 {
                tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
            }
            w.write_all(b"250 OK queued\r\n").await?;
        } else if cmd == "QUIT" {
            w.write_all(b"221 bye\r\n").await?;
            return Ok(());
        } else {
            w.write_all(b"502 not implemented\r\n").await?;
        }
    }
}
