//! What a backup must carry and what a restore must prove: the evidence files
//! the database refers to, and every case's and tip's hash chain intact.
//! Read a page of rows at a time, so an audit of a million cases runs in
//! flat memory.
use crate::chain::{verify_events, verify_tip};
use crate::entity::{case_event, complaint, evidence, tip, tip_event, tip_evidence};
use crate::StoreError;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::{BTreeMap, BTreeSet};

const PAGE: u64 = 500;

/// Every stored file the database refers to (evidence, its display copies,
/// tips' evidence), by SHA-256.
pub async fn referenced_blobs(db: &DatabaseConnection) -> Result<BTreeSet<String>, StoreError> {
    let mut out = BTreeSet::new();
    let rows: Vec<(String, Option<String>)> = evidence::Entity::find()
        .select_only()
        .column(evidence::Column::Sha256)
        .column(evidence::Column::DisplaySha256)
        .into_tuple()
        .all(db)
        .await?;
    for (sha, display) in rows {
        out.insert(sha);
        out.extend(display);
    }
    let tips: Vec<String> =
        tip_evidence::Entity::find().select_only().column(tip_evidence::Column::Sha256).into_tuple().all(db).await?;
    out.extend(tips);
    Ok(out)
}

/// The outcome of checking every chain.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ChainAudit {
    pub cases: u64,
    pub tips: u64,
    /// Case or tip number, the first broken event's sequence, and what is wrong.
    pub broken: Vec<(String, i32, String)>,
}

/// Verifies every case's and tip's hash chain against its recorded head.
pub async fn verify_all_chains(db: &DatabaseConnection) -> Result<ChainAudit, StoreError> {
    let mut audit = ChainAudit::default();
    let mut after = 0i64;
    loop {
        let cases = complaint::Entity::find()
            .filter(complaint::Column::Id.gt(after))
            .order_by_asc(complaint::Column::Id)
            .limit(PAGE)
            .all(db)
            .await?;
        let Some(last) = cases.last() else { break };
        after = last.id;
        let ids: Vec<i64> = cases.iter().map(|c| c.id).collect();
        let events = case_event::Entity::find()
            .filter(case_event::Column::CaseId.is_in(ids))
            .order_by_asc(case_event::Column::CaseId)
            .order_by_asc(case_event::Column::Seq)
            .all(db)
            .await?;
        let mut by_case: BTreeMap<i64, Vec<case_event::Model>> = BTreeMap::new();
        for e in events {
            by_case.entry(e.case_id).or_default().push(e);
        }
        for c in &cases {
            let own = by_case.remove(&c.id).unwrap_or_default();
            audit.cases += 1;
            if let Some((seq, why)) = verify_events(c, &own).broken_at {
                audit.broken.push((c.case_no.clone(), seq, why.en().to_owned()));
            }
        }
    }
    let mut after = 0i64;
    loop {
        let tips = tip::Entity::find()
            .filter(tip::Column::Id.gt(after))
            .order_by_asc(tip::Column::Id)
            .limit(PAGE)
            .all(db)
            .await?;
        let Some(last) = tips.last() else { break };
        after = last.id;
        let ids: Vec<i64> = tips.iter().map(|t| t.id).collect();
        let events = tip_event::Entity::find()
            .filter(tip_event::Column::TipId.is_in(ids))
            .order_by_asc(tip_event::Column::TipId)
            .order_by_asc(tip_event::Column::Seq)
            .all(db)
            .await?;
        let mut by_tip: BTreeMap<i64, Vec<tip_event::Model>> = BTreeMap::new();
        for e in events {
            by_tip.entry(e.tip_id).or_default().push(e);
        }
        for t in &tips {
            let own = by_tip.remove(&t.id).unwrap_or_default();
            audit.tips += 1;
            if let Some((seq, why)) = verify_tip(t, &own).broken_at {
                audit.broken.push((t.tip_no.clone(), seq, why.en().to_owned()));
            }
        }
    }
    Ok(audit)
}
