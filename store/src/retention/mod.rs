//! Retention that deletes (留存与删除): the day each record may go, set when a
//! case closes or a tip ends (`closure`); a regulator's legal hold (`hold`);
//! the daily deletion of what expired, logged without personal data (`purge`);
//! an account deleted at its holder's request, PIPL Art. 47 (`account`).
pub mod account;
pub mod closure;
pub mod hold;
pub mod purge;
