//! The evidence vault: content-addressed blobs (local directory or object
//! store), uploads staged and hashed on the way in, checked before they are
//! kept, and writes no case or tip holds collected as orphans.
pub mod audit;
pub mod blobs;
pub mod intake;
pub mod journal;
pub mod orphans;
pub mod staging;
