//! What a key reads: its organisation's cases and tips in filing order
//! (keyset pages, an opaque cursor; `updated_since` for a sync), and one case's dossier as the
//! organisation's staff see it on the page.
use crate::api::keys::{ApiCaller, KeyOrg};
use crate::entity::{complaint, live_room, tip};
use crate::{Store, StoreError};
use base64::Engine;
use chrono::{DateTime, NaiveDate, Utc};
use redline_rules::case::{CaseState, Tier};
use redline_rules::jurisdiction::RespondentKind;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Select};
use std::collections::HashMap;

/// The largest page a key may ask for.
pub const MAX_LIMIT: u64 = 500;

/// Position after the last row, written opaquely. Rows come in the order
/// they were created, which never changes; a client that syncs asks for
/// `updated_since` its last run and walks the pages.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Cursor {
    pub id: i64,
}

impl Cursor {
    pub fn encode(&self) -> String {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("c1.{}", self.id))
    }
    pub fn decode(s: &str) -> Option<Cursor> {
        let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(s).ok()?;
        let id = std::str::from_utf8(&raw).ok()?.strip_prefix("c1.")?.parse().ok()?;
        Some(Cursor { id })
    }
}

#[derive(Clone, Debug, Default)]
pub struct CaseFilter {
    pub state: Option<CaseState>,
    pub tier: Option<Tier>,
    /// A running clock of the case is past its due date.
    pub overdue: Option<bool>,
    pub room: Option<i64>,
    pub updated_since: Option<DateTime<Utc>>,
}

pub struct CasePage {
    pub rows: Vec<(complaint::Model, String)>,
    pub next: Option<Cursor>,
    pub total: Option<u64>,
}

/// The cases a key's organisation may see: a platform's all, an operator's
/// those it answers (as its queue).
fn scoped(caller: &ApiCaller) -> Select<complaint::Entity> {
    match caller.org {
        KeyOrg::Platform(p) => complaint::Entity::find().filter(complaint::Column::PlatformId.eq(p)),
        KeyOrg::Operator(o) => complaint::Entity::find().filter(complaint::Column::OperatorId.eq(o)).filter(
            complaint::Column::RespondentKind
                .is_not_in([RespondentKind::PlatformItself.as_str(), RespondentKind::Mcn.as_str()]),
        ),
    }
}

fn filtered(caller: &ApiCaller, f: &CaseFilter, today: NaiveDate) -> Select<complaint::Entity> {
    let mut sel = scoped(caller);
    if let Some(s) = f.state {
        sel = sel.filter(complaint::Column::State.eq(s.as_str()));
    }
    if let Some(t) = f.tier {
        sel = sel.filter(complaint::Column::State.is_in(t.states().iter().map(|s| s.as_str())));
    }
    match f.overdue {
        Some(true) => sel = sel.filter(complaint::Column::NextDueOn.lt(today)),
        Some(false) => sel = sel.filter(complaint::Column::NextDueOn.gte(today)),
        None => {}
    }
    if let Some(r) = f.room {
        sel = sel.filter(complaint::Column::LiveRoomId.eq(r));
    }
    if let Some(t) = f.updated_since {
        sel = sel.filter(complaint::Column::UpdatedAt.gte(t));
    }
    sel
}

/// One page of cases, in filing order; `total` only when asked (it costs a count).
pub async fn list(
    store: &Store,
    caller: &ApiCaller,
    f: &CaseFilter,
    after: Option<Cursor>,
    limit: u64,
    with_total: bool,
) -> Result<CasePage, StoreError> {
    let limit = limit.clamp(1, MAX_LIMIT);
    let today = store.today();
    let total = if with_total { Some(filtered(caller, f, today).count(&store.read).await?) } else { None };
    let mut sel = filtered(caller, f, today);
    if let Some(c) = after {
        sel = sel.filter(complaint::Column::Id.gt(c.id));
    }
    let mut cases = sel.order_by_asc(complaint::Column::Id).limit(limit + 1).all(&store.read).await?;
    let more = cases.len() as u64 > limit;
    cases.truncate(limit as usize);
    let next = if more { cases.last().map(|c| Cursor { id: c.id }) } else { None };
    let rooms = room_names(store, cases.iter().map(|c| c.live_room_id).collect()).await?;
    let rows = cases
        .into_iter()
        .map(|c| {
            let name = rooms.get(&c.live_room_id).cloned().unwrap_or_default();
            (c, name)
        })
        .collect();
    Ok(CasePage { rows, next, total })
}

async fn room_names(store: &Store, mut ids: Vec<i64>) -> Result<HashMap<i64, String>, StoreError> {
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(live_room::Entity::find()
        .filter(live_room::Column::Id.is_in(ids))
        .all(&store.read)
        .await?
        .into_iter()
        .map(|r| (r.id, r.display_name))
        .collect())
}

/// A platform's tips, in filing order (keyset pages). Operators' keys have none.
pub async fn tips(
    store: &Store,
    caller: &ApiCaller,
    status: Option<&str>,
    after: Option<Cursor>,
    limit: u64,
) -> Result<(Vec<tip::Model>, Option<Cursor>), StoreError> {
    let KeyOrg::Platform(p) = caller.org else { return Ok((Vec::new(), None)) };
    let limit = limit.clamp(1, MAX_LIMIT);
    // A tip sent with a complaint is handled in the case (Order 121 Art. 9), not here.
    let mut sel =
        tip::Entity::find().filter(tip::Column::PlatformId.eq(p)).filter(tip::Column::LinkedComplaintId.is_null());
    if let Some(s) = status {
        sel = sel.filter(tip::Column::PlatformStatus.eq(s));
    }
    if let Some(c) = after {
        sel = sel.filter(tip::Column::Id.gt(c.id));
    }
    let mut rows = sel.order_by_asc(tip::Column::Id).limit(limit + 1).all(&store.read).await?;
    let more = rows.len() as u64 > limit;
    rows.truncate(limit as usize);
    let next = if more { rows.last().map(|t| Cursor { id: t.id }) } else { None };
    Ok((rows, next))
}
