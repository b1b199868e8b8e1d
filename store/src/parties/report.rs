//! A platform reports its parties (Order 117 Arts. 8–9, 25) in bulk, keyed by
//! its own IDs: MCNs, then operators and marketers (which may name an MCN),
//! then rooms (which name an operator), in one transaction. Sending the same
//! batch again changes nothing and records nothing (safe to retry); each item
//! that changes is written and recorded in `party_changes` with when the
//! platform learned of it, flagged late after the Art. 15 period.
//!
//! Rows are read and written a chunk at a time (one statement per chunk and
//! table), so a nightly sync of 10,000 rooms is a few dozen statements.
use crate::entity::{live_room, marketer, mcn, operator, party_change};
use crate::{Store, StoreError};
use chrono::{DateTime, Utc};
use redline_rules::field::{FieldError, FieldErrors};
use redline_rules::parties::{report::is_late, MarketerReport, McnReport, OperatorReport, RoomReport};
use redline_rules::Calendar;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter, Set, TransactionTrait};
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// Rows per statement: far below SQLite's and PostgreSQL's parameter limits.
const CHUNK: usize = 500;
/// Items one call may carry, per kind (a platform's nightly sync fits).
pub const MAX_ITEMS: usize = 20_000;

#[derive(Debug, Default)]
pub struct Batch {
    pub mcns: Vec<McnReport>,
    pub operators: Vec<OperatorReport>,
    pub marketers: Vec<MarketerReport>,
    pub rooms: Vec<RoomReport>,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
}

#[derive(Debug, Default, Serialize)]
pub struct Outcome {
    pub mcns: Counts,
    pub operators: Counts,
    pub marketers: Counts,
    pub rooms: Counts,
    /// Changes recorded as reported after the Order 117 Art. 15 period.
    pub late: usize,
}

pub const MCN: &str = "MCN";
pub const OPERATOR: &str = "OPERATOR";
pub const MARKETER: &str = "MARKETER";
pub const ROOM: &str = "ROOM";

/// Records `batch` for `platform_id`; `channel` is "api" or "staff".
pub async fn report(store: &Store, platform_id: i64, batch: &Batch, channel: &str) -> Result<Outcome, StoreError> {
    check_sizes_and_duplicates(batch)?;
    let now = store.now();
    let txn = store.db.begin().await?;
    let mut w = Writer { txn: &txn, platform_id, now, channel, changes: Vec::new(), errors: FieldErrors::default() };
    let mut out = Outcome { mcns: w.mcns(&batch.mcns).await?, ..Default::default() };
    let mcn_ids = w
        .ids::<mcn::Entity>(refs_in(
            batch
                .operators
                .iter()
                .filter_map(|o| o.mcn_ref.as_deref())
                .chain(batch.marketers.iter().filter_map(|m| m.mcn_ref.as_deref())),
        ))
        .await?;
    out.operators = w.operators(&batch.operators, &mcn_ids).await?;
    out.marketers = w.marketers(&batch.marketers, &mcn_ids).await?;
    let ops = w.existing::<operator::Entity>(&refs_in(batch.rooms.iter().map(|r| r.operator_ref.as_str()))).await?;
    out.rooms = w.rooms(&batch.rooms, &ops).await?;
    if !w.errors.is_empty() {
        return Err(StoreError::Fields(w.errors));
    }
    out.late = w.changes.iter().filter(|c| c.late == Set(true)).count();
    for chunk in w.changes.chunks(CHUNK) {
        party_change::Entity::insert_many(chunk.to_vec()).exec_without_returning(&txn).await?;
    }
    txn.commit().await?;
    Ok(out)
}

fn refs_in<'a>(it: impl Iterator<Item = &'a str>) -> Vec<String> {
    it.map(str::to_owned).collect::<HashSet<_>>().into_iter().collect()
}

/// One call names each party once: two different states of one ID in one
/// report cannot both be true.
fn check_sizes_and_duplicates(b: &Batch) -> Result<(), StoreError> {
    let mut e = FieldErrors::default();
    let mut check = |kind: &str, refs: Vec<&str>| {
        if refs.len() > MAX_ITEMS {
            e.push(FieldError::new(
                kind.to_owned(),
                format!("每次最多报送{MAX_ITEMS}项"),
                format!("At most {MAX_ITEMS} items per call"),
            ));
        }
        let mut seen = HashSet::new();
        for (i, r) in refs.into_iter().enumerate() {
            if !seen.insert(r) {
                e.push(FieldError::new(
                    format!("{kind}[{i}].id"),
                    "同一次报送中ID重复",
                    "This ID appears twice in one report",
                ));
            }
        }
    };
    check("mcns", b.mcns.iter().map(|x| x.platform_ref.as_str()).collect());
    check("operators", b.operators.iter().map(|x| x.platform_ref.as_str()).collect());
    check("marketers", b.marketers.iter().map(|x| x.platform_ref.as_str()).collect());
    check("rooms", b.rooms.iter().map(|x| x.platform_ref.as_str()).collect());
    e.into_result().map_err(StoreError::Fields)
}

struct Writer<'a> {
    txn: &'a DatabaseTransaction,
    platform_id: i64,
    now: DateTime<Utc>,
    channel: &'a str,
    changes: Vec<party_change::ActiveModel>,
    errors: FieldErrors,
}

/// A table whose rows a platform keys by its own ID.
trait Keyed: EntityTrait {
    fn platform_col() -> Self::Column;
    fn ref_col() -> Self::Column;
    fn key(m: &Self::Model) -> (i64, String);
}

macro_rules! keyed {
    ($m:ident, |$x:ident| $get:expr) => {
        impl Keyed for $m::Entity {
            fn platform_col() -> $m::Column {
                $m::Column::PlatformId
            }
            fn ref_col() -> $m::Column {
                $m::Column::PlatformRef
            }
            fn key($x: &$m::Model) -> (i64, String) {
                $get
            }
        }
    };
}
keyed!(mcn, |m| (m.id, m.platform_ref.clone()));
keyed!(marketer, |m| (m.id, m.platform_ref.clone()));
keyed!(operator, |m| (m.id, m.platform_ref.clone().unwrap_or_default()));

impl Writer<'_> {
    /// This platform's rows of `E` with these IDs, by ID.
    async fn existing<E: Keyed>(&self, refs: &[String]) -> Result<HashMap<String, E::Model>, StoreError> {
        let mut out = HashMap::with_capacity(refs.len());
        for chunk in refs.chunks(CHUNK) {
            for m in E::find()
                .filter(E::platform_col().eq(self.platform_id))
                .filter(E::ref_col().is_in(chunk.iter().cloned()))
                .all(self.txn)
                .await?
            {
                let (_, r) = E::key(&m);
                out.insert(r, m);
            }
        }
        Ok(out)
    }

    async fn ids<E: Keyed>(&self, refs: Vec<String>) -> Result<HashMap<String, i64>, StoreError> {
        Ok(self.existing::<E>(&refs).await?.values().map(E::key).map(|(id, r)| (r, id)).collect())
    }

    fn record(&mut self, kind: &str, party_ref: &str, learned_at: DateTime<Utc>, snapshot: &impl Serialize) {
        self.changes.push(party_change::ActiveModel {
            platform_id: Set(self.platform_id),
            party_kind: Set(kind.to_owned()),
            party_ref: Set(party_ref.to_owned()),
            learned_at: Set(learned_at),
            reported_at: Set(self.now),
            late: Set(is_late(learned_at, self.now, Calendar::official())),
            channel: Set(self.channel.to_owned()),
            snapshot_json: Set(serde_json::to_string(snapshot).expect("reports serialize")),
            ..Default::default()
        });
    }

    /// The reference an item makes to another party, or its error.
    fn resolve(&mut self, ids: &HashMap<String, i64>, r: Option<&str>, field: String) -> Option<i64> {
        let r = r?;
        let id = ids.get(r).copied();
        if id.is_none() {
            self.errors.push(FieldError::new(field, "本平台尚未报送该ID", "This platform has not reported this ID"));
        }
        id
    }

    async fn mcns(&mut self, items: &[McnReport]) -> Result<Counts, StoreError> {
        let old =
            self.existing::<mcn::Entity>(&items.iter().map(|i| i.platform_ref.clone()).collect::<Vec<_>>()).await?;
        let mut rows = Vec::new();
        let mut n = Counts::default();
        for it in items {
            let row = mcn::ActiveModel {
                platform_id: Set(self.platform_id),
                platform_ref: Set(it.platform_ref.clone()),
                name: Set(it.name.clone()),
                uscc: Set(it.credit_code.as_str().to_owned()),
                address: Set(it.address.clone()),
                region: Set(it.region.as_ref().map(|r| r.to_string())),
                updated_at: Set(self.now),
                ..Default::default()
            };
            let same = old.get(&it.platform_ref).map(|o| {
                (&o.name, &o.uscc, &o.address, &o.region)
                    == (
                        &it.name,
                        &it.credit_code.as_str().to_owned(),
                        &it.address,
                        &it.region.as_ref().map(|r| r.to_string()),
                    )
            });
            if tally(&mut n, same) {
                self.record(MCN, &it.platform_ref, it.learned_at, it);
                rows.push(row);
            }
        }
        use mcn::Column as C;
        upsert::<mcn::Entity>(
            self.txn,
            rows,
            [C::PlatformId, C::PlatformRef],
            [C::Name, C::Uscc, C::Address, C::Region, C::UpdatedAt],
        )
        .await?;
        Ok(n)
    }

    async fn operators(
        &mut self,
        items: &[OperatorReport],
        mcn_ids: &HashMap<String, i64>,
    ) -> Result<Counts, StoreError> {
        let old = self
            .existing::<operator::Entity>(&items.iter().map(|i| i.platform_ref.clone()).collect::<Vec<_>>())
            .await?;
        let mut rows = Vec::new();
        let mut changed_existing = Vec::new();
        let mut n = Counts::default();
        for (i, it) in items.iter().enumerate() {
            let mcn_id = self.resolve(mcn_ids, it.mcn_ref.as_deref(), format!("operators[{i}].mcn"));
            let licences = serde_json::to_string(&it.licences).expect("licences serialize");
            let region = |r: &Option<redline_rules::RegionCode>| r.as_ref().map(|r| r.to_string());
            let row = operator::ActiveModel {
                name: Set(it.name.clone()),
                kind: Set(it.kind.as_str().to_owned()),
                uscc: Set(it.credit_code.as_ref().map(|c| c.as_str().to_owned())),
                displayed_address: Set(it.displayed_address.clone()),
                displayed_region: Set(region(&it.displayed_region)),
                // A registered operator's domicile is where its code was registered.
                domicile_region: Set(it
                    .credit_code
                    .as_ref()
                    .map(|c| c.region().to_owned())
                    .filter(|r| !r.ends_with("00"))),
                reachable: Set(true),
                created_at: Set(self.now),
                business_region: Set(region(&it.business_region)),
                platform_id: Set(Some(self.platform_id)),
                platform_ref: Set(Some(it.platform_ref.clone())),
                contact: Set(it.contact.clone()),
                masked_id: Set(it.masked_id.clone()),
                business_address: Set(it.business_address.clone()),
                licences_json: Set(licences.clone()),
                mcn_id: Set(mcn_id),
                ..Default::default()
            };
            let same = old.get(&it.platform_ref).map(|o| {
                o.name == it.name
                    && o.kind == it.kind.as_str()
                    && o.uscc.as_deref() == it.credit_code.as_ref().map(|c| c.as_str())
                    && o.displayed_address == it.displayed_address
                    && o.displayed_region == region(&it.displayed_region)
                    && o.business_region == region(&it.business_region)
                    && o.contact == it.contact
                    && o.masked_id == it.masked_id
                    && o.business_address == it.business_address
                    && o.licences_json == licences
                    && o.mcn_id == mcn_id
            });
            if tally(&mut n, same) {
                if let Some(o) = old.get(&it.platform_ref) {
                    changed_existing.push((o.id, it.name.clone(), it.displayed_address.clone()));
                }
                self.record(OPERATOR, &it.platform_ref, it.learned_at, it);
                rows.push(row);
            }
        }
        use operator::Column as C;
        upsert::<operator::Entity>(
            self.txn,
            rows,
            [C::PlatformId, C::PlatformRef],
            [
                C::Name,
                C::Kind,
                C::Uscc,
                C::DisplayedAddress,
                C::DisplayedRegion,
                C::DomicileRegion,
                C::BusinessRegion,
                C::Contact,
                C::MaskedId,
                C::BusinessAddress,
                C::LicencesJson,
                C::McnId,
            ],
        )
        .await?;
        // Rooms show their operator's disclosure (Order 117 Art. 26): a changed
        // operator changes what its rooms disclose from now on.
        for (id, name, address) in changed_existing {
            live_room::Entity::update_many()
                .set(live_room::ActiveModel {
                    disclosed_json: Set(disclosure(&name, address.as_deref())),
                    disclosed_at: Set(self.now),
                    ..Default::default()
                })
                .filter(live_room::Column::OperatorId.eq(id))
                .exec(self.txn)
                .await?;
        }
        Ok(n)
    }

    async fn marketers(
        &mut self,
        items: &[MarketerReport],
        mcn_ids: &HashMap<String, i64>,
    ) -> Result<Counts, StoreError> {
        let old = self
            .existing::<marketer::Entity>(&items.iter().map(|i| i.platform_ref.clone()).collect::<Vec<_>>())
            .await?;
        let mut rows = Vec::new();
        let mut n = Counts::default();
        for (i, it) in items.iter().enumerate() {
            let mcn_id = self.resolve(mcn_ids, it.mcn_ref.as_deref(), format!("marketers[{i}].mcn"));
            let same = old.get(&it.platform_ref).map(|o| {
                (&o.stage_name, &o.platform_account, o.is_virtual, o.mcn_id, &o.identity_ref)
                    == (&it.stage_name, &it.platform_account, it.is_virtual, mcn_id, &it.identity_ref)
            });
            if tally(&mut n, same) {
                self.record(MARKETER, &it.platform_ref, it.learned_at, it);
                rows.push(marketer::ActiveModel {
                    platform_id: Set(self.platform_id),
                    platform_ref: Set(it.platform_ref.clone()),
                    stage_name: Set(it.stage_name.clone()),
                    platform_account: Set(it.platform_account.clone()),
                    is_virtual: Set(it.is_virtual),
                    mcn_id: Set(mcn_id),
                    identity_ref: Set(it.identity_ref.clone()),
                    updated_at: Set(self.now),
                    ..Default::default()
                });
            }
        }
        use marketer::Column as C;
        upsert::<marketer::Entity>(
            self.txn,
            rows,
            [C::PlatformId, C::PlatformRef],
            [C::StageName, C::PlatformAccount, C::IsVirtual, C::McnId, C::IdentityRef, C::UpdatedAt],
        )
        .await?;
        Ok(n)
    }

    async fn rooms(
        &mut self,
        items: &[RoomReport],
        ops: &HashMap<String, operator::Model>,
    ) -> Result<Counts, StoreError> {
        let refs: Vec<String> = items.iter().map(|i| i.platform_ref.clone()).collect();
        let mut old = HashMap::with_capacity(refs.len());
        for chunk in refs.chunks(CHUNK) {
            for r in live_room::Entity::find()
                .filter(live_room::Column::PlatformId.eq(self.platform_id))
                .filter(live_room::Column::PlatformRoomId.is_in(chunk.iter().cloned()))
                .all(self.txn)
                .await?
            {
                old.insert(r.platform_room_id.clone(), r);
            }
        }
        let mut rows = Vec::new();
        let mut n = Counts::default();
        for (i, it) in items.iter().enumerate() {
            let Some(op) = ops.get(&it.operator_ref) else {
                self.errors.push(FieldError::new(
                    format!("rooms[{i}].operator"),
                    "本平台尚未报送该运营者ID",
                    "This platform has not reported this operator ID",
                ));
                continue;
            };
            let disclosed = disclosure(&op.name, op.displayed_address.as_deref());
            let same = old.get(&it.platform_ref).map(|o: &live_room::Model| {
                (o.operator_id, &o.display_name, &o.url, &o.disclosed_json)
                    == (op.id, &it.display_name, &it.url, &disclosed)
            });
            if tally(&mut n, same) {
                self.record(ROOM, &it.platform_ref, it.learned_at, it);
                rows.push(live_room::ActiveModel {
                    platform_id: Set(self.platform_id),
                    operator_id: Set(op.id),
                    platform_room_id: Set(it.platform_ref.clone()),
                    display_name: Set(it.display_name.clone()),
                    url: Set(it.url.clone()),
                    disclosed_json: Set(disclosed),
                    disclosed_at: Set(self.now),
                    ..Default::default()
                });
            }
        }
        use live_room::Column as C;
        upsert::<live_room::Entity>(
            self.txn,
            rows,
            [C::PlatformId, C::PlatformRoomId],
            [C::OperatorId, C::DisplayName, C::Url, C::DisclosedJson, C::DisclosedAt],
        )
        .await?;
        Ok(n)
    }
}

/// Counts an item; true when it must be written (new or changed).
fn tally(n: &mut Counts, same: Option<bool>) -> bool {
    match same {
        None => n.created += 1,
        Some(false) => n.updated += 1,
        Some(true) => n.unchanged += 1,
    }
    same != Some(true)
}

/// What a room shows of its seller (Order 117 Arts. 25–26), as filing snapshots it.
pub fn disclosure(seller: &str, address: Option<&str>) -> String {
    serde_json::json!({ "seller": seller, "address": address.unwrap_or(""), "art": "Order 117 Arts. 25-26" })
        .to_string()
}

async fn upsert<E: EntityTrait>(
    db: &impl ConnectionTrait,
    rows: Vec<E::ActiveModel>,
    key: [E::Column; 2],
    update: impl IntoIterator<Item = E::Column> + Clone,
) -> Result<(), StoreError> {
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<_> = rows.by_ref().take(CHUNK).collect();
        E::insert_many(chunk)
            .on_conflict(OnConflict::columns(key).update_columns(update.clone()).to_owned())
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}
