//! What every request handler, page and middleware may reach: the pools,
//! the index, the keys, the rate limits. Built once by `lib.rs`, shared by
//! both front doors.

use std::sync::Arc;

use super::limiter::Limiter;
use crate::auth::password::Passwords;
use crate::auth::tokens::Tokens;
use crate::config::Settings;
use crate::domain::Language;
use crate::mail::links::Links;
use crate::search::SearchIndex;
use crate::store::Store;
use crate::tagging::Tagger;

/// What every handler may reach.
pub struct AppState {
    pub store: Store,
    pub settings: Arc<Settings>,
    pub tokens: Tokens,
    pub passwords: Passwords,
    pub login_throttle: Limiter,
    /// Requests that mail a stranger (subscriptions, password links), per
    /// client address.
    pub subscribe_throttle: Limiter,
    pub search: Arc<SearchIndex>,
    /// Signs and checks the links of subscription mail.
    pub links: Links,
    /// Annex-item suggestions: the lexicon and what editors' decisions taught.
    pub tagger: Arc<Tagger>,
    /// Writes per account per minute.
    pub write_throttle: Limiter,
    /// The language the Secretariat's editors hear in.
    pub secretariat_language: Language,
}
