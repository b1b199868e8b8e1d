//! T7: once a case is over, the consumer rates each party that handled it on
//! three axes of 1 to 5 stars, once per party; nobody else rates, nothing is
//! rated while open; the ratings feed the monitoring desk (Order 117 Art. 20).
use crate::helpers::{case_events, escalated_case, file_case, state_of, TestApp};
use redline_store::entity::rating;
use sea_orm::{EntityTrait, PaginatorTrait};

on_both_backends!(
    t7_order117_art20_the_consumer_rates_the_operator_once_the_case_is_resolved,
    t7_order121_a_case_that_reached_market_supervision_rates_all_three_parties,
);

async fn t7_order117_art20_the_consumer_rates_the_operator_once_the_case_is_resolved(app: TestApp) {
    let consumer = app.signed_in("consumer@demo.redline").await;
    let case_no = file_case(&consumer).await;
    let path = format!("/do/cases/{case_no}/rating");
    let stars = [("OPERATOR_ATTITUDE", "4"), ("OPERATOR_SPEED", "2"), ("OPERATOR_OUTCOME", "5")];
    assert!(!consumer.get(&format!("/cases/{case_no}")).await.body.contains("id=\"rating-form\""));
    let early = consumer.post_form(&path, &stars).await;
    assert!(early.body.contains("本案现在不能评价"), "not while open");
    let op = app.signed_in("operator@demo.redline").await;
    op.act(&case_no, "operator", "OPERATOR_RESPOND", &[("offer", "FULL"), ("remedy", "全额退款")]).await;
    consumer.act(&case_no, "consumer", "CONSUMER_ACCEPT", &[]).await;
    assert_eq!(state_of(&app, &case_no).await, "RESOLVED");
    let page = consumer.get(&format!("/cases/{case_no}")).await.body;
    assert!(page.contains("id=\"rating-form\""));
    assert_eq!(page.matches("class=\"party\"").count(), 1, "only the operator handled it");
    assert!(page.contains("data-handler=\"OPERATOR\"") && !page.contains("data-handler=\"PLATFORM\""));
    // Others never rate.
    for who in ["operator@demo.redline", "platform@demo.redline"] {
        let p = app.signed_in(who).await.post_form(&path, &stars).await;
        assert!(p.body.contains("无权查看或执行此操作"), "{who}");
    }
    // An axis left out: refused, the stars chosen kept.
    let partial = consumer.post_form(&path, &[("OPERATOR_ATTITUDE", "4"), ("OPERATOR_SPEED", "2")]).await;
    assert!(partial.body.contains("请为每一项打1至5星"), "{}", partial.url);
    assert!(partial.body.contains("name=\"OPERATOR_ATTITUDE\" value=\"4\" checked"), "the stars chosen are kept");
    // A party that did not handle it cannot be slipped in.
    let slipped = consumer
        .post_form(
            &path,
            &[
                stars[0],
                stars[1],
                stars[2],
                ("PLATFORM_ATTITUDE", "1"),
                ("PLATFORM_SPEED", "1"),
                ("PLATFORM_OUTCOME", "1"),
            ],
        )
        .await;
    assert!(slipped.body.contains("只能评价处理过本案的一方"));
    assert_eq!(rating::Entity::find().count(&app.store().db).await.unwrap(), 0);
    let mut with_comment = stars.to_vec();
    with_comment.push(("comment", "退款很快，但客服回复慢"));
    let done = consumer.post_form(&path, &with_comment).await;
    assert!(done.body.contains("感谢您的评价"), "{}", done.url);
    assert!(done.body.contains("退款很快，但客服回复慢") && !done.body.contains("id=\"rating-form\""));
    let rows = rating::Entity::find().all(&app.store().db).await.unwrap();
    assert_eq!(
        rows.iter().map(|r| (r.handler.as_str(), r.attitude, r.speed, r.outcome)).collect::<Vec<_>>(),
        [("OPERATOR", 4, 2, 5)]
    );
    assert_eq!(case_events(&app, &case_no, "RATED").await, 1, "in the case's chain");
    let again = consumer.post_form(&path, &stars).await;
    assert!(again.body.contains("本案现在不能评价"), "once per party");
    // The operator reads it on the case; the platform's desk counts it.
    assert!(op.get(&format!("/cases/{case_no}")).await.body.contains("退款很快，但客服回复慢"));
    redline_store::desk::rebuild(app.store(), chrono::Duration::zero()).await.unwrap();
    let desk = app.signed_in("platform@demo.redline").await.get("/desk").await.body;
    let row = desk.split("<tr data-handler=\"OPERATOR\">").nth(1).expect("the operator's ratings on the desk");
    let row = row[..row.find("</tr>").unwrap()].replace("<!>", "");
    assert!(row.contains("<td>4.0</td><td>2.0</td><td>5.0</td><td>1</td>"), "{row}");
}

async fn t7_order121_a_case_that_reached_market_supervision_rates_all_three_parties(app: TestApp) {
    let consumer = app.signed_in("consumer@demo.redline").await;
    let case_no = escalated_case(&app, &consumer).await;
    let reg = app.signed_in("regulator@demo.redline").await;
    reg.act(
        &case_no,
        "regulator",
        "REGULATOR_REFUSE",
        &[("reason", "NOT_PERSONAL_CONSUMPTION"), ("message", "非生活消费")],
    )
    .await;
    let page = consumer.get(&format!("/cases/{case_no}")).await.body;
    assert_eq!(page.matches("class=\"party\"").count(), 3);
    // The agency alone now; the other two later.
    let p = consumer
        .post_form(
            &format!("/do/cases/{case_no}/rating"),
            &[("REGULATOR_ATTITUDE", "5"), ("REGULATOR_SPEED", "5"), ("REGULATOR_OUTCOME", "3")],
        )
        .await;
    assert!(p.body.contains("感谢您的评价"));
    assert_eq!(p.body.matches("class=\"party\"").count(), 2, "the operator and the platform remain");
    assert_eq!(rating::Entity::find().count(&app.store().db).await.unwrap(), 1);
}
