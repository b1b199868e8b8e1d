//! Which market-supervision agency receives a case or a tip (Order 121
//! Arts. 13–14 for complaints, Art. 31 for tips): the candidate regions in
//! order, with their legal basis, and the first of them with an agency on Redline.
use crate::entity::{agency, complaint};
use crate::StoreError;
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter};
use serde::{Deserialize, Serialize};

/// A candidate agency region with its legal basis (Order 121 Art. 13).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Jurisdiction {
    pub region: String,
    pub basis: String,
    pub basis_zh: String,
}

/// Art. 14: the first candidate agency Redline knows receives the case.
pub async fn first_agency(txn: &DatabaseTransaction, c: &complaint::Model) -> Result<Option<i64>, StoreError> {
    let cands: Vec<Jurisdiction> = serde_json::from_str(&c.jurisdiction_json).unwrap_or_default();
    for j in cands {
        if let Some(a) = agency::Entity::find().filter(agency::Column::RegionCode.eq(j.region)).one(txn).await? {
            return Ok(Some(a.id));
        }
    }
    Ok(None)
}
