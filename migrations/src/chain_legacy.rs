//! Part of m002: chains the case events written before the hash chain existed,
//! once, as a data migration (so no start-up ever scans for unhashed rows).
use redline_rules::chain::{next_link, EventContent};
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{prelude::DateTimeUtc, ConnectionTrait, FromQueryResult};

#[derive(FromQueryResult)]
struct Row {
    id: i64,
    case_id: i64,
    seq: i32,
    at: DateTimeUtc,
    actor_user_id: Option<i64>,
    actor_role: String,
    event_type: String,
    transition_id: String,
    from_state: String,
    to_state: String,
    payload_json: String,
}

fn a(s: &str) -> Alias {
    Alias::new(s)
}

pub async fn chain_existing(m: &SchemaManager<'_>) -> Result<(), DbErr> {
    let db = m.get_connection();
    let backend = db.get_database_backend();
    let select = Query::select()
        .columns(
            [
                "id",
                "case_id",
                "seq",
                "at",
                "actor_user_id",
                "actor_role",
                "event_type",
                "transition_id",
                "from_state",
                "to_state",
                "payload_json",
            ]
            .map(a),
        )
        .from(a("case_events"))
        .order_by(a("case_id"), Order::Asc)
        .order_by(a("seq"), Order::Asc)
        .to_owned();
    let rows = Row::find_by_statement(backend.build(&select)).all(db).await?;
    let mut head: Option<(i64, i32, String)> = None;
    let mut heads = Vec::new();
    for r in rows {
        let last = match &head {
            Some((case, seq, hash)) if *case == r.case_id => Some((*seq, hash.as_str())),
            _ => {
                heads.extend(head.take());
                None
            }
        };
        // Hashed under the row's own number: a legacy gap stays visible to verification.
        let link = next_link(last, |_| EventContent {
            case_id: r.case_id,
            seq: r.seq,
            at_micros: r.at.timestamp_micros(),
            actor_user_id: r.actor_user_id,
            actor_role: &r.actor_role,
            event_type: &r.event_type,
            transition_id: &r.transition_id,
            from_state: &r.from_state,
            to_state: &r.to_state,
            payload_json: &r.payload_json,
        });
        let update = Query::update()
            .table(a("case_events"))
            .values([(a("prev_hash"), link.prev_hash.clone().into()), (a("hash"), link.hash.clone().into())])
            .and_where(Expr::col(a("id")).eq(r.id))
            .to_owned();
        m.exec_stmt(update).await?;
        head = Some((r.case_id, r.seq, link.hash));
    }
    heads.extend(head);
    for (case, seq, hash) in heads {
        let update = Query::update()
            .table(a("complaints"))
            .values([(a("chain_seq"), seq.into()), (a("chain_head"), hash.into())])
            .and_where(Expr::col(a("id")).eq(case))
            .to_owned();
        m.exec_stmt(update).await?;
    }
    Ok(())
}
