//! workmail-org: a trusted model of Amazon WorkMail organizations.
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod lifecycle;
