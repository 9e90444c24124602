//! Integration tests: the real server on a random port, over HTTP, on a
//! fresh SQLite file and, when `COMPENDIUM_TEST_DATABASE_URL` is set, on a
//! fresh PostgreSQL database as well. One binary, one module per resource,
//! so the suite links once.

mod helpers;
mod smtp;
mod webdriver;

mod annex;
mod assessments;
mod backup;
mod browser;
mod catalogue;
mod cli;
mod compilations;
mod coverage;
mod crash;
mod database_tls;
mod desk;
mod desk_browser;
mod desk_work;
mod entities;
mod errors;
mod exchange;
mod hardening;
mod harvesting;
mod health;
mod identity;
mod layers;
mod mail;
mod matrix;
mod openapi;
mod operations;
mod page_checks;
mod pages;
mod process;
mod rate_limits;
mod reindex;
mod search_engines;
mod submissions;
mod tagging;
mod token_attacks;
mod translations;
mod trust;
mod word;
