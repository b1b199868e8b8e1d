//! The security suite: each attack of the security review, tried as an attacker
//! would against a running server, on SQLite and on PostgreSQL.
use crate::helpers::{csrf_of, file_case, mailed_link, register, state_of, TestApp};
use redline_store::entity::{evidence, form_flash, session, user};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

on_both_backends!(
    textarea_payload_comes_back_inert_on_every_form,
    pages_carry_a_nonce_policy_and_hardening_headers,
    staff_access_reaches_only_whoever_reads_the_mailbox,
    sign_in_backs_off_per_account_and_per_address,
    kept_form_values_are_bounded_per_post_and_per_client,
    posts_from_other_sites_or_without_the_token_are_refused,
    kept_form_values_are_bound_to_the_session,
    evidence_downloads_are_named_by_their_detected_type,
    what_a_viewer_may_not_see_answers_404,
    closed_cases_take_no_more_evidence,
    language_switch_returns_only_to_our_own_pages,
    refused_filings_leave_no_file_and_orphans_are_collected,
    filings_are_limited_per_account,
);

const PAYLOAD: &str = "</textarea><script>window.__pwned=1</script>";
const INERT: &str = "&lt;/textarea&gt;&lt;script&gt;window.__pwned=1&lt;/script&gt;";

fn assert_inert(what: &str, body: &str) {
    assert!(!body.contains(PAYLOAD), "{what}: the payload came back as markup");
    assert!(body.contains(INERT), "{what}: the typed value was not kept");
}

async fn textarea_payload_comes_back_inert_on_every_form(app: TestApp) {
    // The public tip form: refused (no room), typed text kept.
    let anon = app.client();
    let p = anon
        .post_multipart("/do/tips", &[("platform", "1"), ("description", PAYLOAD), ("moments", PAYLOAD)], &[])
        .await;
    assert_eq!(p.url, "/tips/new");
    assert_inert("tip description and moments", &p.body);
    assert_eq!(p.body.matches(INERT).count(), 2, "both textareas");
    // The complaint form.
    let consumer = app.signed_in("consumer@demo.redline").await;
    let p = consumer.post_multipart("/do/complaints", &[("narrative", PAYLOAD)], &[]).await;
    assert_eq!(p.url, "/me/new");
    assert_inert("complaint narrative", &p.body);
    // A case action's message, and the platform's preservation answer.
    let case_no = file_case(&consumer).await;
    let platform = app.signed_in("platform@demo.redline").await;
    platform.act(&case_no, "platform", "PLATFORM_INTERVENE", &[]).await;
    // Refused (no offer chosen): the decision form comes back with the message kept.
    let p = platform.act(&case_no, "platform", "PLATFORM_DECIDE", &[("message", PAYLOAD)]).await;
    assert_inert("case action message", &p.body);
    let p = platform
        .post_form(
            &format!("/do/cases/{case_no}/preservation"),
            &[("decision", "decline"), ("reason", PAYLOAD), ("retain_until", "x")],
        )
        .await;
    assert!(p.body.contains("&lt;/textarea&gt;") && !p.body.contains(PAYLOAD), "preservation reason");
    // The platform's session report with its products.
    let p = platform.post_form("/do/platforms/1/sessions", &[("room", "XH-8801"), ("products", PAYLOAD)]).await;
    assert_inert("session products", &p.body);
}

async fn pages_carry_a_nonce_policy_and_hardening_headers(app: TestApp) {
    let r = reqwest::get(format!("{}/login", app.url)).await.unwrap();
    let h = r.headers().clone();
    let body = r.text().await.unwrap();
    let csp = h["content-security-policy"].to_str().unwrap().to_owned();
    let nonce = csp.split("'nonce-").nth(1).and_then(|s| s.split('\'').next()).expect("a nonce in the policy");
    assert!(nonce.len() >= 16);
    assert!(csp.contains("frame-ancestors 'none'") && csp.contains("object-src 'none'"), "{csp}");
    let scripts: Vec<&str> = body.split("<script").skip(1).map(|t| t.split('>').next().unwrap()).collect();
    assert!(!scripts.is_empty(), "the page loads Leptos' scripts");
    for tag in &scripts {
        assert!(tag.contains(&format!("nonce=\"{nonce}\"")), "a script without the page's nonce: <script{tag}>");
    }
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["referrer-policy"], "same-origin");
    assert_eq!(h["x-frame-options"], "DENY");
    // A second page gets another nonce.
    let again = reqwest::get(format!("{}/login", app.url)).await.unwrap();
    assert_ne!(again.headers()["content-security-policy"].to_str().unwrap(), csp);
    // Responses that are not pages may run nothing.
    let redirect = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let r = redirect.get(format!("{}/lang/en", app.url)).send().await.unwrap();
    assert!(r.headers()["content-security-policy"].to_str().unwrap().contains("script-src 'none'"));
    // Over HTTPS every cookie is Secure and the browser id is a __Host- cookie.
    let secure = TestApp::spawn_with(app_backend(&app), |c| c.secure_cookies = true).await;
    let r = reqwest::get(format!("{}/login", secure.url)).await.unwrap();
    let cookies: Vec<String> =
        r.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_owned()).collect();
    assert_eq!(cookies.len(), 1, "{cookies:?}");
    assert!(cookies[0].starts_with("__Host-redline_b=") && cookies[0].contains("; Secure"), "{cookies:?}");
    let plain = reqwest::get(format!("{}/login", app.url)).await.unwrap();
    let c = plain.headers()["set-cookie"].to_str().unwrap();
    assert!(c.starts_with("redline_b=") && !c.contains("Secure"), "{c}");
}

fn app_backend(app: &TestApp) -> crate::helpers::Backend {
    if app.database_url.starts_with("sqlite") {
        crate::helpers::Backend::Sqlite
    } else {
        crate::helpers::Backend::Postgres
    }
}

async fn staff_access_reaches_only_whoever_reads_the_mailbox(app: TestApp) {
    // The attacker holds an account under the address the admin will invite.
    let attacker = app.client();
    register(&app, &attacker, "抢注者", "officer@example.com").await;
    let admin = app.signed_in("admin@demo.redline").await;
    let p = admin
        .post_form("/do/admin/grant", &[("email", "officer@example.com"), ("org", "agency:1"), ("name", "李警官")])
        .await;
    assert!(p.body.contains("该邮箱已有账号"), "the admin is told the address has an account");
    assert!(p.body.contains("id=\"invitations\""));
    // Nothing is granted by the invitation itself.
    assert!(attacker.get("/regulator").await.body.contains("无权查看此队列"));
    let link = mailed_link(&app, "officer@example.com").await.unwrap();
    assert!(link.starts_with("/welcome/"));
    // The person who reads the mailbox takes it and sets a new password.
    let officer = app.client();
    assert!(officer.get(&link).await.body.contains("id=\"reset-warning\""));
    let r = officer.post_form(&format!("/do{link}"), &[("password", "the-officers-own-password")]).await;
    assert_eq!(r.url, "/regulator");
    // The attacker's session and password are gone.
    let u = user::Entity::find()
        .filter(user::Column::Email.eq("officer@example.com"))
        .one(&app.store().db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        session::Entity::find().filter(session::Column::UserId.eq(u.id)).count(&app.store().db).await.unwrap(),
        1
    );
    assert!(attacker.get("/regulator").await.body.contains("请先登录"));
    let r =
        app.client().post_form("/do/login", &[("email", "officer@example.com"), ("password", "a-long-password")]).await;
    assert_eq!(r.url, "/login");
}

async fn sign_in_backs_off_per_account_and_per_address(app: TestApp) {
    let c = app.client();
    let wrong = [("email", "consumer@demo.redline"), ("password", "wrong-password")];
    for i in 0..5 {
        let p = c.post_form("/do/login", &wrong).await;
        assert!(p.body.contains("邮箱或密码不正确"), "failure {i} is checked");
    }
    // The sixth attempt waits, even with the right password.
    let right = [("email", "consumer@demo.redline"), ("password", redline_store::seed::DEMO_PASSWORD)];
    let p = c.post_form("/do/login", &right).await;
    assert!(p.body.contains("登录失败次数过多，请约 1 分钟后再试"), "{}", &p.body[..p.body.len().min(300)]);
    assert!(p.body.contains("consumer@demo.redline"), "the typed email is kept");
    app.running.time.advance(31);
    let p = c.post_form("/do/login", &right).await;
    assert_eq!(p.url, "/me/cases", "after the wait the right password works");
    // One address: twenty failures over any accounts (the five above count
    // too), then it waits as well.
    let c = app.client();
    for i in 0..15 {
        let email = format!("nobody{i}@example.com");
        let p = c.post_form("/do/login", &[("email", &email), ("password", "wrong-password")]).await;
        assert!(p.body.contains("邮箱或密码不正确"), "failure {i}");
    }
    let p = c
        .post_form("/do/login", &[("email", "platform@demo.redline"), ("password", redline_store::seed::DEMO_PASSWORD)])
        .await;
    assert!(p.body.contains("登录失败次数过多"));
}

async fn kept_form_values_are_bounded_per_post_and_per_client(app: TestApp) {
    app.at_start_of_an_hour();
    let c = app.client();
    let mut pairs: Vec<(String, String)> = vec![("description".into(), "长".repeat(9000))];
    for i in 0..1280 {
        pairs.push((format!("junk{}", i % 40), "y".repeat(5000)));
    }
    let refs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let p = c.post_multipart("/do/tips", &refs, &[]).await;
    assert_eq!(p.url, "/tips/new");
    let rows = form_flash::Entity::find().all(&app.store().db).await.unwrap();
    assert_eq!(rows.len(), 0, "the page load took its values");
    assert!(p.body.contains(&"长".repeat(5000)), "the description is kept to its own limit");
    assert!(!p.body.contains(&"长".repeat(5001)));
    // Kept but not taken (the redirect is not followed): one row of bounded size.
    let raw =
        reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).cookie_store(true).build().unwrap();
    let page = raw.get(format!("{}/tips/new", app.url)).send().await.unwrap().text().await.unwrap();
    let token = csrf_of(&page).unwrap();
    let mut form = reqwest::multipart::Form::new().text("csrf", token.clone());
    for (k, v) in &pairs {
        form = form.text(k.clone(), v.clone());
    }
    raw.post(format!("{}/do/tips", app.url)).multipart(form).send().await.unwrap();
    let rows = form_flash::Entity::find().all(&app.store().db).await.unwrap();
    assert_eq!(rows.len(), 1);
    assert!(rows[0].payload_json.len() < 20_000, "kept {} bytes", rows[0].payload_json.len());
    assert!(!rows[0].payload_json.contains("junk"));
    // One browser keeps one row per form, however often it posts.
    for _ in 0..3 {
        let f = reqwest::multipart::Form::new().text("csrf", token.clone()).text("description", "x");
        raw.post(format!("{}/do/tips", app.url)).multipart(f).send().await.unwrap();
    }
    assert_eq!(form_flash::Entity::find().count(&app.store().db).await.unwrap(), 1);
    // Per client address: 120 kept forms an hour, however many browsers it
    // pretends to be. Five posts so far; 125 more browsers keep 115 rows.
    for _ in 0..125 {
        let b =
            reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).cookie_store(true).build().unwrap();
        let page = b.get(format!("{}/tips/new", app.url)).send().await.unwrap().text().await.unwrap();
        let f = reqwest::multipart::Form::new().text("csrf", csrf_of(&page).unwrap()).text("description", "x");
        b.post(format!("{}/do/tips", app.url)).multipart(f).send().await.unwrap();
    }
    assert_eq!(form_flash::Entity::find().count(&app.store().db).await.unwrap(), 1 + 115);
}

async fn posts_from_other_sites_or_without_the_token_are_refused(app: TestApp) {
    let consumer = app.signed_in("consumer@demo.redline").await;
    let case_no = file_case(&consumer).await;
    let token = consumer.csrf().await;
    let withdraw = |extra: Vec<(&'static str, String)>| {
        let mut v =
            vec![("event", "WITHDRAW".to_owned()), ("role", "consumer".to_owned()), ("confirm", "1".to_owned())];
        v.extend(extra);
        v
    };
    let url = format!("{}/do/cases/{case_no}/act", app.url);
    // A same-site or cross-site page, even with a valid token, is refused.
    for (h, v) in [("sec-fetch-site", "same-site"), ("sec-fetch-site", "cross-site"), ("origin", "http://evil.example")]
    {
        let r =
            consumer.http.post(&url).header(h, v).form(&withdraw(vec![("csrf", token.clone())])).send().await.unwrap();
        assert_eq!(r.status().as_u16(), 403, "{h}: {v}");
        assert!(r.text().await.unwrap().contains("请求被拒绝"));
    }
    // No token, or another session's token.
    let r = consumer.http.post(&url).form(&withdraw(vec![])).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 403);
    let other = app.signed_in("consumer@demo.redline").await;
    let r = consumer.http.post(&url).form(&withdraw(vec![("csrf", other.csrf().await)])).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 403);
    assert_eq!(state_of(&app, &case_no).await, "ROUTED_TO_OPERATOR", "nothing happened");
    // A multipart post without the token first is cut off before its files.
    let before = evidence::Entity::find().count(&app.store().db).await.unwrap();
    let p = consumer
        .post_multipart_raw(
            &format!("/do/cases/{case_no}/evidence"),
            &[("role", "consumer")],
            &[("files", "a.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec())],
        )
        .await;
    assert_eq!(p.status, 403);
    assert_eq!(evidence::Entity::find().count(&app.store().db).await.unwrap(), before);
    // Login CSRF: a sign-in post without the browser's token does not sign in.
    let anon = app.client();
    let p = anon
        .post_form_raw(
            "/do/login",
            &[("email", "consumer@demo.redline"), ("password", redline_store::seed::DEMO_PASSWORD)],
        )
        .await;
    assert_eq!(p.status, 403);
    assert!(anon.get("/me/cases").await.body.contains("请先登录"));
    // The same post with the token works (the control).
    let p = consumer
        .post_form(
            &format!("/do/cases/{case_no}/act"),
            &[("event", "WITHDRAW"), ("role", "consumer"), ("confirm", "1")],
        )
        .await;
    assert_eq!(p.status, 200);
    assert_eq!(state_of(&app, &case_no).await, "CLOSED_WITHDRAWN");
}

async fn kept_form_values_are_bound_to_the_session(app: TestApp) {
    // The attacker plants their own browser id in the staff member's browser.
    let r = reqwest::get(format!("{}/login", app.url)).await.unwrap();
    let planted = set_cookie(&r, "redline_b");
    let victim = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let page =
        victim.get(format!("{}/login", app.url)).header("cookie", format!("redline_b={planted}")).send().await.unwrap();
    let token = csrf_of(&page.text().await.unwrap()).unwrap();
    let r = victim
        .post(format!("{}/do/login", app.url))
        .header("cookie", format!("redline_b={planted}"))
        .form(&[
            ("csrf", token.as_str()),
            ("email", "platform@demo.redline"),
            ("password", redline_store::seed::DEMO_PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    let session = set_cookie(&r, "redline_session");
    // The victim, still carrying the planted id, issues an API key.
    let jar = format!("redline_b={planted}; redline_session={session}");
    let page = victim
        .get(format!("{}/org/integrations", app.url))
        .header("cookie", &jar)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let token = csrf_of(&page).unwrap();
    victim
        .post(format!("{}/do/orgs/platform/1/keys", app.url))
        .header("cookie", &jar)
        .form(&[("csrf", token.as_str()), ("name", "k"), ("scopes", "cases:read")])
        .send()
        .await
        .unwrap();
    // The attacker, holding the planted id, sees no key; the victim does.
    let theirs = victim
        .get(format!("{}/org/integrations", app.url))
        .header("cookie", format!("redline_b={planted}"))
        .send()
        .await
        .unwrap();
    assert!(!theirs.text().await.unwrap().contains("id=\"new-key\""));
    let rows = form_flash::Entity::find().all(&app.store().db).await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_ne!(rows[0].session_key, redline_store::web::keys::flash_key(&format!("b:{planted}")));
    let mine = victim
        .get(format!("{}/org/integrations", app.url))
        .header("cookie", &jar)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(mine.contains("id=\"new-key\""), "the key is shown to the session that issued it");
}

/// The value a response sets for a cookie.
fn set_cookie(r: &reqwest::Response, name: &str) -> String {
    r.headers()
        .get_all("set-cookie")
        .iter()
        .find_map(|v| {
            v.to_str().unwrap().strip_prefix(&format!("{name}=")).map(|s| s.split(';').next().unwrap().to_owned())
        })
        .unwrap_or_else(|| panic!("no {name} cookie set"))
}

async fn evidence_downloads_are_named_by_their_detected_type(app: TestApp) {
    let consumer = app.signed_in("consumer@demo.redline").await;
    let case_no = file_case(&consumer).await;
    let p = consumer
        .post_multipart(
            &format!("/do/cases/{case_no}/evidence"),
            &[("role", "consumer")],
            &[("files", "chat.bat", "主播：三天美白\n".as_bytes().to_vec())],
        )
        .await;
    assert_eq!(p.status, 200);
    let e = evidence::Entity::find().one(&app.store().db).await.unwrap().unwrap();
    assert_eq!(e.file_name, "chat.bat", "the uploader's name is kept on record");
    let r = consumer.http.get(format!("{}/evidence/{}/original", app.url, e.id)).send().await.unwrap();
    let d = r.headers()["content-disposition"].to_str().unwrap();
    assert!(d.starts_with("attachment; filename=\"chat.txt\""), "{d}");
    assert_eq!(r.headers()["content-type"], "text/plain; charset=utf-8");
}

async fn what_a_viewer_may_not_see_answers_404(app: TestApp) {
    let consumer = app.signed_in("consumer@demo.redline").await;
    let case_no = file_case(&consumer).await;
    assert_eq!(consumer.json(&format!("/api/v1/cases/{case_no}/chain")).await.0, 200);
    let admin = app.signed_in("admin@demo.redline").await;
    let (status, _) = admin.json(&format!("/api/v1/cases/{case_no}/chain")).await;
    assert_eq!(status, 404, "the admin is no party to the case");
    assert_eq!(
        admin.json("/api/v1/cases/LC-20990101-000000/chain").await.0,
        404,
        "the same as a case that does not exist"
    );
}

async fn closed_cases_take_no_more_evidence(app: TestApp) {
    let consumer = app.signed_in("consumer@demo.redline").await;
    let case_no = file_case(&consumer).await;
    consumer.act(&case_no, "consumer", "WITHDRAW", &[]).await;
    assert_eq!(state_of(&app, &case_no).await, "CLOSED_WITHDRAWN");
    let p = consumer
        .post_multipart(
            &format!("/do/cases/{case_no}/evidence"),
            &[("role", "consumer")],
            &[("files", "late.txt", b"late".to_vec())],
        )
        .await;
    assert!(p.body.contains("案件已办结或已撤回，不能再添加证据"));
    assert_eq!(evidence::Entity::find().count(&app.store().db).await.unwrap(), 0);
}

async fn language_switch_returns_only_to_our_own_pages(app: TestApp) {
    let c = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let to = |referer: &'static str| {
        let c = c.clone();
        let url = format!("{}/lang/en", app.url);
        async move {
            let r = c.get(url).header("referer", referer).send().await.unwrap();
            r.headers()["location"].to_str().unwrap().to_owned()
        }
    };
    assert_eq!(to("http://evil.example/phish").await, "/");
    assert_eq!(to("http://evil.example//evil.example").await, "/");
    let own: &'static str = Box::leak(format!("{}/tips/new?x=1", app.url).into_boxed_str());
    assert_eq!(to(own).await, "/tips/new?x=1");
    let sneaky: &'static str = Box::leak(format!("{}//evil.example/", app.url).into_boxed_str());
    assert_eq!(to(sneaky).await, "/");
}

/// Slow clients: headers and bodies that stall are cut off, and one address
/// holds a bounded number of connections.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_clients_are_cut_off_and_connections_per_address_are_bounded() {
    let app = TestApp::spawn_with(crate::helpers::Backend::Sqlite, |c| {
        c.header_timeout = Duration::from_secs(1);
        c.body_idle = Duration::from_secs(1);
        c.conns_per_address = 3;
    })
    .await;
    let addr = app.running.addr;
    // Headers that never finish.
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n").await.unwrap();
    let mut buf = vec![0u8; 1024];
    let started = std::time::Instant::now();
    let n = tokio::time::timeout(Duration::from_secs(5), s.read(&mut buf)).await.expect("closed within the limit");
    // Cut off by the header timeout (1 s), not at once and not by the test's 5 s.
    assert!(started.elapsed() >= Duration::from_millis(900), "cut off after {:?}", started.elapsed());
    // Closed (or reset) without an answer, or answered 408; never served.
    match n {
        Ok(0) | Err(_) => {}
        Ok(n) => assert!(
            String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 408"),
            "{}",
            String::from_utf8_lossy(&buf[..n])
        ),
    }
    // A body that stops arriving.
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    s.write_all(b"POST /do/tips/status HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\nreceipt=").await.unwrap();
    let started = std::time::Instant::now();
    let n = tokio::time::timeout(Duration::from_secs(5), s.read(&mut buf))
        .await
        .expect("answered within the limit")
        .unwrap();
    assert!(started.elapsed() >= Duration::from_millis(900), "cut off after {:?}", started.elapsed());
    assert!(String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 408"), "{}", String::from_utf8_lossy(&buf[..n]));
    // Three idle connections from one address, then the fourth is closed at once.
    // They come from 127.0.0.2, so the two slow connections above, whose slots
    // are given back only when the server has finished closing them, cannot
    // take one of the three places.
    let from_second_address = || async {
        let sock = tokio::net::TcpSocket::new_v4().unwrap();
        sock.bind("127.0.0.2:0".parse().unwrap()).unwrap();
        sock.connect(addr).await.unwrap()
    };
    let mut held = vec![];
    for _ in 0..3 {
        held.push(from_second_address().await);
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    let mut fourth = from_second_address().await;
    let _ = fourth.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n").await;
    let n = tokio::time::timeout(Duration::from_secs(2), fourth.read(&mut buf)).await.unwrap().unwrap_or(0);
    assert_eq!(n, 0, "refused: {}", String::from_utf8_lossy(&buf[..n]));
    drop(held);
    tokio::time::sleep(Duration::from_millis(200)).await;
    let ok = reqwest::get(format!("{}/healthz", app.url)).await.unwrap();
    assert_eq!(ok.status().as_u16(), 200, "slots come back when connections close");
}

/// Every file in the vault directory (not the staging or quarantine areas).
fn vault_files(app: &TestApp) -> usize {
    fn walk(p: &std::path::Path) -> usize {
        std::fs::read_dir(p).map_or(0, |d| {
            d.map(|e| e.unwrap().path())
                .filter(|p| !p.file_name().unwrap().to_string_lossy().starts_with('.'))
                .map(|p| if p.is_dir() { walk(&p) } else { 1 })
                .sum()
        })
    }
    walk(std::path::Path::new(&app.config.evidence_dir))
}

fn staged_files(app: &TestApp) -> usize {
    std::fs::read_dir(&app.running.vault.staging).map_or(0, |d| d.count())
}

async fn refused_filings_leave_no_file_and_orphans_are_collected(app: TestApp) {
    let consumer = app.signed_in("consumer@demo.redline").await;
    let chat = "主播：三天美白\n".as_bytes().to_vec();
    // Refused as typed, and refused for an unknown room: nothing is kept.
    let p = consumer
        .post_multipart("/do/complaints", &[("narrative", "太短")], &[("evidence", "a.txt", chat.clone())])
        .await;
    assert_eq!(p.url, "/me/new");
    let mut form = crate::helpers::complaint_form("1");
    form.retain(|(k, _)| *k != "room");
    form.push(("room", "NO-SUCH-ROOM".into()));
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let p = consumer.post_multipart("/do/complaints", &pairs, &[("evidence", "a.txt", chat.clone())]).await;
    assert!(p.body.contains("在该平台上未找到此直播间"));
    assert_eq!((vault_files(&app), staged_files(&app)), (0, 0), "no file in the vault or the staging area");
    // A file written to the vault whose filing never happened (a crash, a
    // refusal inside the transaction) is an orphan; one a case holds is not.
    let vault = &app.running.vault;
    let staged =
        redline_store::vault::staging::Staged::from_bytes(&vault.staging, b"orphaned chat export\n").await.unwrap();
    let up = redline_store::vault::staging::Upload { file_name: "lost.txt".into(), staged };
    redline_store::vault::intake::store_file(app.store(), vault, up).await.unwrap();
    let case_no = file_case(&consumer).await;
    let p = consumer
        .post_multipart(
            &format!("/do/cases/{case_no}/evidence"),
            &[("role", "consumer")],
            &[("files", "kept.txt", chat.clone())],
        )
        .await;
    assert_eq!(p.status, 200);
    assert_eq!(vault_files(&app), 2);
    let collected = redline_store::vault::orphans::collect(app.store(), vault, 100).await.unwrap();
    assert_eq!(collected.deleted, 0, "within the grace period nothing is collected");
    app.running.time.advance(redline_store::vault::orphans::GRACE_MINUTES * 60 + 1);
    let collected = redline_store::vault::orphans::collect(app.store(), vault, 100).await.unwrap();
    assert_eq!((collected.checked, collected.deleted), (2, 1));
    assert_eq!(vault_files(&app), 1);
    let e = evidence::Entity::find().one(&app.store().db).await.unwrap().unwrap();
    let r = consumer.http.get(format!("{}/evidence/{}/original", app.url, e.id)).send().await.unwrap();
    assert_eq!(r.bytes().await.unwrap().to_vec(), chat, "the file a case holds is intact");
    // Collecting again finds nothing left to check.
    assert_eq!(redline_store::vault::orphans::collect(app.store(), vault, 100).await.unwrap(), Default::default());
}

async fn filings_are_limited_per_account(app: TestApp) {
    let app = TestApp::spawn_with(app_backend(&app), |c| c.filing_limit = 3).await;
    app.at_start_of_an_hour();
    let consumer = app.signed_in("consumer@demo.redline").await;
    for _ in 0..3 {
        file_case(&consumer).await;
    }
    let form = crate::helpers::complaint_form("1");
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let p = consumer.post_multipart("/do/complaints", &pairs, &[("evidence", "a.txt", b"chat\n".to_vec())]).await;
    assert_eq!(p.url, "/me/new");
    assert!(p.body.contains("提交过于频繁"), "a clear message");
    assert!(p.body.contains("XH20261120001"), "what was typed is kept");
    assert_eq!((vault_files(&app), staged_files(&app)), (0, 0), "the throttled post's file was not read");
}
