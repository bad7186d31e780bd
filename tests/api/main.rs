//! The public-API tests, as one test crate (one binary to link) with a module per part.

#[allow(dead_code)] // each module uses a different subset
mod fixtures;
#[allow(dead_code)] // each module uses a different subset
mod util;

mod autotraits;
mod aws;
#[cfg(feature = "aws-sdk")]
mod aws_answers;
mod catalog;
mod catalog_race;
mod catalog_stages;
mod dns;
mod export;
mod hardening;
mod identifier_properties;
mod identifier_serde;
mod identifiers;
mod idna;
mod leaving;
mod lifecycle;
mod plan;
mod plan_tool;
mod report_serde;
mod reported;
mod rule_codes;
mod spec_api;
mod spec_files;
mod spec_props;
mod spec_rules;
mod spec_serde;
#[cfg(feature = "proptest")]
mod strategy;
#[cfg(feature = "proptest")]
mod strategy_account;
#[cfg(feature = "proptest")]
mod strategy_invalid;
