//! Read side: queues scoped by who asks, paginated by keyset (never OFFSET), and
//! the case dossier (案卷) with its timeline and clocks.
use crate::actor::Actor;
use crate::case::access::viewer_roles;
use crate::entity::{agency, case_event, clock, complaint, live_room, operator, platform};
use crate::{Store, StoreError};
use chrono::NaiveDate;
use redline_rules::case::Role;
use redline_rules::jurisdiction::RespondentKind;
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::HashMap;

use crate::case::figure::figure_cases;
pub use crate::case::figure::{Figure, Outcome};
use crate::entity::typed::state_names;

/// Which queue: a consumer's own cases, an operator's rooms, a platform, an agency.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Queue {
    Mine,
    Operator,
    Platform,
    Regulator,
}

/// Position after the last row of a page: (due date, id).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Cursor {
    pub due: NaiveDate,
    pub id: i64,
}

impl Cursor {
    /// For the "next page" link: cases without a running clock sort last under
    /// an internal far-future date, which is written `none`, never shown.
    pub fn encode(&self) -> String {
        if self.due == crate::case::clocks::no_due() {
            format!("none_{}", self.id)
        } else {
            format!("{}_{}", self.due, self.id)
        }
    }
    pub fn decode(s: &str) -> Option<Cursor> {
        let (d, i) = s.split_once('_')?;
        let due = if d == "none" { crate::case::clocks::no_due() } else { d.parse().ok()? };
        Some(Cursor { due, id: i.parse().ok()? })
    }
}

pub struct QueueRow {
    pub case: complaint::Model,
    pub room: live_room::Model,
    pub platform: platform::Model,
    /// Running and paused clocks, nearest due first.
    pub clocks: Vec<clock::Model>,
    /// The MCN named in the complaint, by name.
    pub mcn: Option<String>,
}

pub struct Page {
    pub rows: Vec<QueueRow>,
    pub next: Option<Cursor>,
}

/// Narrows a queue to the cases naming a marketer (by stage name) or an MCN
/// (by name): how a regulator follows a host or an agency across rooms; and
/// to one tab of the work list.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub marketer: Option<String>,
    pub mcn: Option<String>,
    pub tab: Tab,
    /// The cases behind a figure of the monitoring desk (`crate::desk`).
    pub figure: Figure,
}

/// A work list's tabs. The reader's own cases are those in the states where
/// its role holds the case (`rules::case::states_awaiting`); their order is
/// that role's own clock (`next_due_on`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Tab {
    /// Every case of the queue, nearest deadline first.
    #[default]
    All,
    /// 待处理: the reader holds the case.
    Todo,
    /// 即将到期: the reader holds it and its clock ends within `SOON_DAYS`.
    Soon,
    /// 已逾期: the reader holds it and its clock has run out.
    Overdue,
    /// 已办结: closed, the latest first.
    Closed,
}

impl Tab {
    pub const ALL: [Tab; 5] = [Tab::All, Tab::Todo, Tab::Soon, Tab::Overdue, Tab::Closed];
    /// Days ahead that count as 即将到期.
    pub const SOON_DAYS: i64 = 3;

    pub fn as_str(self) -> &'static str {
        match self {
            Tab::All => "all",
            Tab::Todo => "todo",
            Tab::Soon => "soon",
            Tab::Overdue => "overdue",
            Tab::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<Tab> {
        Tab::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

/// Counts above this read "99+": a tab's count is bounded work, whatever the
/// number of cases.
pub const COUNT_SHOWN: u64 = 100;

fn role_of(q: Queue) -> Role {
    match q {
        Queue::Mine => Role::Consumer,
        Queue::Operator => Role::Operator,
        Queue::Platform => Role::Platform,
        Queue::Regulator => Role::Regulator,
    }
}

/// The cases of queue `q` and `filter` (tab included), in no order yet.
async fn scoped(
    store: &Store,
    actor: &Actor,
    q: Queue,
    filter: &Filter,
) -> Result<sea_orm::Select<complaint::Entity>, StoreError> {
    use redline_rules::case::{states_awaiting, CaseState};
    let mut sel = complaint::Entity::find();
    if let Some(m) = &filter.marketer {
        sel = sel.filter(complaint::Column::MarketerName.eq(m.trim()));
    }
    if let Some(name) = &filter.mcn {
        let ids: Vec<i64> = crate::entity::mcn::Entity::find()
            .filter(crate::entity::mcn::Column::Name.eq(name.trim()))
            .all(&store.read)
            .await?
            .into_iter()
            .map(|m| m.id)
            .collect();
        sel = sel.filter(complaint::Column::McnId.is_in(ids));
    }
    sel = match q {
        Queue::Mine => sel.filter(complaint::Column::ConsumerId.eq(actor.user_id)),
        Queue::Operator => sel
            .filter(complaint::Column::OperatorId.is_in(actor.operator_ids.clone()))
            // The platform answers these (see `access::may_act`).
            .filter(
                complaint::Column::RespondentKind
                    .is_not_in([RespondentKind::PlatformItself.as_str(), RespondentKind::Mcn.as_str()]),
            ),
        Queue::Platform => sel.filter(complaint::Column::PlatformId.is_in(actor.platform_ids.clone())),
        Queue::Regulator => sel.filter(complaint::Column::AgencyId.is_in(actor.agency_ids.clone())),
    };
    let today = store.today();
    sel = figure_cases(sel, &filter.figure, today, store.read.get_database_backend());
    let mine = || complaint::Column::State.is_in(state_names(states_awaiting(role_of(q))));
    sel = match filter.tab {
        Tab::All => sel,
        Tab::Todo => sel.filter(mine()),
        Tab::Soon => sel
            .filter(mine())
            .filter(complaint::Column::NextDueOn.gte(today))
            .filter(complaint::Column::NextDueOn.lte(today + chrono::Duration::days(Tab::SOON_DAYS))),
        Tab::Overdue => sel.filter(mine()).filter(complaint::Column::NextDueOn.lt(today)),
        // No clock holds a closed case, so all of them share the last due date.
        Tab::Closed => sel.filter(complaint::Column::NextDueOn.eq(crate::case::clocks::no_due())).filter(
            complaint::Column::State.is_in(state_names(CaseState::ALL.into_iter().filter(|s| s.is_terminal()))),
        ),
    };
    Ok(sel)
}

/// How many cases each tab holds, each counted up to `COUNT_SHOWN`: the four
/// bounded counts in one statement (`UNION ALL`), one round trip.
pub async fn tab_counts(
    store: &Store,
    actor: &Actor,
    q: Queue,
    filter: &Filter,
) -> Result<Vec<(Tab, u64)>, StoreError> {
    use sea_orm::sea_query::{Alias, Asterisk, Expr, Func, Query, SelectStatement, UnionType};
    use sea_orm::{ConnectionTrait, QueryTrait};
    const TABS: [Tab; 4] = [Tab::Todo, Tab::Soon, Tab::Overdue, Tab::Closed];
    let mut counts: Option<SelectStatement> = None;
    for tab in TABS {
        let f = Filter { tab, ..filter.clone() };
        let ids = scoped(store, actor, q, &f)
            .await?
            .select_only()
            .column(complaint::Column::Id)
            .limit(COUNT_SHOWN)
            .into_query();
        let one = Query::select()
            .expr_as(Expr::val(tab.as_str()), Alias::new("tab"))
            .expr_as(Func::count(Expr::col(Asterisk)), Alias::new("n"))
            .from_subquery(ids, Alias::new("t"))
            .to_owned();
        counts = Some(match counts {
            None => one,
            Some(mut all) => all.union(UnionType::All, one).to_owned(),
        });
    }
    let rows = store.read.query_all(&counts.expect("four tabs")).await?;
    let mut out = Vec::new();
    for r in rows {
        let tab: String = r.try_get("", "tab")?;
        let n: i64 = r.try_get("", "n")?;
        let tab = Tab::parse(&tab).ok_or_else(|| StoreError::Corrupt(format!("tab {tab}")))?;
        out.push((tab, n as u64));
    }
    // In the tabs' order, whatever order the union's rows come in.
    out.sort_by_key(|(t, _)| TABS.iter().position(|x| x == t));
    Ok(out)
}

/// A queue ordered by the nearest deadline, then case id.
pub async fn queue(
    store: &Store,
    actor: &Actor,
    q: Queue,
    after: Option<Cursor>,
    limit: u64,
) -> Result<Page, StoreError> {
    filtered_queue(store, actor, q, &Filter::default(), after, limit).await
}

pub async fn filtered_queue(
    store: &Store,
    actor: &Actor,
    q: Queue,
    filter: &Filter,
    after: Option<Cursor>,
    limit: u64,
) -> Result<Page, StoreError> {
    let mut sel = scoped(store, actor, q, filter).await?;
    // Closed cases come latest first; every other tab nearest deadline first.
    let desc = filter.tab == Tab::Closed;
    if let Some(c) = after {
        let (due_past, id_past) = if desc {
            (complaint::Column::NextDueOn.lt(c.due), complaint::Column::Id.lt(c.id))
        } else {
            (complaint::Column::NextDueOn.gt(c.due), complaint::Column::Id.gt(c.id))
        };
        sel = sel.filter(
            Condition::any()
                .add(due_past)
                .add(Condition::all().add(complaint::Column::NextDueOn.eq(c.due)).add(id_past)),
        );
    }
    let order = if desc { sea_orm::Order::Desc } else { sea_orm::Order::Asc };
    let cases = sel
        .order_by(complaint::Column::NextDueOn, order.clone())
        .order_by(complaint::Column::Id, order)
        .limit(limit + 1)
        .all(&store.read)
        .await?;
    let more = cases.len() as u64 > limit;
    let cases: Vec<complaint::Model> = cases.into_iter().take(limit as usize).collect();
    // One query per related table for the whole page, not one per row.
    let ids = |f: fn(&complaint::Model) -> i64| cases.iter().map(f).collect::<Vec<_>>();
    let rooms: HashMap<i64, live_room::Model> = live_room::Entity::find()
        .filter(live_room::Column::Id.is_in(ids(|c| c.live_room_id)))
        .all(&store.read)
        .await?
        .into_iter()
        .map(|r| (r.id, r))
        .collect();
    let platforms: HashMap<i64, platform::Model> = platform::Entity::find()
        .filter(platform::Column::Id.is_in(ids(|c| c.platform_id)))
        .all(&store.read)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let mut clocks: HashMap<i64, Vec<clock::Model>> = HashMap::new();
    for k in clock::Entity::find()
        .filter(clock::Column::CaseId.is_in(ids(|c| c.id)))
        .filter(clock::Column::Status.is_in(["RUNNING", "PAUSED"]))
        .order_by_asc(clock::Column::DueOn)
        .all(&store.read)
        .await?
    {
        clocks.entry(k.case_id).or_default().push(k);
    }
    // Most cases name no MCN: no statement then (each costs a round trip).
    let mcn_ids: Vec<i64> = cases.iter().filter_map(|c| c.mcn_id).collect();
    let mcns: HashMap<i64, String> = if mcn_ids.is_empty() {
        HashMap::new()
    } else {
        crate::entity::mcn::Entity::find()
            .filter(crate::entity::mcn::Column::Id.is_in(mcn_ids))
            .all(&store.read)
            .await?
            .into_iter()
            .map(|m| (m.id, m.name))
            .collect()
    };
    let mut rows = Vec::new();
    for c in cases {
        let room = rooms.get(&c.live_room_id).cloned().ok_or(StoreError::NotFound)?;
        let platform = platforms.get(&c.platform_id).cloned().ok_or(StoreError::NotFound)?;
        let clocks = clocks.remove(&c.id).unwrap_or_default();
        let mcn = c.mcn_id.and_then(|id| mcns.get(&id).cloned());
        rows.push(QueueRow { case: c, room, platform, clocks, mcn });
    }
    let next = if more { rows.last().map(|r| Cursor { due: r.case.next_due_on, id: r.case.id }) } else { None };
    Ok(Page { rows, next })
}

pub struct Dossier {
    pub case: complaint::Model,
    pub room: live_room::Model,
    pub operator: operator::Model,
    pub platform: platform::Model,
    pub agency: Option<agency::Model>,
    pub events: Vec<case_event::Model>,
    pub clocks: Vec<clock::Model>,
    /// The roles through which the viewer is a party to this case.
    pub viewer_roles: Vec<Role>,
}

/// The whole case, for whoever may see it; `Forbidden` otherwise.
pub async fn dossier(store: &Store, actor: &Actor, case_no: &str) -> Result<Dossier, StoreError> {
    let c = crate::case::access::case_by_no(&store.read, case_no).await?;
    let room = live_room::Entity::find_by_id(c.live_room_id).one(&store.read).await?.ok_or(StoreError::NotFound)?;
    let viewer_roles = crate::case::access::roles_with_room(actor, &c, Some(&room));
    if viewer_roles.is_empty() {
        return Err(StoreError::Forbidden);
    }
    let operator =
        operator::Entity::find_by_id(room.operator_id).one(&store.read).await?.ok_or(StoreError::NotFound)?;
    let platform = platform::Entity::find_by_id(c.platform_id).one(&store.read).await?.ok_or(StoreError::NotFound)?;
    let agency = match c.agency_id {
        Some(a) => agency::Entity::find_by_id(a).one(&store.read).await?,
        None => None,
    };
    let events = case_event::Entity::find()
        .filter(case_event::Column::CaseId.eq(c.id))
        .order_by_asc(case_event::Column::Seq)
        .all(&store.read)
        .await?;
    let clocks = clock::Entity::find()
        .filter(clock::Column::CaseId.eq(c.id))
        .order_by_asc(clock::Column::Id)
        .all(&store.read)
        .await?;
    Ok(Dossier { case: c, room, operator, platform, agency, events, clocks, viewer_roles })
}

pub async fn platforms(store: &Store) -> Result<Vec<platform::Model>, StoreError> {
    Ok(platform::Entity::find().order_by_asc(platform::Column::Id).all(&store.read).await?)
}

pub async fn agencies(store: &Store) -> Result<Vec<agency::Model>, StoreError> {
    Ok(agency::Entity::find().order_by_asc(agency::Column::RegionCode).all(&store.read).await?)
}

/// The platforms this person staffs, with their clock policy.
pub async fn staffed_platforms(store: &Store, actor: &Actor) -> Result<Vec<platform::Model>, StoreError> {
    Ok(platform::Entity::find()
        .filter(platform::Column::Id.is_in(actor.platform_ids.clone()))
        .order_by_asc(platform::Column::Id)
        .all(&store.read)
        .await?)
}

/// Verifies a case's hash chain for a party to the case (Order 117 Art. 16:
/// records kept intact).
pub async fn verify_chain(
    store: &Store,
    actor: &Actor,
    case_no: &str,
) -> Result<redline_rules::chain::ChainReport, StoreError> {
    let c = crate::case::access::case_by_no(&store.read, case_no).await?;
    // Parties only; to anyone else the case does not exist (no 403 that would
    // confirm which sequential case numbers are taken).
    if viewer_roles(store, actor, &c).await?.is_empty() {
        return Err(StoreError::NotFound);
    }
    crate::chain::verify_case(&store.read, c.id).await
}

/// What the dossier shows beyond the case row: session, product, evidence and
/// the preservation request.
pub struct DossierExtras {
    pub session: Option<crate::streams::SessionWithProducts>,
    pub product: Option<crate::entity::stream_product::Model>,
    pub evidence: Vec<crate::entity::evidence::Model>,
    pub preservation: Option<crate::entity::preservation_request::Model>,
    /// An MCN named in the complaint.
    pub mcn: Option<crate::entity::mcn::Model>,
}

/// Loaded after [`dossier`] has checked who may see the case.
pub async fn dossier_extras(store: &Store, c: &complaint::Model) -> Result<DossierExtras, StoreError> {
    use crate::entity::{stream_product, stream_session};
    let session = match c.stream_session_id {
        Some(id) => match stream_session::Entity::find_by_id(id).one(&store.read).await? {
            Some(s) => {
                let products = stream_product::Entity::find()
                    .filter(stream_product::Column::SessionId.eq(s.id))
                    .order_by_asc(stream_product::Column::Id)
                    .all(&store.read)
                    .await?;
                Some(crate::streams::SessionWithProducts { session: s, products })
            }
            None => None,
        },
        None => None,
    };
    let product = match c.product_id {
        Some(id) => stream_product::Entity::find_by_id(id).one(&store.read).await?,
        None => None,
    };
    Ok(DossierExtras {
        session,
        product,
        evidence: crate::case::evidence::list(&store.read, c.id).await?,
        preservation: crate::case::preservation::for_case(&store.read, c.id).await?,
        mcn: match c.mcn_id {
            Some(id) => crate::entity::mcn::Entity::find_by_id(id).one(&store.read).await?,
            None => None,
        },
    })
}

/// A session with its products and its room (for the filing form).
pub async fn session_with_room(
    store: &Store,
    session_id: i64,
) -> Result<Option<(crate::streams::SessionWithProducts, live_room::Model)>, StoreError> {
    use crate::entity::{stream_product, stream_session};
    let Some(s) = stream_session::Entity::find_by_id(session_id).one(&store.read).await? else { return Ok(None) };
    let Some(room) = live_room::Entity::find_by_id(s.live_room_id).one(&store.read).await? else { return Ok(None) };
    let products = stream_product::Entity::find()
        .filter(stream_product::Column::SessionId.eq(s.id))
        .order_by_asc(stream_product::Column::Id)
        .all(&store.read)
        .await?;
    Ok(Some((crate::streams::SessionWithProducts { session: s, products }, room)))
}

/// A room with its platform and recent sessions (public).
pub async fn room_page(
    store: &Store,
    room_id: i64,
) -> Result<Option<(live_room::Model, platform::Model, Vec<crate::streams::SessionWithProducts>)>, StoreError> {
    let Some(room) = live_room::Entity::find_by_id(room_id).one(&store.read).await? else { return Ok(None) };
    let plat = platform::Entity::find_by_id(room.platform_id).one(&store.read).await?.ok_or(StoreError::NotFound)?;
    let sessions = crate::streams::room_sessions(&store.read, room.id, 20).await?;
    Ok(Some((room, plat, sessions)))
}

/// "Name (platform room ID)" of rooms, for lists.
pub async fn room_labels(store: &Store, ids: Vec<i64>) -> Result<HashMap<i64, String>, StoreError> {
    Ok(live_room::Entity::find()
        .filter(live_room::Column::Id.is_in(ids))
        .all(&store.read)
        .await?
        .into_iter()
        .map(|r| (r.id, format!("{} ({})", r.display_name, r.platform_room_id)))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_no_due_placeholder_never_appears_in_a_cursor() {
        let c = Cursor { due: crate::case::clocks::no_due(), id: 42 };
        assert_eq!(c.encode(), "none_42");
        assert_eq!(Cursor::decode("none_42"), Some(c));
        let d = Cursor { due: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(), id: 7 };
        assert_eq!(Cursor::decode(&d.encode()), Some(d));
        assert_eq!(d.encode(), "2026-12-01_7");
    }
}
