//! Notifications (通知) and the mail outbox. A notification row is written in
//! the same transaction as the event it reports, with its email status; the
//! mail worker (server) sends pending rows and never loses one. Reminders wait
//! for working hours unless the clock is already overdue.
pub mod compose;
pub mod digests;
pub mod inbox;
pub mod outbox;
pub mod reminders;

pub use compose::{
    for_case_event, insert, next_working_utc, render, to_org, Recipient, DAILY_DIGEST, DIGEST, DIGESTED, FAILED,
    IMMEDIATE, NONE, PENDING, SENDING, SENT,
};
pub use digests::build_digests;
pub use inbox::{for_user, mark_read, set_mode, unread};
pub use outbox::{claim, due_for_sending, finish, SendError};
pub use reminders::remind_clocks;
