//! A domain's DNS records as the caller read them, and the changes the plan makes to them:
//! Route 53 `ListResourceRecordSets` JSON in, `ChangeResourceRecordSets` change batches out;
//! zone-file lines in, zone-file lines to remove and to add out.

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::error::LeavingError;
use crate::dns::quoted_txt;
use crate::id::{DomainName, HostedZoneId};

/// The most record sets (Route 53) or lines (zone file) read for one domain.
pub const MAX_RECORD_SETS: usize = 10_000;

/// The most bytes of one zone-file line, or of one Route 53 record value.
pub const MAX_RECORD_TEXT_LEN: usize = 4096;

/// The most MX records of the new provider.
pub const MAX_NEW_MX: usize = 16;

/// One MX record of the new provider: a preference and an exchange host, written
/// `10 mx.new.example` (a trailing dot is allowed and dropped).
///
/// ```
/// use workmail_org::leaving::NewMx;
/// let mx: NewMx = "10 mx.new.example.".parse()?;
/// assert_eq!(mx.preference(), 10);
/// assert_eq!(mx.exchange().as_str(), "mx.new.example");
/// assert_eq!(mx.to_string(), "10 mx.new.example");
/// assert_eq!("mx.new.example".parse::<NewMx>().unwrap_err().field(), "mx");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NewMx {
    preference: u16,
    exchange: DomainName,
}

impl NewMx {
    /// An MX record of `preference` to `exchange`.
    pub fn new(preference: u16, exchange: DomainName) -> Self {
        NewMx {
            preference,
            exchange,
        }
    }

    /// Parses `PREFERENCE EXCHANGE`.
    ///
    /// # Errors
    /// [`LeavingError`] on field `mx` when the preference is not 0 to 65535 or the exchange is
    /// not a valid host name.
    pub fn parse(input: &str) -> Result<Self, LeavingError> {
        let bad = |why: &str| {
            LeavingError::input(
                "mx",
                format!(
                    "\"{}\" is not an MX record: {why}; write it as `10 mx.new.example`",
                    crate::text::shown(input)
                ),
            )
        };
        let mut parts = input.split_ascii_whitespace();
        let (Some(preference), Some(exchange), None) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(bad("expected a preference and a host"));
        };
        let preference: u16 = preference
            .parse()
            .map_err(|_| bad("the preference is not a number from 0 to 65535"))?;
        let exchange = exchange.strip_suffix('.').unwrap_or(exchange);
        let exchange = DomainName::parse(exchange).map_err(|err| bad(&err.to_string()))?;
        Ok(NewMx::new(preference, exchange))
    }

    /// The preference.
    pub fn preference(&self) -> u16 {
        self.preference
    }

    /// The exchange host, without the trailing dot.
    pub fn exchange(&self) -> &DomainName {
        &self.exchange
    }
}

impl fmt::Display for NewMx {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.preference, self.exchange)
    }
}

impl std::str::FromStr for NewMx {
    type Err = LeavingError;

    fn from_str(s: &str) -> Result<Self, LeavingError> {
        NewMx::parse(s)
    }
}

impl Serialize for NewMx {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for NewMx {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        NewMx::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// Where a domain's DNS records live, and what they are now, as the caller read them.
///
/// Serde writes the input as given (`{"route53": {"hosted_zone", "record_sets"}}` with the
/// record sets as Route 53 wrote them, or `{"zone_lines": [...]}`) and reads it back through
/// the same parser.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RawDns", into = "RawDns")]
pub struct DomainDns {
    source: DnsSource,
    sets: Vec<RecordSet>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum DnsSource {
    Route53 {
        hosted_zone: HostedZoneId,
        record_sets: Vec<Value>,
    },
    Zone {
        lines: Vec<String>,
    },
    None,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
enum RawDns {
    Route53 {
        hosted_zone: HostedZoneId,
        record_sets: Vec<Value>,
    },
    ZoneLines(Vec<String>),
    None,
}

impl TryFrom<RawDns> for DomainDns {
    type Error = LeavingError;

    fn try_from(raw: RawDns) -> Result<Self, LeavingError> {
        match raw {
            RawDns::Route53 {
                hosted_zone,
                record_sets,
            } => DomainDns::from_route53_sets(hosted_zone, record_sets),
            RawDns::ZoneLines(lines) => DomainDns::from_zone_lines(lines),
            RawDns::None => Ok(DomainDns::none()),
        }
    }
}

impl From<DomainDns> for RawDns {
    fn from(dns: DomainDns) -> RawDns {
        match dns.source {
            DnsSource::Route53 {
                hosted_zone,
                record_sets,
            } => RawDns::Route53 {
                hosted_zone,
                record_sets,
            },
            DnsSource::Zone { lines } => RawDns::ZoneLines(lines),
            DnsSource::None => RawDns::None,
        }
    }
}

/// One record set: a name, a type, a TTL and its values, as the plan compares them (names
/// lower case without the trailing dot, MX and CNAME targets too, TXT values unquoted).
#[derive(Clone, Debug, PartialEq, Eq)]
struct RecordSet {
    name: String,
    kind: String,
    ttl: Option<u32>,
    values: Vec<String>,
    /// Route 53: the set as listed (index into the source). Zone: one line per value.
    origin: Origin,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Origin {
    Route53(usize),
    Lines(Vec<String>),
}

impl DomainDns {
    /// A domain in Route 53, under `hosted_zone`, with the `ListResourceRecordSets` answer:
    /// one response object, or a JSON array of every page's response object.
    ///
    /// # Errors
    /// [`LeavingError`] on field `records` for JSON that is not such a response, a truncated
    /// page with no next page given, a record set without `Name` or `Type`, or more than
    /// [`MAX_RECORD_SETS`] sets.
    pub fn route53(hosted_zone: HostedZoneId, json: &str) -> Result<Self, LeavingError> {
        let field = "records";
        let value: Value = serde_json::from_str(json).map_err(|err| {
            LeavingError::input(field, format!("not ListResourceRecordSets JSON: {err}"))
        })?;
        let pages = match value {
            Value::Array(pages) => pages,
            page => vec![page],
        };
        let mut sets = Vec::new();
        let page_count = pages.len();
        for (index, page) in pages.into_iter().enumerate() {
            let Value::Object(mut page) = page else {
                return Err(LeavingError::input(field, "a page is not a JSON object"));
            };
            if page.get("IsTruncated") == Some(&Value::Bool(true)) && index + 1 == page_count {
                return Err(LeavingError::input(
                    field,
                    "the last page given is truncated: give every page of ListResourceRecordSets",
                ));
            }
            match page.remove("ResourceRecordSets") {
                Some(Value::Array(more)) => sets.extend(more),
                _ => {
                    return Err(LeavingError::input(
                        field,
                        "a page has no ResourceRecordSets array",
                    ))
                }
            }
        }
        DomainDns::from_route53_sets(hosted_zone, sets)
    }

    fn from_route53_sets(
        hosted_zone: HostedZoneId,
        record_sets: Vec<Value>,
    ) -> Result<Self, LeavingError> {
        if record_sets.len() > MAX_RECORD_SETS {
            return Err(LeavingError::input(
                "records",
                format!(
                    "{} record sets, at most {MAX_RECORD_SETS} are read",
                    record_sets.len()
                ),
            ));
        }
        let mut sets = Vec::with_capacity(record_sets.len());
        for (index, set) in record_sets.iter().enumerate() {
            let field = format!("records.ResourceRecordSets[{index}]");
            let Value::Object(object) = set else {
                return Err(LeavingError::input(field, "not a JSON object"));
            };
            let text = |key: &str| match object.get(key) {
                Some(Value::String(text)) if text.len() <= MAX_RECORD_TEXT_LEN => Ok(text.clone()),
                _ => Err(LeavingError::input(
                    format!("{field}.{key}"),
                    "missing, not a string, or too long",
                )),
            };
            let name = normal_name(&text("Name")?);
            let kind = text("Type")?.to_ascii_uppercase();
            let ttl = match object.get("TTL") {
                None => None,
                Some(ttl) => Some(
                    ttl.as_u64()
                        .and_then(|ttl| u32::try_from(ttl).ok())
                        .ok_or_else(|| {
                            LeavingError::input(format!("{field}.TTL"), "not a number of seconds")
                        })?,
                ),
            };
            let mut values = Vec::new();
            if let Some(records) = object.get("ResourceRecords") {
                let Value::Array(records) = records else {
                    return Err(LeavingError::input(
                        format!("{field}.ResourceRecords"),
                        "not an array",
                    ));
                };
                for (at, record) in records.iter().enumerate() {
                    match record.get("Value") {
                        Some(Value::String(value)) if value.len() <= MAX_RECORD_TEXT_LEN => {
                            values.push(normal_value(&kind, value))
                        }
                        _ => {
                            return Err(LeavingError::input(
                                format!("{field}.ResourceRecords[{at}].Value"),
                                "missing, not a string, or too long",
                            ))
                        }
                    }
                }
            }
            sets.push(RecordSet {
                name,
                kind,
                ttl,
                values,
                origin: Origin::Route53(index),
            });
        }
        Ok(DomainDns {
            source: DnsSource::Route53 {
                hosted_zone,
                record_sets,
            },
            sets,
        })
    }

    /// A domain whose records are in a zone file: its lines, `NAME [TTL] [IN] TYPE DATA`.
    /// Names are absolute (with the trailing dot); blank lines, `;` comments and `$TTL` are
    /// allowed, other directives and lines that continue the previous owner are not.
    ///
    /// # Errors
    /// [`LeavingError`] on field `records` naming the line that cannot be read, or more than
    /// [`MAX_RECORD_SETS`] lines.
    pub fn zone_lines(text: &str) -> Result<Self, LeavingError> {
        DomainDns::from_zone_lines(text.lines().map(str::to_owned).collect())
    }

    fn from_zone_lines(lines: Vec<String>) -> Result<Self, LeavingError> {
        if lines.len() > MAX_RECORD_SETS {
            return Err(LeavingError::input(
                "records",
                format!("{} lines, at most {MAX_RECORD_SETS} are read", lines.len()),
            ));
        }
        let mut sets: Vec<RecordSet> = Vec::new();
        let mut default_ttl = None;
        for (index, line) in lines.iter().enumerate() {
            let field = format!("records[line {}]", index + 1);
            if line.len() > MAX_RECORD_TEXT_LEN {
                return Err(LeavingError::input(field, "the line is too long"));
            }
            let content = without_comment(line);
            if content.trim().is_empty() {
                continue;
            }
            if line.starts_with(char::is_whitespace) {
                return Err(LeavingError::input(
                    field,
                    "every line names its owner (no continued owner)",
                ));
            }
            let mut words = content.split_ascii_whitespace();
            let owner = words.next().unwrap_or_default();
            if owner.eq_ignore_ascii_case("$TTL") {
                default_ttl = words.next().and_then(|ttl| ttl.parse::<u32>().ok());
                continue;
            }
            if owner.starts_with('$') {
                return Err(LeavingError::input(
                    field,
                    format!(
                        "the directive {} is not supported",
                        crate::text::shown(owner)
                    ),
                ));
            }
            if !owner.ends_with('.') {
                return Err(LeavingError::input(
                    field,
                    "the owner name is not absolute (it ends with a dot)",
                ));
            }
            let mut ttl = default_ttl;
            let mut kind = None;
            for word in words.by_ref() {
                if let Ok(seconds) = word.parse::<u32>() {
                    ttl = Some(seconds);
                } else if !word.eq_ignore_ascii_case("IN") {
                    kind = Some(word.to_ascii_uppercase());
                    break;
                }
            }
            let Some(kind) = kind else {
                return Err(LeavingError::input(field, "no record type"));
            };
            let data: Vec<&str> = words.collect();
            if data.is_empty() {
                return Err(LeavingError::input(field, "no record data"));
            }
            let value = normal_value(&kind, &data.join(" "));
            let name = normal_name(owner);
            match sets
                .iter_mut()
                .find(|set| set.name == name && set.kind == kind)
            {
                Some(set) => {
                    set.values.push(value);
                    if let Origin::Lines(lines) = &mut set.origin {
                        lines.push(line.clone());
                    }
                }
                None => sets.push(RecordSet {
                    name,
                    kind,
                    ttl,
                    values: vec![value],
                    origin: Origin::Lines(vec![line.clone()]),
                }),
            }
        }
        Ok(DomainDns {
            source: DnsSource::Zone { lines },
            sets,
        })
    }

    /// No records: the test domain, whose records are AWS's.
    pub fn none() -> Self {
        DomainDns {
            source: DnsSource::None,
            sets: Vec::new(),
        }
    }

    /// The hosted zone, for a Route 53 domain.
    pub fn hosted_zone(&self) -> Option<&HostedZoneId> {
        match &self.source {
            DnsSource::Route53 { hosted_zone, .. } => Some(hosted_zone),
            _ => None,
        }
    }

    pub(super) fn is_none(&self) -> bool {
        self.source == DnsSource::None
    }

    fn set(&self, name: &str, kind: &str) -> Option<&RecordSet> {
        self.sets
            .iter()
            .find(|set| set.name == name && set.kind == kind)
    }

    /// The TTL of the MX record set at `domain`, if there is one.
    pub(super) fn mx_ttl(&self, domain: &DomainName) -> Option<u32> {
        self.set(domain.as_str(), "MX").and_then(|set| set.ttl)
    }

    /// The values of a set, as compared.
    pub(super) fn values(&self, name: &str, kind: &str) -> &[String] {
        self.set(name, kind).map_or(&[], |set| &set.values)
    }

    /// Starts a change to these records.
    pub(super) fn change(&self) -> ChangeBuilder<'_> {
        ChangeBuilder {
            dns: self,
            edits: Vec::new(),
        }
    }
}

/// A zone-file line without its comment: from the first `;` outside a quoted string.
fn without_comment(line: &str) -> &str {
    let mut quoted = false;
    let mut escaped = false;
    for (at, c) in line.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            ';' if !quoted => return &line[..at],
            _ => {}
        }
    }
    line
}

/// A name as compared: lower case, no trailing dot, `\052` read as `*`.
fn normal_name(name: &str) -> String {
    let name = name.strip_suffix('.').unwrap_or(name);
    name.replace("\\052", "*").to_ascii_lowercase()
}

/// A value as compared: TXT unquoted and its strings joined, MX and CNAME targets as names.
fn normal_value(kind: &str, value: &str) -> String {
    match kind {
        "TXT" | "SPF" => unquote_txt(value),
        "MX" => {
            let mut parts = value.split_ascii_whitespace();
            match (parts.next(), parts.next()) {
                (Some(preference), Some(exchange)) => {
                    format!("{preference} {}", normal_name(exchange))
                }
                _ => value.trim().to_owned(),
            }
        }
        "CNAME" => normal_name(value.trim()),
        _ => value.trim().to_owned(),
    }
}

/// The text of `"a" "b"` TXT strings, joined, with `\"`, `\\` and `\DDD` read.
fn unquote_txt(value: &str) -> String {
    let value = value.trim();
    if !value.starts_with('"') {
        return value.to_owned();
    }
    let mut out = Vec::new();
    let bytes = value.as_bytes();
    let mut inside = false;
    let mut index = 0;
    while index < bytes.len() {
        let byte = bytes[index];
        match (inside, byte) {
            (false, b'"') => inside = true,
            (false, _) => {}
            (true, b'"') => inside = false,
            (true, b'\\') => {
                let digits = bytes.get(index + 1..index + 4);
                if let Some(code) = digits
                    .filter(|d| d.iter().all(u8::is_ascii_digit))
                    .and_then(|d| std::str::from_utf8(d).ok()?.parse::<u8>().ok())
                {
                    out.push(code);
                    index += 3;
                } else if let Some(&next) = bytes.get(index + 1) {
                    out.push(next);
                    index += 1;
                }
            }
            (true, _) => out.push(byte),
        }
        index += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A change to one domain's records: a Route 53 change batch, or zone-file lines to remove
/// and to add.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum DnsChange {
    /// `ChangeResourceRecordSets` for `hosted_zone`, with `change_batch` as the Route 53 API
    /// takes it: `{"Comment", "Changes": [{"Action", "ResourceRecordSet"}]}`. A `DELETE`
    /// carries the record set exactly as it was listed.
    Route53 {
        /// The hosted zone.
        hosted_zone: HostedZoneId,
        /// The change batch.
        change_batch: Value,
    },
    /// Lines to remove from the zone file, exactly as given, and lines to add.
    ZoneLines {
        /// Lines to remove.
        remove: Vec<String>,
        /// Lines to add.
        add: Vec<String>,
    },
}

impl DnsChange {
    /// Whether the change changes nothing.
    pub fn is_empty(&self) -> bool {
        match self {
            DnsChange::Route53 { change_batch, .. } => change_batch
                .get("Changes")
                .and_then(Value::as_array)
                .is_none_or(Vec::is_empty),
            DnsChange::ZoneLines { remove, add } => remove.is_empty() && add.is_empty(),
        }
    }
}

impl fmt::Display for DnsChange {
    /// Route 53: `ACTION TYPE NAME VALUE...` per change; zone: `- LINE` and `+ LINE`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DnsChange::Route53 {
                hosted_zone,
                change_batch,
            } => {
                write!(f, "Route 53 change batch for hosted zone {hosted_zone}:")?;
                for change in change_batch
                    .get("Changes")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    let set = &change["ResourceRecordSet"];
                    let values: Vec<&str> = set["ResourceRecords"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|record| record["Value"].as_str())
                        .collect();
                    write!(
                        f,
                        "\n  {} {} {} {}",
                        change["Action"].as_str().unwrap_or("?"),
                        set["Type"].as_str().unwrap_or("?"),
                        set["Name"].as_str().unwrap_or("?"),
                        values.join(", ")
                    )?;
                }
                Ok(())
            }
            DnsChange::ZoneLines { remove, add } => {
                f.write_str("zone-file lines:")?;
                for line in remove {
                    write!(f, "\n  - {line}")?;
                }
                for line in add {
                    write!(f, "\n  + {line}")?;
                }
                Ok(())
            }
        }
    }
}

/// One edit: the set at `name`/`kind` becomes `values` (none: removed).
struct Edit {
    name: String,
    kind: &'static str,
    ttl: u32,
    /// Values in presentation form, for writing.
    values: Vec<String>,
    /// For a value kept from the existing set: its index there (zone lines are kept as they
    /// are); `None` for a new value.
    kept: Vec<Option<usize>>,
}

pub(super) struct ChangeBuilder<'a> {
    dns: &'a DomainDns,
    edits: Vec<Edit>,
}

impl ChangeBuilder<'_> {
    /// The set at `name`/`kind` becomes `values` (presentation form), with `ttl` if new.
    pub(super) fn replace(
        &mut self,
        name: &str,
        kind: &'static str,
        ttl: u32,
        values: Vec<String>,
    ) {
        let kept = vec![None; values.len()];
        self.edits.push(Edit {
            name: name.to_owned(),
            kind,
            ttl,
            values,
            kept,
        });
    }

    /// Removes the values at `indexes` from the existing set at `name`/`kind`, keeping the
    /// others.
    pub(super) fn remove_values(&mut self, name: &str, kind: &'static str, indexes: &[usize]) {
        let Some(set) = self.dns.set(name, kind) else {
            return;
        };
        let keep: Vec<usize> = (0..set.values.len())
            .filter(|index| !indexes.contains(index))
            .collect();
        self.edits.push(Edit {
            name: name.to_owned(),
            kind,
            ttl: set.ttl.unwrap_or(crate::dns::RECOMMENDED_TTL),
            values: keep.iter().map(|&i| set.values[i].clone()).collect(),
            kept: keep.into_iter().map(Some).collect(),
        });
    }

    /// The change, or `None` when there is nothing to change.
    pub(super) fn finish(self, comment: &str) -> Option<DnsChange> {
        let change = match &self.dns.source {
            DnsSource::Route53 {
                hosted_zone,
                record_sets,
            } => {
                let mut changes = Vec::new();
                for edit in &self.edits {
                    let existing = self.dns.set(&edit.name, edit.kind);
                    if edit.values.is_empty() {
                        if let Some(RecordSet {
                            origin: Origin::Route53(index),
                            ..
                        }) = existing
                        {
                            changes.push(route53_change("DELETE", record_sets[*index].clone()));
                        }
                        continue;
                    }
                    let ttl = existing.and_then(|set| set.ttl).unwrap_or(edit.ttl);
                    let records: Vec<Value> = edit
                        .values
                        .iter()
                        .map(|value| {
                            let mut record = Map::new();
                            record.insert(
                                "Value".into(),
                                Value::String(presentation(edit.kind, value)),
                            );
                            Value::Object(record)
                        })
                        .collect();
                    let mut set = Map::new();
                    set.insert("Name".into(), Value::String(format!("{}.", edit.name)));
                    set.insert("Type".into(), Value::String(edit.kind.into()));
                    set.insert("TTL".into(), Value::from(ttl));
                    set.insert("ResourceRecords".into(), Value::Array(records));
                    changes.push(route53_change("UPSERT", Value::Object(set)));
                }
                if changes.is_empty() {
                    return None;
                }
                let mut batch = Map::new();
                batch.insert("Comment".into(), Value::String(comment.into()));
                batch.insert("Changes".into(), Value::Array(changes));
                DnsChange::Route53 {
                    hosted_zone: hosted_zone.clone(),
                    change_batch: Value::Object(batch),
                }
            }
            DnsSource::Zone { .. } => {
                let mut remove = Vec::new();
                let mut add = Vec::new();
                for edit in &self.edits {
                    let existing = self.dns.set(&edit.name, edit.kind);
                    let old_lines: &[String] = match existing {
                        Some(RecordSet {
                            origin: Origin::Lines(lines),
                            ..
                        }) => lines,
                        _ => &[],
                    };
                    for (index, line) in old_lines.iter().enumerate() {
                        if !edit.kept.contains(&Some(index)) {
                            remove.push(line.clone());
                        }
                    }
                    let ttl = existing.and_then(|set| set.ttl).unwrap_or(edit.ttl);
                    for (value, kept) in edit.values.iter().zip(&edit.kept) {
                        if kept.is_none() {
                            add.push(format!(
                                "{}. {ttl} IN {} {}",
                                edit.name,
                                edit.kind,
                                zone_data(edit.kind, value)
                            ));
                        }
                    }
                }
                if remove.is_empty() && add.is_empty() {
                    return None;
                }
                DnsChange::ZoneLines { remove, add }
            }
            DnsSource::None => return None,
        };
        Some(change)
    }
}

fn route53_change(action: &str, set: Value) -> Value {
    let mut change = Map::new();
    change.insert("Action".into(), Value::String(action.into()));
    change.insert("ResourceRecordSet".into(), set);
    Value::Object(change)
}

/// A compared value back in Route 53's presentation form: TXT quoted.
fn presentation(kind: &str, value: &str) -> String {
    match kind {
        "TXT" => quoted_txt(value),
        _ => value.to_owned(),
    }
}

/// A value in zone-file form: TXT quoted, MX and CNAME targets absolute.
fn zone_data(kind: &str, value: &str) -> String {
    match kind {
        "TXT" => quoted_txt(value),
        "CNAME" => format!("{value}."),
        "MX" => format!("{value}."),
        _ => value.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn txt_values_are_unquoted_and_joined() {
        assert_eq!(unquote_txt(r#""v=spf1 " "-all""#), "v=spf1 -all");
        assert_eq!(unquote_txt(r#""say \"hi\"""#), "say \"hi\"");
        assert_eq!(unquote_txt(r#""a\059b""#), "a;b");
        assert_eq!(unquote_txt("bare"), "bare");
    }

    #[test]
    fn a_semicolon_in_a_quoted_string_is_no_comment() {
        assert_eq!(
            without_comment(r#"_dmarc.acme.example. IN TXT "v=DMARC1;p=none" ; note"#),
            r#"_dmarc.acme.example. IN TXT "v=DMARC1;p=none" "#
        );
        assert_eq!(
            without_comment(r#"a. IN TXT "x\";y" ;c"#),
            r#"a. IN TXT "x\";y" "#
        );
        let dns = DomainDns::zone_lines(
            "_dmarc.acme.example. IN TXT \"v=DMARC1;p=quarantine;pct=100;fo=1\"",
        )
        .unwrap();
        assert_eq!(
            dns.values("_dmarc.acme.example", "TXT"),
            ["v=DMARC1;p=quarantine;pct=100;fo=1"]
        );
    }

    #[test]
    fn zone_lines_group_into_sets() {
        let dns = DomainDns::zone_lines(
            "; comment\n$TTL 300\nacme.example. IN MX 10 inbound-smtp.us-east-1.amazonaws.com.\n\
             acme.example. 60 IN TXT \"v=spf1 include:amazonses.com ~all\"\n",
        )
        .unwrap();
        let domain: DomainName = "acme.example".parse().unwrap();
        assert_eq!(dns.mx_ttl(&domain), Some(300));
        assert_eq!(
            dns.values("acme.example", "TXT"),
            ["v=spf1 include:amazonses.com ~all"]
        );
        let err = DomainDns::zone_lines("acme.example IN MX 10 mx.").unwrap_err();
        assert_eq!(
            err.to_string(),
            "records[line 1]: the owner name is not absolute (it ends with a dot)"
        );
        let err = DomainDns::zone_lines("  IN MX 10 mx.").unwrap_err();
        assert_eq!(err.field(), "records[line 1]");
    }

    #[test]
    fn route53_pages_are_read_and_truncation_refused() {
        let zone: HostedZoneId = "Z0555".parse().unwrap();
        let page = r#"{"ResourceRecordSets": [{"Name": "Acme.Example.", "Type": "MX", "TTL": 300,
            "ResourceRecords": [{"Value": "10 inbound-smtp.us-east-1.amazonaws.com"}]}],
            "IsTruncated": false}"#;
        let dns = DomainDns::route53(zone.clone(), page).unwrap();
        assert_eq!(
            dns.values("acme.example", "MX"),
            ["10 inbound-smtp.us-east-1.amazonaws.com"]
        );
        let truncated = r#"{"ResourceRecordSets": [], "IsTruncated": true}"#;
        let err = DomainDns::route53(zone.clone(), truncated).unwrap_err();
        assert_eq!(err.field(), "records");
        let err =
            DomainDns::route53(zone, r#"{"ResourceRecordSets": [{"Type": "MX"}]}"#).unwrap_err();
        assert_eq!(err.field(), "records.ResourceRecordSets[0].Name");
    }

    #[test]
    fn a_delete_carries_the_listed_set_exactly() {
        let zone: HostedZoneId = "Z0555".parse().unwrap();
        let listed = r#"{"Name": "autodiscover.acme.example.", "Type": "CNAME", "TTL": 3600,
            "ResourceRecords": [{"Value": "autodiscover.mail.us-east-1.awsapps.com"}],
            "SomethingNew": 1}"#;
        let dns =
            DomainDns::route53(zone, &format!(r#"{{"ResourceRecordSets": [{listed}]}}"#)).unwrap();
        let mut change = dns.change();
        change.remove_values("autodiscover.acme.example", "CNAME", &[0]);
        let Some(DnsChange::Route53 { change_batch, .. }) = change.finish("test") else {
            panic!("a change batch");
        };
        let expected: Value = serde_json::from_str(listed).unwrap();
        assert_eq!(change_batch["Changes"][0]["Action"], "DELETE");
        assert_eq!(change_batch["Changes"][0]["ResourceRecordSet"], expected);
    }
}
