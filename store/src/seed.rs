//! Demo data for the embedded default: two platforms, operators with live rooms,
//! a stream session with its marketers and their MCN, county agencies and one
//! login per role. Idempotent: it only
//! seeds an empty database. The names are fictional.
use crate::actor::{ORG_AGENCY, ORG_OPERATOR, ORG_PLATFORM, ROLE_ADMIN, ROLE_STAFF};
use crate::entity::{
    agency, live_room, marketer, mcn, membership, operator, platform, session_marketer, stream_product, stream_session,
    user,
};
use crate::{Store, StoreError};
use chrono::Duration;
use redline_rules::credit_code::check_char;
use redline_rules::jurisdiction::region::{AgencyKind, Region};
use sea_orm::{ActiveModelTrait, ConnectionTrait, DbBackend, EntityTrait, PaginatorTrait, Set, TransactionTrait};

pub const DEMO_PASSWORD: &str = "redline-demo";
/// The demo platform's API key (星河直播), for trying the platform API.
pub const DEMO_API_KEY: &str = "rk_demo_xinghe_0123456789abcdef";

/// (role, email) of every demo login.
pub const DEMO_LOGINS: [(&str, &str); 7] = [
    ("consumer 消费者", "consumer@demo.redline"),
    ("operator 直播间运营者", "operator@demo.redline"),
    ("platform 平台", "platform@demo.redline"),
    ("regulator 市场监管", "regulator@demo.redline"),
    ("regulator 市场监管 (平台住所地)", "regulator2@demo.redline"),
    ("regulator 市场监管 (杭州市)", "regulator-city@demo.redline"),
    ("admin 管理员", "admin@demo.redline"),
];

pub struct Seeded {
    pub platform_id: i64,
    pub room_platform_id: String,
}

pub async fn seed_demo(store: &Store) -> Result<bool, StoreError> {
    let hash = crate::account::auth::hash_blocking(DEMO_PASSWORD).await;
    // All or nothing; on PostgreSQL, processes starting together take turns.
    let txn = store.db.begin().await?;
    if txn.get_database_backend() == DbBackend::Postgres {
        txn.execute_unprepared(&format!("SELECT pg_advisory_xact_lock({})", crate::db::SEED_LOCK)).await?;
    }
    if platform::Entity::find().count(&txn).await? > 0 {
        return Ok(false);
    }
    let db = &txn;
    let now = store.now();
    let p1 = platform::ActiveModel {
        code: Set("xinghe".into()),
        name: Set("星河直播".into()),
        name_en: Set("Xinghe Live".into()),
        uscc: Set("91330106MA2XXXXX12".into()),
        domicile_address: Set("浙江省杭州市西湖区文三路1号".into()),
        domicile_region: Set("330106".into()),
        policy_json: Set("{}".into()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let p2 = platform::ActiveModel {
        code: Set("yungou".into()),
        name: Set("云购直播".into()),
        name_en: Set("Yungou Live".into()),
        uscc: Set("91110108MA0XXXXX20".into()),
        domicile_address: Set("北京市海淀区中关村大街2号".into()),
        domicile_region: Set("110108".into()),
        policy_json: Set("{}".into()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let op1 = operator::ActiveModel {
        name: Set("杭州优选电子商务有限公司".into()),
        kind: Set("LEGAL_PERSON".into()),
        uscc: Set(Some("91330105MA2YYYYY32".into())),
        displayed_address: Set(Some("浙江省杭州市拱墅区湖墅南路8号".into())),
        displayed_region: Set(Some("330105".into())),
        domicile_region: Set(Some("330105".into())),
        business_region: Set(Some("330105".into())),
        reachable: Set(true),
        created_at: Set(now),
        platform_id: Set(Some(p1.id)),
        platform_ref: Set(Some("op-youxuan".into())),
        contact: Set(Some("0571-86000001".into())),
        business_address: Set(Some("浙江省杭州市拱墅区湖墅南路8号".into())),
        licences_json: Set(
            r#"[{"name":"食品经营许可证","number":"JY13301050000008","valid_until":"2028-12-31"}]"#.into()
        ),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let op2 = operator::ActiveModel {
        name: Set("张某某（个人）".into()),
        kind: Set("UNREGISTERED_PERSON".into()),
        uscc: Set(None),
        displayed_address: Set(None),
        displayed_region: Set(None),
        domicile_region: Set(None),
        reachable: Set(true),
        created_at: Set(now),
        // An unregistered natural person (Order 117 Art. 25 ¶3): the public sees
        // the room's name and city only.
        business_region: Set(Some("110108".into())),
        platform_id: Set(Some(p2.id)),
        platform_ref: Set(Some("op-zhang".into())),
        contact: Set(Some("13900000000".into())),
        masked_id: Set(Some("110108********0021".into())),
        business_address: Set(Some("北京市海淀区学院路1号".into())),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let disclosed = |name: &str, addr: &str| {
        serde_json::json!({ "seller": name, "address": addr, "art": "Order 117 Arts. 25-26" }).to_string()
    };
    let room1 = live_room::ActiveModel {
        platform_id: Set(p1.id),
        operator_id: Set(op1.id),
        platform_room_id: Set("XH-8801".into()),
        display_name: Set("优选好物直播间".into()),
        url: Set("https://live.xinghe.example/room/XH-8801".into()),
        disclosed_json: Set(disclosed("杭州优选电子商务有限公司", "浙江省杭州市拱墅区湖墅南路8号")),
        disclosed_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    live_room::ActiveModel {
        platform_id: Set(p2.id),
        operator_id: Set(op2.id),
        platform_room_id: Set("YG-1024".into()),
        display_name: Set("小张严选".into()),
        url: Set("https://yungou.example/live/YG-1024".into()),
        disclosed_json: Set(disclosed("张某某", "")),
        disclosed_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let session = stream_session::ActiveModel {
        live_room_id: Set(room1.id),
        started_at: Set(now - Duration::hours(3)),
        ended_at: Set(Some(now - Duration::hours(1))),
        replay_ref: Set(Some("replay://xinghe/XH-8801/latest".into())),
        platform_session_id: Set(Some("XH-8801-demo".into())),
        reported_by: Set("seed".into()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    // Who appeared in it, as the platform reported them (Order 117 Art. 28).
    let mcn_code = {
        let first: [u8; 17] = *b"91330105MA2XGCM01";
        format!("{}{}", std::str::from_utf8(&first).expect("ascii"), check_char(&first).expect("valid characters"))
    };
    let agency_mcn = mcn::ActiveModel {
        platform_id: Set(p1.id),
        platform_ref: Set("mcn-xingguang".into()),
        name: Set("杭州星光文化传媒有限公司".into()),
        uscc: Set(mcn_code),
        address: Set("浙江省杭州市拱墅区莫干山路100号".into()),
        region: Set(Some("330105".into())),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    for (pref, stage, account, virtual_human, mcn_id) in [
        ("host-xiaoyou", "小优", "xiaoyou_live", false, Some(agency_mcn.id)),
        ("host-xingxing", "虚拟主播星星", "xingxing_ai", true, None),
    ] {
        let m = marketer::ActiveModel {
            platform_id: Set(p1.id),
            platform_ref: Set(pref.into()),
            stage_name: Set(stage.into()),
            platform_account: Set(account.into()),
            is_virtual: Set(virtual_human),
            mcn_id: Set(mcn_id),
            identity_ref: Set(Some(format!("VERIFY-{pref}"))),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await?;
        session_marketer::ActiveModel { session_id: Set(session.id), marketer_id: Set(m.id), ..Default::default() }
            .insert(db)
            .await?;
    }
    // What the room showed, with the displayed and reference prices (Order 117 Art. 32).
    for (sku, name, price, reference, basis, claims) in [
        (
            "SKU-1001",
            "燕窝礼盒 6瓶装",
            19_900,
            Some(59_900),
            Some("划线价为品牌官方旗舰店近30日成交价"),
            Some("主播称：正品保障，假一赔十"),
        ),
        ("SKU-1002", "无线蓝牙耳机", 9_900, None, None, Some("主播称：续航48小时")),
    ] {
        stream_product::ActiveModel {
            session_id: Set(session.id),
            sku: Set(sku.into()),
            name: Set(name.into()),
            displayed_price_fen: Set(price),
            reference_price_fen: Set(reference),
            discount_basis: Set(basis.map(Into::into)),
            claims: Set(claims.map(Into::into)),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    let mut agency_ids = Vec::new();
    for (name, en, code) in [
        ("杭州市拱墅区市场监督管理局", "Gongshu District AMR, Hangzhou", "330105"),
        ("杭州市西湖区市场监督管理局", "Xihu District AMR, Hangzhou", "330106"),
        ("北京市海淀区市场监督管理局", "Haidian District AMR, Beijing", "110108"),
        // Covers both districts above: the case goes up to it, or down from it.
        ("杭州市市场监督管理局", "Hangzhou AMR", "330100"),
    ] {
        let a = agency::ActiveModel {
            name: Set(name.into()),
            name_en: Set(en.into()),
            region_code: Set(code.into()),
            level: Set(Region::parse(code).expect("seed region").level().as_str().into()),
            kind: Set(AgencyKind::MarketSupervision.as_str().into()),
            ..Default::default()
        }
        .insert(db)
        .await?;
        agency_ids.push(a.id);
    }
    // (email, name, membership, admin)
    type DemoUser<'a> = (&'a str, &'a str, Option<(&'a str, i64)>, bool);
    let orgs: [DemoUser; 7] = [
        ("consumer@demo.redline", "李消费", None, false),
        ("operator@demo.redline", "优选客服", Some((ORG_OPERATOR, op1.id)), false),
        ("platform@demo.redline", "星河平台客服", Some((ORG_PLATFORM, p1.id)), false),
        ("regulator@demo.redline", "拱墅区市监局", Some((ORG_AGENCY, agency_ids[0])), false),
        ("regulator2@demo.redline", "西湖区市监局", Some((ORG_AGENCY, agency_ids[1])), false),
        ("regulator-city@demo.redline", "杭州市市监局", Some((ORG_AGENCY, agency_ids[3])), false),
        ("admin@demo.redline", "管理员", None, true),
    ];
    for (email, name, org, admin) in orgs {
        let u = user::ActiveModel {
            email: Set(email.into()),
            display_name: Set(name.into()),
            password_hash: Set(hash.clone()),
            locale: Set("zh".into()),
            is_admin: Set(admin),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await?;
        if let Some((kind, id)) = org {
            membership::ActiveModel {
                user_id: Set(u.id),
                org_kind: Set(kind.into()),
                org_id: Set(id),
                // The demo platform's staff also manage its staff (`/org`).
                role: Set(if kind == ORG_PLATFORM { ROLE_ADMIN } else { ROLE_STAFF }.into()),
                ..Default::default()
            }
            .insert(db)
            .await?;
            // The demo platform's key, with every scope, issued by its administrator.
            if kind == ORG_PLATFORM {
                use crate::api::keys::{insert, KeyOrg, Scope};
                insert(db, id, KeyOrg::Platform(id), "demo", &Scope::ALL, DEMO_API_KEY, Some(u.id), now).await?;
            }
        }
    }
    txn.commit().await?;
    Ok(true)
}
