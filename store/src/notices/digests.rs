//! The daily digest: one message per person for notices that can wait.
use super::compose::{next_working_utc, DIGEST, DIGESTED, PENDING};
use crate::entity::{notification, user};
use crate::{Store, StoreError};
use redline_rules::notify::Kind;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait,
};

/// Gathers waiting digest items into one message per person, once a day, from
/// 09:00 on working days.
pub async fn build_digests(store: &Store) -> Result<usize, StoreError> {
    let now = store.now();
    if next_working_utc(now) != now {
        return Ok(0);
    }
    let users: Vec<Option<i64>> = notification::Entity::find()
        .filter(notification::Column::EmailStatus.eq(DIGEST))
        .select_only()
        .column(notification::Column::UserId)
        .distinct()
        .into_tuple()
        .all(&store.db)
        .await?;
    let mut n = 0;
    for uid in users.into_iter().flatten() {
        let txn = store.db.begin().await?;
        let items = notification::Entity::find()
            .filter(notification::Column::UserId.eq(uid))
            .filter(notification::Column::EmailStatus.eq(DIGEST))
            .order_by_asc(notification::Column::Id)
            .all(&txn)
            .await?;
        let Some(u) = user::Entity::find_by_id(uid).one(&txn).await? else { continue };
        let zh = u.locale != "en";
        let date = store.today();
        // Once a day: later items wait for tomorrow's digest.
        let key = format!("digest:u{uid}:{date}");
        if notification::Entity::find()
            .filter(notification::Column::DedupKey.eq(key.as_str()))
            .one(&txn)
            .await?
            .is_some()
        {
            continue;
        }
        let mut body = if zh {
            format!("您好：\n\n{date} 待办汇总（{} 项）：\n\n", items.len())
        } else {
            format!("Hello,\n\nDigest for {date} ({} items):\n\n", items.len())
        };
        for i in &items {
            body.push_str(&format!("- {}\n  {}\n", i.subject.trim_start_matches("[Redline] "), i.link));
        }
        let subject =
            if zh { format!("[Redline] 待办汇总 · {date}") } else { format!("[Redline] Digest · {date}") };
        let digest = notification::ActiveModel {
            user_id: Set(Some(uid)),
            email: Set(Some(u.email.clone())),
            locale: Set(u.locale.clone()),
            kind: Set(Kind::Digest.as_str().to_owned()),
            subject: Set(subject),
            body: Set(body),
            link: Set("/notifications".into()),
            dedup_key: Set(key),
            created_at: Set(now),
            read_at: Set(Some(now)),
            email_status: Set(PENDING.into()),
            attempts: Set(0),
            next_attempt_at: Set(now),
            lease_until: Set(None),
            sent_at: Set(None),
            last_error: Set(None),
            digest_id: Set(None),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        notification::Entity::update_many()
            .col_expr(notification::Column::EmailStatus, Expr::value(DIGESTED))
            .col_expr(notification::Column::DigestId, Expr::value(digest.id))
            .filter(notification::Column::Id.is_in(items.iter().map(|i| i.id)))
            .filter(notification::Column::EmailStatus.eq(DIGEST))
            .exec(&txn)
            .await?;
        txn.commit().await?;
        n += 1;
    }
    Ok(n)
}
