//! Every identifier parser: the first byte picks the type (modulo 10, in the order of
//! `common::TYPES`), the rest, read as UTF-8 with invalid sequences replaced, is the input.
//!
//! Asserts: no panic; an accepted value's text parses back to an equal value with the same
//! text (and, for a domain, so does its Unicode form) and survives JSON; a rejection names a
//! rule of the type and its message is one well-formed, escaped, shortened line.

#![no_main]

use libfuzzer_sys::fuzz_target;

mod common;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    common::check_identifier(selector, &String::from_utf8_lossy(rest));
});
