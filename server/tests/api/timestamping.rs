//! RFC 3161 time-stamps on checkpoints, from a real time-stamping authority:
//! `openssl ts -reply` with its own CA and TSA certificate, behind a small
//! HTTP front on loopback, as a TSA answers `application/timestamp-query`.
use crate::helpers::{file_case, redline, unique, Backend, TestApp};
use axum::body::Bytes;
use axum::routing::post;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

for_each_backend!(rfc3161_checkpoints_are_stamped_by_a_real_tsa_and_a_token_for_another_checkpoint_is_refused);

fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl").current_dir(dir).args(args).output().expect("openssl runs");
    assert!(out.status.success(), "openssl {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

/// A local TSA: a CA, a TSA certificate for time-stamping only, and
/// `openssl ts -reply` answering each request. (its URL, its directory)
async fn local_tsa() -> (String, PathBuf) {
    let dir = std::env::temp_dir().join("redline-tests").join(format!("tsa-{}", unique()));
    std::fs::create_dir_all(&dir).unwrap();
    openssl(
        &dir,
        &[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "ca.key",
            "-out",
            "ca.crt",
            "-subj",
            "/CN=Redline Test CA",
            "-days",
            "2",
        ],
    );
    openssl(
        &dir,
        &[
            "req",
            "-new",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "tsa.key",
            "-out",
            "tsa.csr",
            "-subj",
            "/CN=Redline Test TSA",
        ],
    );
    std::fs::write(dir.join("ext.cnf"), "extendedKeyUsage = critical,timeStamping\n").unwrap();
    openssl(
        &dir,
        &[
            "x509",
            "-req",
            "-in",
            "tsa.csr",
            "-CA",
            "ca.crt",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "tsa.crt",
            "-days",
            "2",
            "-extfile",
            "ext.cnf",
        ],
    );
    std::fs::write(dir.join("serial"), "01\n").unwrap();
    std::fs::write(
        dir.join("tsa.cnf"),
        format!(
            "[ tsa ]\ndefault_tsa = tsa1\n[ tsa1 ]\ndir = {}\nserial = $dir/serial\ncrypto_device = builtin\n\
             signer_cert = $dir/tsa.crt\ncerts = $dir/ca.crt\nsigner_key = $dir/tsa.key\nsigner_digest = sha256\n\
             default_policy = 1.2.3.4.1\nother_policies = 1.2.3.4.5\ndigests = sha256\naccuracy = secs:1\nordering = yes\ntsa_name = yes\n\
             ess_cert_id_chain = no\ness_cert_id_alg = sha256\n",
            dir.display()
        ),
    )
    .unwrap();
    let served = dir.clone();
    let app = axum::Router::new().route(
        "/tsa",
        post(move |body: Bytes| {
            let dir = served.clone();
            async move {
                let n = unique();
                let (q, r) = (dir.join(format!("{n}.tsq")), dir.join(format!("{n}.tsr")));
                std::fs::write(&q, &body).unwrap();
                let ok = Command::new("openssl")
                    .args(["ts", "-reply", "-config"])
                    .arg(dir.join("tsa.cnf"))
                    .arg("-queryfile")
                    .arg(&q)
                    .arg("-out")
                    .arg(&r)
                    .output()
                    .map(|o| o.status.success())
                    .unwrap_or(false);
                let answer = if ok { std::fs::read(&r).unwrap() } else { Vec::new() };
                ([("content-type", "application/timestamp-reply")], answer)
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/tsa", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, dir)
}

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
}

/// `openssl ts -verify` of `token` (hex) over `text`, trusting only the test CA.
fn openssl_verifies(dir: &Path, text: &str, token: &str) -> bool {
    let n = unique();
    let (data, tok) = (dir.join(format!("{n}.txt")), dir.join(format!("{n}.tok")));
    std::fs::write(&data, text).unwrap();
    std::fs::write(&tok, unhex(token)).unwrap();
    Command::new("openssl")
        .args(["ts", "-verify", "-token_in", "-in"])
        .arg(&tok)
        .arg("-data")
        .arg(&data)
        .arg("-CAfile")
        .arg(dir.join("ca.crt"))
        .output()
        .unwrap()
        .status
        .success()
}

async fn checkpoint_job(app: &TestApp) {
    let ctx = server::jobs::JobContext {
        store: app.store().clone(),
        vault: app.running.vault.clone(),
        log: app.running.log.clone(),
        tsa_url: app.config.tsa_url.clone(),
    };
    let run = server::jobs::Job::Checkpoint.run(&ctx).await.unwrap();
    assert_eq!((run.done, run.failed), (2, 0), "signed and stamped: {run:?}");
}

async fn published(app: &TestApp, size: i64) -> Value {
    reqwest::get(format!("{}/transparency/checkpoints/{size}", app.url)).await.unwrap().json().await.unwrap()
}

async fn rfc3161_checkpoints_are_stamped_by_a_real_tsa_and_a_token_for_another_checkpoint_is_refused(backend: Backend) {
    let (url, dir) = local_tsa().await;
    let app = TestApp::spawn_with(backend, |c| c.tsa_url = Some(url)).await;
    let consumer = app.signed_in("consumer@demo.redline").await;
    let case_no = file_case(&consumer).await;
    checkpoint_job(&app).await;
    let first = published(&app, 1).await;
    let body1 = first["body"].as_str().unwrap().to_owned();
    let token1 = first["timestamp"]["token"].as_str().expect("stamped").to_owned();
    assert!(first["timestamp"]["time"].as_str().unwrap().ends_with('Z'));
    assert!(openssl_verifies(&dir, &body1, &token1), "the TSA's signature over this checkpoint holds");

    consumer.act(&case_no, "consumer", "WITHDRAW", &[("confirm", "1")]).await;
    checkpoint_job(&app).await;
    let second = published(&app, 2).await;
    let token2 = second["timestamp"]["token"].as_str().expect("stamped").to_owned();
    assert!(!openssl_verifies(&dir, &body1, &token2), "a token for another checkpoint does not hold (openssl)");

    // The package carries the newest checkpoint and its token; the offline check reads it.
    let key = app.running.log.public_key();
    let package = consumer.get(&format!("/cases/{case_no}/dossier.json")).await;
    let mut json: Value = serde_json::from_str(&package.body).unwrap();
    let verify = |json: &Value| {
        let path = dir.join(format!("{}.json", unique()));
        std::fs::write(&path, json.to_string()).unwrap();
        let out =
            redline(&["verify", "--package", path.to_str().unwrap(), "--key", &redline_rules::chain::hex(&key)], &[]);
        (out.status.code(), String::from_utf8_lossy(&out.stdout).into_owned())
    };
    let (code, said) = verify(&json);
    assert_eq!(code, Some(0), "{said}");
    assert!(said.contains("✓ 检查点带有时间戳服务于"), "{said}");
    // The first checkpoint's token put on the second: refused by ours too.
    json["transparency"]["checkpoint"]["timestamp"]["token"] = Value::String(token1);
    let (code, said) = verify(&json);
    assert_eq!(code, Some(1), "{said}");
    assert!(said.contains("✗ 时间戳与该检查点不符"), "{said}");
}
