//! Parses a handful of good and bad values and prints what the crate makes of them.
//!
//! Run with `cargo run --example quickstart`.

use std::fmt::Display;
use std::str::FromStr;

use workmail_org::{
    AccountId, ClientToken, DirectoryId, DomainName, HostedZoneId, KmsKeyArn, OrganizationAlias,
    OrganizationArn, OrganizationId, ParseError, Region,
};

fn show<T>(type_name: &str, inputs: &[&str])
where
    T: FromStr<Err = ParseError> + Display,
{
    println!("{type_name}");
    for input in inputs {
        match input.parse::<T>() {
            Ok(value) => println!("  ok    {input:?} -> {value}"),
            Err(err) => println!(
                "  error {input:?}\n        {err}\n        rule {} ({})",
                err.rule(),
                err.rule().code()
            ),
        }
    }
}

fn main() {
    show::<OrganizationAlias>(
        "OrganizationAlias",
        &["acme-corp", "Acme", "acme_corp", "d-acme", "acme--corp", ""],
    );
    let alias: OrganizationAlias = "Acme-Corp".parse().expect("a valid alias");
    println!("  test domain of {alias}: {}", alias.test_domain());

    show::<DomainName>(
        "DomainName",
        &[
            "Acme.COM.",
            "bücher.example",
            "xn--bcher-kva.example",
            "localhost",
            "acme.123",
            "-acme.com",
        ],
    );
    let unicode: DomainName = "bücher.example".parse().expect("a valid domain");
    println!("  shown to people as {}", unicode.to_unicode());

    show::<HostedZoneId>(
        "HostedZoneId",
        &["/hostedzone/Z0123456789ABCDEFGHIJ", "z0123"],
    );
    show::<DirectoryId>("DirectoryId", &["d-1234567890", "d-12345678AB"]);
    show::<OrganizationId>(
        "OrganizationId",
        &["m-0123456789abcdef0123456789abcdef", "m-123"],
    );
    show::<AccountId>("AccountId", &["111122223333", "1111-2222-3333"]);
    show::<ClientToken>("ClientToken", &["create-acme-1", "create acme"]);
    show::<Region>("Region", &["us-east-1", "eu-central-1"]);
    show::<KmsKeyArn>(
        "KmsKeyArn",
        &[
            "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            "arn:aws:kms:us-east-1:111122223333:alias/acme",
            "arn:aws:kms:eu-central-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        ],
    );
    show::<OrganizationArn>(
        "OrganizationArn",
        &[
            "arn:aws:workmail:eu-west-1:111122223333:organization/m-0123456789abcdef0123456789abcdef",
            "arn:aws-cn:workmail:eu-west-1:111122223333:organization/m-0123456789abcdef0123456789abcdef",
        ],
    );
}
