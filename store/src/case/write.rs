//! One case's writes in one transaction, gathered so each table gets one
//! statement: the events, the clocks started and the notifications are
//! inserted together at the end, and the case row (state, chain head, nearest
//! due date) is updated once, under the optimistic lock of the version and
//! chain length it was read with. A filing thus costs a fixed handful of
//! statements however many transitions and notices it makes.
//!
//! Until [`CaseWrite::finish`], nothing gathered is in the database: read no
//! events, started clocks or notifications of the case before it.
use crate::api::webhooks::Announce;
use crate::batch::{Batch, Ran};
use crate::case::clocks::{apply_clock, next_due, platform_policy, started};
use crate::chain::{event_row, next_case_link, NewEvent};
use crate::entity::{case_event, clock, complaint, notification, platform};
use crate::notices::compose::CaseContacts;
use crate::StoreError;
use chrono::{DateTime, NaiveDate, Utc};
use redline_rules::case::ClockEffect;
use redline_rules::clock::{ClockKind, ClockPolicy};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryTrait, Set, Statement,
};
use std::sync::Arc;

pub struct CaseWrite {
    /// The case as it will be written.
    pub case: complaint::Model,
    /// Version and chain length as read: the update fails if either moved.
    read_as: (i32, i32),
    events: Vec<case_event::ActiveModel>,
    clocks: Vec<clock::ActiveModel>,
    notices: Vec<notification::ActiveModel>,
    /// Webhook events beyond the state changes (which are derived from `events`).
    announced: Vec<(&'static str, serde_json::Value)>,
    policy: Option<ClockPolicy>,
    /// `case.next_due_on` is still the nearest due date of its running clocks
    /// (so a started clock only lowers it); otherwise it is read again at the end.
    due_known: bool,
    /// The people of the case's audiences, once one is notified.
    contacts: Option<Arc<CaseContacts>>,
    /// Statements of the same command run after the case's own, in their batch
    /// (a filing's alert join, search row and rate count).
    also: Vec<Statement>,
}

impl CaseWrite {
    /// A case as read in this transaction, whose stored nearest due date is current.
    pub fn new(case: complaint::Model) -> Self {
        CaseWrite {
            read_as: (case.version, case.chain_seq),
            case,
            events: Vec::new(),
            clocks: Vec::new(),
            notices: Vec::new(),
            announced: Vec::new(),
            policy: None,
            due_known: true,
            contacts: None,
            also: Vec::new(),
        }
    }

    /// A statement to run with the case's own writes, after them: in the same
    /// round trip on SQLite (`crate::batch`).
    pub fn also(&mut self, s: Statement) {
        self.also.push(s);
    }

    /// The platform's clock lengths, when the caller has read them already.
    pub fn with_policy(mut self, p: ClockPolicy) -> Self {
        self.policy = Some(p);
        self
    }

    /// The people of every audience of the case, read in one statement the
    /// first time one is notified, and again once the case has a new agency.
    pub async fn contacts(&mut self, txn: &DatabaseTransaction) -> Result<Arc<CaseContacts>, StoreError> {
        match &self.contacts {
            Some(c) if c.agency_id == self.case.agency_id => Ok(c.clone()),
            _ => {
                let c = Arc::new(crate::notices::compose::case_contacts(txn, &self.case).await?);
                self.contacts = Some(c.clone());
                Ok(c)
            }
        }
    }

    /// The case's audiences, when the caller read them (a filing, in the batch
    /// that inserts the case).
    pub fn with_contacts(mut self, people: Arc<CaseContacts>) -> Self {
        self.contacts = Some(people);
        self
    }

    /// A clock of the case changed outside this write (the sweep expired one):
    /// the nearest due date is read again at the end.
    pub fn clocks_changed(&mut self) {
        self.due_known = false;
    }

    /// Appends an event to the case's chain, after the head held in memory.
    pub fn event(&mut self, e: NewEvent<'_>) {
        debug_assert_eq!(e.case_id, self.case.id);
        let link = next_case_link(&e, self.case.chain_head.as_deref().map(|h| (self.case.chain_seq, h)));
        self.case.chain_seq = link.seq;
        self.case.chain_head = Some(link.hash.clone());
        self.events.push(event_row(e, link));
    }

    /// Notifications written with the case's events.
    pub fn notify(&mut self, rows: Vec<notification::ActiveModel>) {
        self.notices.extend(rows);
    }

    /// A webhook event to announce with this write (`api::webhooks`).
    pub fn announce(&mut self, event_type: &'static str, data: serde_json::Value) {
        self.announced.push((event_type, data));
    }

    /// Starts, stops, pauses or resumes a clock. Started clocks are gathered;
    /// the others change clocks already written, so those gathered go first.
    pub async fn clock(
        &mut self,
        txn: &DatabaseTransaction,
        eff: ClockEffect,
        today: NaiveDate,
        now: DateTime<Utc>,
        actor_id: Option<i64>,
        payload: &serde_json::Value,
    ) -> Result<(), StoreError> {
        if let ClockEffect::Start(kind) = eff {
            return self.start(txn, kind, today, now).await;
        }
        self.write_clocks(txn).await?;
        apply_clock(txn, &self.case, eff, today, now, actor_id, payload).await?;
        self.due_known = false;
        Ok(())
    }

    async fn start(
        &mut self,
        txn: &DatabaseTransaction,
        kind: ClockKind,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let policy = self.policy(txn).await?;
        let mut row = started(self.case.id, kind, &policy, today, now);
        // T24: on a case marked as suspected fraud, a clock that would move it
        // on by itself starts held (its held time counts from now, as a pause).
        let held = self.case.fraud_suspected && kind.held_while_fraud_suspected();
        if held {
            row.status = sea_orm::Set(redline_rules::clock::ClockStatus::Paused.as_str().to_owned());
            row.paused_at = sea_orm::Set(Some(now));
        }
        if self.due_known && kind.holds_the_case() && !held {
            self.case.next_due_on = self.case.next_due_on.min(row.due_on.clone().unwrap());
        }
        self.clocks.push(row);
        Ok(())
    }

    /// The platform's clock lengths (read once per write).
    pub async fn policy(&mut self, txn: &DatabaseTransaction) -> Result<ClockPolicy, StoreError> {
        if let Some(p) = self.policy {
            return Ok(p);
        }
        let plat = platform::Entity::find_by_id(self.case.platform_id).one(txn).await?.ok_or(StoreError::NotFound)?;
        let p = platform_policy(&plat)?;
        self.policy = Some(p);
        Ok(p)
    }

    async fn write_clocks(&mut self, txn: &DatabaseTransaction) -> Result<(), StoreError> {
        if let Some(s) = self.clocks_insert(txn.get_database_backend()) {
            txn.execute_raw(s).await?;
        }
        Ok(())
    }

    /// The gathered clocks' insert, taking them; `None` when there are none.
    fn clocks_insert(&mut self, backend: sea_orm::DatabaseBackend) -> Option<Statement> {
        let clocks = std::mem::take(&mut self.clocks);
        (!clocks.is_empty()).then(|| clock::Entity::insert_many(clocks).build(backend))
    }

    /// Writes everything gathered and returns the case as written. Fails with
    /// `Conflict`, writing nothing of the case row, if another change to the
    /// case committed since it was read.
    pub async fn finish(self, txn: &DatabaseTransaction) -> Result<complaint::Model, StoreError> {
        Ok(self.finish_with(txn).await?.0)
    }

    /// As [`CaseWrite::finish`], with the rows the statements run `also` returned.
    pub async fn finish_with(mut self, txn: &DatabaseTransaction) -> Result<(complaint::Model, Ran), StoreError> {
        let backend = txn.get_database_backend();
        let mut batch = Batch::default();
        if self.due_known {
            // Written with the rest: nothing reads them before.
            batch.extend(self.clocks_insert(backend));
        } else {
            self.write_clocks(txn).await?;
            self.case.next_due_on = next_due(txn, self.case.id).await?;
        }
        // A case that closes gets the day its file may go; one reopened (T9) loses it.
        if !self.case.case_state()?.is_terminal() {
            self.case.retain_until = None;
        } else if self.case.retain_until.is_none() {
            let c = &self.case;
            let closed_on = crate::time::china_date(c.updated_at);
            let until = crate::retention::closure::case_closed(txn, c.id, c.stream_session_id, closed_on).await?;
            self.case.retain_until = Some(until);
        }
        let (version, seq) = self.read_as;
        let c = &self.case;
        // What a case command may change; the parties and the complaint itself stay.
        let row = complaint::ActiveModel {
            case_no: Set(c.case_no.clone()),
            state: Set(c.state.clone()),
            last_offer: Set(c.last_offer.clone()),
            platform_decided: Set(c.platform_decided),
            agency_id: Set(c.agency_id),
            operator_untimely: Set(c.operator_untimely),
            platform_untimely: Set(c.platform_untimely),
            next_due_on: Set(c.next_due_on),
            retain_until: Set(c.retain_until),
            updated_at: Set(c.updated_at),
            version: Set(c.version),
            chain_seq: Set(c.chain_seq),
            chain_head: Set(c.chain_head.clone()),
            // The chain grew: the transparency log's next checkpoint records it.
            log_pending: if c.chain_seq != seq { Set(true) } else { sea_orm::ActiveValue::NotSet },
            ..Default::default()
        };
        let mut update = complaint::Entity::update_many()
            .set(row)
            .filter(complaint::Column::Id.eq(self.case.id))
            .filter(complaint::Column::Version.eq(version))
            .filter(complaint::Column::ChainSeq.eq(seq))
            .build(backend);
        // Under the lock: a row back means it was written.
        update.sql.push_str(r#" RETURNING "id" AS "case_written""#);
        batch.push(update);
        let announce = self.webhook_events();
        batch.extend(crate::api::webhooks::deliveries(backend, &announce, c.updated_at, c.updated_at));
        if !self.events.is_empty() {
            batch.push(case_event::Entity::insert_many(self.events).build(backend));
        }
        batch.extend(crate::notices::compose::insert_rows(backend, self.notices));
        for s in self.also {
            batch.push(s);
        }
        let ran = batch.run(txn).await?;
        if ran.column::<i64>("case_written").len() != 1 {
            return Err(StoreError::Conflict);
        }
        Ok((self.case, ran))
    }

    /// What the platform's (and, for a case the operator answers, the
    /// operator's) webhooks hear of this write: thin payloads, numbers and states.
    fn webhook_events(&self) -> Vec<Announce> {
        use crate::api::webhooks::*;
        let c = &self.case;
        let mut out = Vec::new();
        for e in &self.events {
            let (name, from, to) = (e.event_type.as_ref(), e.from_state.as_ref(), e.to_state.as_ref());
            if name == "SUBMIT" {
                out.push(Announce::of_case(c, CASE_CREATED, serde_json::json!({})));
            }
            let d = serde_json::json!({ "event": name, "from": from, "to": to, "seq": e.seq.as_ref() });
            if from != to {
                out.push(Announce::of_case(c, CASE_STATE_CHANGED, d.clone()));
            }
            if to == "ESCALATED_TO_REGULATOR" && from != to {
                out.push(Announce::of_case(c, CASE_ESCALATED, d.clone()));
            }
            // A missed deadline the sweep acted on: which clock, due when.
            if name.ends_with("_EXPIRED") {
                let p: serde_json::Value = serde_json::from_str(e.payload_json.as_ref()).unwrap_or_default();
                let d = serde_json::json!({ "event": name, "clock": p["clock"], "due_on": p["due_on"] });
                out.push(Announce::of_case(c, CASE_OVERDUE, d));
            }
        }
        for (t, data) in &self.announced {
            out.push(Announce::of_case(c, t, data.clone()));
        }
        out
    }
}
