//! Cluster alerts (issue 14, part 2; Order 117 Art. 20 monitoring): five
//! complaints about one room within a day raise one alert for the platform
//! and the agency; later ones join it; acknowledged with a note, closed; the
//! next bunch raises a new one.
use crate::helpers::{case_row, file_case, TestApp};
use redline_store::entity::{cluster_alert, notification, user};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

on_both_backends!(
    order117_art20_a_bunch_of_complaints_about_one_room_raises_one_alert_per_cluster,
    order117_art20_three_complaints_naming_one_product_raise_its_alert,
    order117_art20_complaints_filed_at_the_same_moment_raise_one_alert_listing_every_case
);

async fn alerts(app: &TestApp) -> Vec<cluster_alert::Model> {
    cluster_alert::Entity::find().all(&app.store().db).await.unwrap()
}

async fn told(app: &TestApp, email: &str) -> u64 {
    let u = user::Entity::find().filter(user::Column::Email.eq(email)).one(&app.store().db).await.unwrap().unwrap();
    notification::Entity::find()
        .filter(notification::Column::UserId.eq(u.id))
        .filter(notification::Column::Kind.eq("CLUSTER_ALERT"))
        .count(&app.store().db)
        .await
        .unwrap()
}

async fn order117_art20_a_bunch_of_complaints_about_one_room_raises_one_alert_per_cluster(app: TestApp) {
    let consumer = app.signed_in("consumer@demo.redline").await;
    let mut cases = Vec::new();
    for _ in 0..4 {
        cases.push(file_case(&consumer).await);
    }
    assert_eq!(alerts(&app).await.len(), 0, "four in a day: no alert");
    cases.push(file_case(&consumer).await);
    let a = alerts(&app).await;
    assert_eq!(a.len(), 1, "the fifth raises one");
    let listed: Vec<i64> = serde_json::from_str(&a[0].case_ids_json).unwrap();
    let mut ids = Vec::new();
    for c in &cases {
        ids.push(case_row(&app, c).await.id);
    }
    assert_eq!(listed, ids, "the window's cases, in filing order");
    assert_eq!((told(&app, "platform@demo.redline").await, told(&app, "regulator@demo.redline").await), (1, 1));
    // A sixth joins it: still one alert, nobody told twice.
    let sixth = file_case(&consumer).await;
    let a = alerts(&app).await;
    assert_eq!(a.len(), 1);
    assert_eq!(serde_json::from_str::<Vec<i64>>(&a[0].case_ids_json).unwrap().len(), 6);
    assert_eq!(told(&app, "platform@demo.redline").await, 1);

    // The desks: the platform and the agency see it with its cases; a consumer does not.
    let plat = app.signed_in("platform@demo.redline").await;
    let list = plat.get("/alerts").await;
    assert!(list.body.contains(&format!("data-alert=\"{}\"", a[0].id)), "on the platform's list");
    let page = plat.get(&format!("/alerts/{}", a[0].id)).await;
    assert_eq!(page.body.matches("<tr data-case=").count(), 6);
    assert!(page.body.contains(&sixth) && page.body.contains("开播后 00:42:10"));
    assert_eq!(consumer.get(&format!("/alerts/{}", a[0].id)).await.status, 404);
    let reg = app.signed_in("regulator@demo.redline").await;
    assert_eq!(reg.get(&format!("/alerts/{}", a[0].id)).await.status, 200);

    // Acknowledged only with a note; then closed.
    let path = format!("/do/alerts/{}", a[0].id);
    let p = plat.post_form(&path, &[("to", "ACKNOWLEDGED"), ("note", "")]).await;
    assert!(p.body.contains("请写明已采取或将采取的措施"));
    assert_eq!(alerts(&app).await[0].state, "OPEN");
    plat.post_form(&path, &[("to", "ACKNOWLEDGED"), ("note", "已约谈直播间运营者，下架涉事商品")]).await;
    assert_eq!(alerts(&app).await[0].state, "ACKNOWLEDGED");
    reg.post_form(&path, &[("to", "CLOSED"), ("note", "")]).await;
    assert_eq!(alerts(&app).await[0].state, "CLOSED");
    let again = reg.post_form(&path, &[("to", "ACKNOWLEDGED"), ("note", "再次")]).await;
    assert!(again.body.contains("该提醒已处理"), "closed stays closed");

    // Closed: the room's next complaint (the window still holds seven) raises a new alert.
    file_case(&consumer).await;
    let a = alerts(&app).await;
    assert_eq!(a.len(), 2, "a new cluster after the close");
    assert_eq!(a.iter().filter(|x| x.state == "OPEN").count(), 1);
    assert_eq!(told(&app, "platform@demo.redline").await, 2);
}

async fn order117_art20_three_complaints_naming_one_product_raise_its_alert(app: TestApp) {
    use crate::helpers::complaint_form;
    use redline_store::entity::{stream_product, stream_session};
    let consumer = app.signed_in("consumer@demo.redline").await;
    let session = stream_session::Entity::find().one(&app.store().db).await.unwrap().unwrap();
    let product = stream_product::Entity::find()
        .filter(stream_product::Column::Sku.eq("SKU-1001"))
        .one(&app.store().db)
        .await
        .unwrap()
        .unwrap();
    let mut form: Vec<(&'static str, String)> =
        complaint_form("1").into_iter().filter(|(k, _)| *k != "product").collect();
    form.retain(|(k, _)| *k != "session");
    form.push(("session", session.id.to_string()));
    form.push(("product_id", product.id.to_string()));
    form.push(("product", String::new()));
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let mut cases = Vec::new();
    for _ in 0..2 {
        cases.push(consumer.post_multipart("/do/complaints", &pairs, &[]).await.url);
        // A complaint about the room without the product does not count for it.
        file_case(&consumer).await;
    }
    assert_eq!(alerts(&app).await.len(), 0, "two about the product, four about the room: no alert");
    cases.push(consumer.post_multipart("/do/complaints", &pairs, &[]).await.url);
    let a = alerts(&app).await;
    assert_eq!(a.len(), 2, "the product's third raises its alert, and the room's fifth the room's");
    let by_product = a.iter().find(|x| x.subject == "PRODUCT").expect("a product alert");
    assert_eq!(by_product.subject_id, product.id);
    assert_eq!(serde_json::from_str::<Vec<i64>>(&by_product.case_ids_json).unwrap().len(), 3);
    assert_eq!(a.iter().filter(|x| x.subject == "ROOM").count(), 1);
    // A fourth joins the open product alert: still two alerts.
    consumer.post_multipart("/do/complaints", &pairs, &[]).await;
    let a = alerts(&app).await;
    assert_eq!(a.len(), 2);
    let by_product = a.iter().find(|x| x.subject == "PRODUCT").unwrap();
    assert_eq!(serde_json::from_str::<Vec<i64>>(&by_product.case_ids_json).unwrap().len(), 4);
    let plat = app.signed_in("platform@demo.redline").await;
    let page = plat.get(&format!("/alerts/{}", by_product.id)).await;
    assert!(page.body.contains(&format!("商品：{}", product.name)), "the alert names the product");
}

/// Ten complaints about one room posted at once: on PostgreSQL each filing is
/// its own transaction, and without the subjects' locks they raised none, or
/// several, or lost cases from the list. One alert, every case on it, each
/// desk told once.
async fn order117_art20_complaints_filed_at_the_same_moment_raise_one_alert_listing_every_case(app: TestApp) {
    let consumer = app.signed_in("consumer@demo.redline").await;
    let filed = futures_util::future::join_all((0..10).map(|_| file_case(&consumer))).await;
    let mut ids = Vec::new();
    for c in &filed {
        ids.push(case_row(&app, c).await.id);
    }
    ids.sort_unstable();
    let a = alerts(&app).await;
    assert_eq!(a.len(), 1, "one alert for the room: {a:?}");
    let mut listed: Vec<i64> = serde_json::from_str(&a[0].case_ids_json).unwrap();
    listed.sort_unstable();
    assert_eq!((listed.len(), listed), (10, ids));
    assert_eq!((told(&app, "platform@demo.redline").await, told(&app, "regulator@demo.redline").await), (1, 1));
}
