//! A real SMTP server for the tests, on loopback: it speaks enough of RFC 5321
//! (EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT) for lettre, keeps every
//! message it accepts, and can be stopped and restarted on the same port.
#![allow(dead_code)]
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

pub struct Sink {
    pub port: u16,
    messages: Arc<Mutex<Vec<Vec<u8>>>>,
    server: Mutex<Option<JoinHandle<()>>>,
}

impl Sink {
    pub async fn start() -> Arc<Sink> {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let sink = Arc::new(Sink { port, messages: Arc::default(), server: Mutex::new(None) });
        sink.serve(listener);
        sink
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    fn serve(&self, listener: TcpListener) {
        let messages = self.messages.clone();
        let handle = tokio::spawn(async move {
            let mut conns = tokio::task::JoinSet::new();
            loop {
                let Ok((sock, _)) = listener.accept().await else { return };
                let messages = messages.clone();
                conns.spawn(async move {
                    let _ = session(sock, messages).await;
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
}

async fn session(sock: tokio::net::TcpStream, messages: Arc<Mutex<Vec<Vec<u8>>>>) -> std::io::Result<()> {
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
            w.write_all(b"250 OK queued\r\n").await?;
        } else if cmd == "QUIT" {
            w.write_all(b"221 bye\r\n").await?;
            return Ok(());
        } else {
            w.write_all(b"502 not implemented\r\n").await?;
        }
    }
}
