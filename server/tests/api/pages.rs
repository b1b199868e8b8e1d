//! Pages answer with the status of what they show (issue 13, item 10): 401
//! with sign-in and registration when not signed in, 403 when not for this
//! person, 404 for what is not there (a case a reader is no party to
//! included), each with its own title and the reader's language on `<html>`.
use crate::helpers::{complaint_form, file_case, post_complaint, state_of, TestApp};

on_both_backends!(
    pages_answer_401_403_404_with_their_own_title_and_language,
    order117_art20_the_case_page_says_whose_turn_by_when_and_what_follows,
    a_blank_amount_and_a_place_read_as_people_write_them,
    signing_in_returns_to_the_page_that_asked_and_never_to_another_site,
);

fn title(body: &str) -> String {
    body.split("<title>").nth(1).and_then(|t| t.split("</title>").next()).unwrap_or_default().to_owned()
}

fn html_lang(body: &str) -> String {
    body.split("<html")
        .nth(1)
        .and_then(|t| t.split("lang=\"").nth(1))
        .and_then(|t| t.split('"').next())
        .unwrap_or_default()
        .to_owned()
}

async fn pages_answer_401_403_404_with_their_own_title_and_language(app: TestApp) {
    let anon = app.client();
    let p = anon.get("/me/cases").await;
    assert_eq!(p.status, 401);
    assert!(p.body.contains("href=\"/login\"") && p.body.contains("href=\"/register\"") && p.body.contains("请先登录"));
    assert_eq!(html_lang(&p.body), "zh-CN");

    let consumer = app.signed_in("consumer@demo.redline").await;
    let case_no = file_case(&consumer).await;
    let p = consumer.get(&format!("/cases/{case_no}")).await;
    assert_eq!(p.status, 200, "the control: a party sees it");
    assert_eq!(title(&p.body), format!("案件 {case_no} · Redline"), "the case page names its case");
    let room = consumer.get("/rooms/find?platform=1&room=XH-8801").await;
    assert_eq!(title(&room.body), "优选好物直播间 · 直播间 · Redline", "the room page names its room");
    let (tip_no, _) = crate::tips::file(&app.client(), "主播宣称“三天美白”，但商品并无相关功效证明。", "").await;
    let tip = app.signed_in("platform@demo.redline").await.get(&format!("/staff/tips/{tip_no}")).await;
    assert_eq!(title(&tip.body), format!("举报 {tip_no} · Redline"), "the staff tip page names its tip");
    let p = consumer.get("/me/new").await;
    assert_eq!((p.status, title(&p.body)), (200, "我要投诉 · Redline".to_owned()));
    let p = consumer.get("/regulator").await;
    assert_eq!(p.status, 403);
    assert!(!p.body.contains("href=\"/login\""), "no sign-in offered to the signed-in");

    let other = app.signed_in("admin@demo.redline").await;
    let p = other.get(&format!("/cases/{case_no}")).await;
    assert_eq!(p.status, 404, "a non-party is not told the case exists");
    let p = other.get("/cases/LC-2099-999999").await;
    assert_eq!(p.status, 404);

    let p = consumer.get("/no/such/page").await;
    assert_eq!(p.status, 404);
    assert!(p.body.contains("页面不存在") && p.body.contains("class=\"top\""), "in the frame, in Chinese");
    // In English, the page says so on <html>.
    consumer.get("/lang/en").await;
    let p = consumer.get("/me/new").await;
    assert_eq!((html_lang(&p.body), title(&p.body)), ("en".to_owned(), "File a complaint · Redline".to_owned()));
}

/// The text of the element with `id`, tags dropped (enough for these pages' flat markup).
fn text_of(body: &str, id: &str) -> String {
    let Some(start) = body.find(&format!("id=\"{id}\"")) else { return String::new() };
    let rest = &body[start..];
    let open = rest.find('>').map(|i| i + 1).unwrap_or(0);
    let end = rest.find("</section>").or_else(|| rest.find("</blockquote>")).unwrap_or(rest.len());
    let mut out = String::new();
    let mut tag = false;
    for ch in rest[open..end.max(open)].chars() {
        match ch {
            '<' => tag = true,
            '>' => tag = false,
            c if !tag => out.push(c),
            _ => {}
        }
    }
    out
}

async fn order117_art20_the_case_page_says_whose_turn_by_when_and_what_follows(app: TestApp) {
    let consumer = app.signed_in("consumer@demo.redline").await;
    let case_no = file_case(&consumer).await;
    let path = format!("/cases/{case_no}");
    let p = consumer.get(&path).await;
    // The operator's turn, on D1: filed Monday 2026-11-23, five working days end Monday 2026-11-30.
    assert!(p.body.contains("id=\"turn\" data-actor=\"operator\""), "{}", text_of(&p.body, "progress"));
    let due = text_of(&p.body, "turn-due");
    assert!(due.contains("经营者首次答复") && due.contains("2026-11-30"), "{due}");
    assert!(p.body.contains("平台介入处理，并记录经营者超时"), "what follows silence");
    assert_eq!(p.body.matches("aria-current=\"step\"").count(), 1);
    let current =
        p.body.split("aria-current=\"step\"").nth(1).and_then(|s| s.split("</li>").next()).unwrap_or_default();
    assert!(current.ends_with(">经营者答复"), "{current}");
    // The timeline speaks in words; the transition ids sit in the 技术信息 fold only.
    let timeline = text_of(&p.body, "timeline");
    let (timeline, tech) = timeline.split_once("技术信息").unwrap_or_default();
    assert!(tech.contains("T3"), "{tech}");
    assert!(timeline.contains("转交直播间运营者答复") && !timeline.contains("T3"), "{timeline}");
    let op = app.signed_in("operator@demo.redline").await;
    assert!(text_of(&op.get(&path).await.body, "turn").contains("轮到您"));

    // A rejection: quoted beside the buttons, and accepting it is called what it is.
    op.act(&case_no, "operator", "OPERATOR_RESPOND", &[("offer", "REJECT"), ("message", "商品无质量问题")]).await;
    let p = consumer.get(&path).await;
    let offer = text_of(&p.body, "offer");
    assert!(offer.contains("拒绝") && offer.contains("商品无质量问题"), "{offer}");
    let form = |body: &str, action: &str| -> String {
        let marker = format!("data-action=\"{action}\"");
        body.split(&marker).nth(1).and_then(|f| f.split("</form>").next()).unwrap_or_default().to_owned()
    };
    let accept = form(&p.body, "CONSUMER_ACCEPT");
    assert!(accept.contains("接受处理结果，结束投诉") && !accept.contains("接受处理方案"), "{accept}");
    assert!(form(&p.body, "CONSUMER_REJECT").contains("不接受，请平台处理"));
    assert!(text_of(&p.body, "turn").contains("轮到您"));
    // D1 was met: folded away with its outcome; D2 runs.
    assert_eq!(p.body.matches("data-outcome=\"met\"").count(), 1);
    assert!(p.body.contains("data-clock=\"D1\" data-status=\"STOPPED\" data-outcome=\"met\""));
    assert!(p.body.contains("data-clock=\"D2\" data-status=\"RUNNING\""));

    // After the platform decides, rejecting leads on to market supervision.
    consumer.act(&case_no, "consumer", "CONSUMER_REJECT", &[("message", "不接受")]).await;
    let plat = app.signed_in("platform@demo.redline").await;
    plat.act(&case_no, "platform", "PLATFORM_DECIDE", &[("offer", "PARTIAL"), ("remedy", "退款100元")]).await;
    let p = consumer.get(&path).await;
    assert!(form(&p.body, "CONSUMER_REJECT").contains("不接受，准备提交市场监管部门"));
    assert!(text_of(&p.body, "offer").contains("退款100元"));
    consumer.act(&case_no, "consumer", "CONSUMER_ACCEPT", &[]).await;
    assert_eq!(state_of(&app, &case_no).await, "RESOLVED");

    // Closed: said so, every step done, no empty action box, no clock left running.
    let p = consumer.get(&path).await;
    assert!(text_of(&p.body, "turn").contains("本案已办结"));
    assert!(!p.body.contains("id=\"actions\""));
    assert_eq!(p.body.matches("class=\"todo\"").count(), 0);
    assert!(!text_of(&p.body, "clocks").contains("剩余"), "{}", text_of(&p.body, "clocks"));
    assert_eq!(p.body.matches("data-outcome=\"met\"").count(), 4, "D1, D2 twice, D3");
}

async fn a_blank_amount_and_a_place_read_as_people_write_them(app: TestApp) {
    let consumer = app.signed_in("consumer@demo.redline").await;
    let mut form = complaint_form("1");
    for (k, v) in form.iter_mut() {
        if *k == "amount" {
            v.clear();
        }
    }
    let p = post_complaint(&consumer, &form, &[]).await;
    let case_no = p.url.trim_start_matches("/cases/").to_owned();
    let p = consumer.get(&format!("/cases/{case_no}")).await;
    assert_eq!(p.status, 200, "{}", p.url);
    assert!(p.body.contains("id=\"amount\">—<"), "a blank amount is not ¥0.00");
    // Displayed address 330105 and platform domicile 330106, by the agencies' areas.
    let juris = p.body.split("class=\"juris\"").nth(1).unwrap_or_default().split("</ul>").next().unwrap_or_default();
    assert!(juris.contains("杭州市拱墅区") && juris.contains("杭州市西湖区"), "{juris}");
    assert!(!juris.contains("330105"), "{juris}");
}

async fn signing_in_returns_to_the_page_that_asked_and_never_to_another_site(app: TestApp) {
    let anon = app.client();
    let p = anon.get("/me/new").await;
    assert_eq!(p.status, 401);
    assert!(p.body.contains("href=\"/login?next=%2Fme%2Fnew\""), "sign-in link returns to the form");
    assert!(p.body.contains("href=\"/register?next=%2Fme%2Fnew\""), "and so does registration");
    let login = anon.get("/login?next=%2Fme%2Fnew").await;
    assert!(login.body.contains("name=\"next\" value=\"/me/new\""), "the form carries it");
    let email = "consumer@demo.redline";
    let pw = redline_store::seed::DEMO_PASSWORD;
    let r = anon.post_form("/do/login", &[("email", email), ("password", pw), ("next", "/me/new")]).await;
    assert_eq!((r.status, r.url.as_str()), (200, "/me/new"));
    // Registering first: the sign-in page it returns to still knows where to go.
    let newcomer = app.client();
    let r = newcomer
        .post_form(
            "/do/register",
            &[("name", "新用户"), ("email", "new@example.com"), ("password", "a-long-password"), ("next", "/me/new")],
        )
        .await;
    assert_eq!(r.url, "/login");
    assert!(r.body.contains("name=\"next\" value=\"/me/new\""), "kept through registration");
    // Another site, however written, is not followed: the reader's home instead.
    for bad in ["//evil.example/", "https://evil.example/", "/\\evil.example"] {
        let c = app.client();
        let r = c.post_form("/do/login", &[("email", email), ("password", pw), ("next", bad)]).await;
        assert_eq!(r.url, "/me/cases", "{bad}");
    }
}
