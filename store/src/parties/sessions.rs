//! Who appeared in which session (Order 117 Art. 28: the operator reports the
//! marketers before every stream, the platform passes them on): written with
//! the session report, read by the room page and the complaint form.
use crate::entity::{marketer, session_marketer};
use crate::StoreError;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use std::collections::HashMap;

/// Who appeared in a session, as the platform reported it. Replaces the
/// session's list (a re-sent report is the platform's current truth); an ID
/// the platform never reported is refused.
pub async fn set_session_marketers(
    txn: &impl ConnectionTrait,
    platform_id: i64,
    session_id: i64,
    refs: &[String],
) -> Result<(), StoreError> {
    let found = marketer::Entity::find()
        .filter(marketer::Column::PlatformId.eq(platform_id))
        .filter(marketer::Column::PlatformRef.is_in(refs.iter().cloned()))
        .all(txn)
        .await?;
    if let Some(missing) = refs.iter().find(|r| !found.iter().any(|m| &m.platform_ref == *r)) {
        return Err(StoreError::Field(redline_rules::FieldError::new(
            "marketers",
            format!("本平台尚未报送主播ID {missing}"),
            format!("This platform has not reported the marketer ID {missing}"),
        )));
    }
    session_marketer::Entity::delete_many()
        .filter(session_marketer::Column::SessionId.eq(session_id))
        .exec(txn)
        .await?;
    let rows: Vec<_> = found
        .iter()
        .map(|m| session_marketer::ActiveModel {
            session_id: Set(session_id),
            marketer_id: Set(m.id),
            ..Default::default()
        })
        .collect();
    if !rows.is_empty() {
        session_marketer::Entity::insert_many(rows).exec_without_returning(txn).await?;
    }
    Ok(())
}

/// The marketers of each of these sessions, by session.
pub async fn marketers_of_sessions(
    db: &impl ConnectionTrait,
    session_ids: &[i64],
) -> Result<HashMap<i64, Vec<marketer::Model>>, StoreError> {
    if session_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let links = session_marketer::Entity::find()
        .filter(session_marketer::Column::SessionId.is_in(session_ids.iter().copied()))
        .all(db)
        .await?;
    if links.is_empty() {
        return Ok(HashMap::new());
    }
    let people: HashMap<i64, marketer::Model> = marketer::Entity::find()
        .filter(marketer::Column::Id.is_in(links.iter().map(|l| l.marketer_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.id, m))
        .collect();
    let mut out: HashMap<i64, Vec<marketer::Model>> = HashMap::new();
    for l in links {
        if let Some(m) = people.get(&l.marketer_id) {
            out.entry(l.session_id).or_default().push(m.clone());
        }
    }
    for v in out.values_mut() {
        v.sort_by_key(|m| m.id);
    }
    Ok(out)
}
