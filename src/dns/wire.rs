//! Reading `GetMailDomain` responses with serde: PascalCase fields, unknown fields ignored,
//! `null` read as absent, and every error naming the field it is about.
//!
//! The readers only check JSON types; the values go through
//! [`GetMailDomainResponseBuilder::build`] and [`DnsRecord::from_raw`], the same checks as
//! every other way in.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

use super::mail_domain::{too_many_records, FieldPath, RawRecord, MAX_RECORDS};
use super::{DnsRecord, GetMailDomainResponse};

impl<'de> Deserialize<'de> for GetMailDomainResponse {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(ResponseVisitor)
    }
}

impl<'de> Deserialize<'de> for DnsRecord {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct LoneRecord;
        impl<'de> Visitor<'de> for LoneRecord {
            type Value = DnsRecord;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                RecordSeed { index: None }.expecting(f)
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<DnsRecord, A::Error> {
                // Checked here, inside the map, so that the error carries its position.
                let raw = RecordSeed { index: None }.visit_map(map)?;
                DnsRecord::from_raw(raw, None).map_err(de::Error::custom)
            }
        }
        deserializer.deserialize_map(LoneRecord)
    }
}

/// The response's field names; anything else is ignored.
enum ResponseField {
    Records,
    IsTestDomain,
    IsDefault,
    OwnershipVerificationStatus,
    DkimVerificationStatus,
    Other,
}

impl ResponseField {
    const NAMES: [&'static str; 5] = [
        "Records",
        "IsTestDomain",
        "IsDefault",
        "OwnershipVerificationStatus",
        "DkimVerificationStatus",
    ];

    fn slot(&self) -> Option<usize> {
        match self {
            ResponseField::Records => Some(0),
            ResponseField::IsTestDomain => Some(1),
            ResponseField::IsDefault => Some(2),
            ResponseField::OwnershipVerificationStatus => Some(3),
            ResponseField::DkimVerificationStatus => Some(4),
            ResponseField::Other => None,
        }
    }
}

impl<'de> Deserialize<'de> for ResponseField {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct FieldVisitor;
        impl Visitor<'_> for FieldVisitor {
            type Value = ResponseField;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a field name")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<ResponseField, E> {
                Ok(match v {
                    "Records" => ResponseField::Records,
                    "IsTestDomain" => ResponseField::IsTestDomain,
                    "IsDefault" => ResponseField::IsDefault,
                    "OwnershipVerificationStatus" => ResponseField::OwnershipVerificationStatus,
                    "DkimVerificationStatus" => ResponseField::DkimVerificationStatus,
                    _ => ResponseField::Other,
                })
            }
        }
        deserializer.deserialize_identifier(FieldVisitor)
    }
}

struct ResponseVisitor;

impl<'de> Visitor<'de> for ResponseVisitor {
    type Value = GetMailDomainResponse;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a GetMailDomain response object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut builder = GetMailDomainResponse::builder();
        let mut seen = [false; 5];
        while let Some(field) = map.next_key::<ResponseField>()? {
            if let Some(slot) = field.slot() {
                if std::mem::replace(&mut seen[slot], true) {
                    return Err(de::Error::duplicate_field(ResponseField::NAMES[slot]));
                }
            }
            match field {
                ResponseField::Records => {
                    map.next_value_seed(RecordsSeed(&mut builder))?;
                }
                ResponseField::IsTestDomain => {
                    if let Some(flag) = map.next_value_seed(BoolSeed("IsTestDomain"))? {
                        builder = builder.is_test_domain(flag);
                    }
                }
                ResponseField::IsDefault => {
                    if let Some(flag) = map.next_value_seed(BoolSeed("IsDefault"))? {
                        builder = builder.is_default(flag);
                    }
                }
                ResponseField::OwnershipVerificationStatus => {
                    let status = map
                        .next_value_seed(TextSeed(FieldPath::top("OwnershipVerificationStatus")))?;
                    builder = builder.ownership_verification_status(status.as_deref());
                }
                ResponseField::DkimVerificationStatus => {
                    let status =
                        map.next_value_seed(TextSeed(FieldPath::top("DkimVerificationStatus")))?;
                    builder = builder.dkim_verification_status(status.as_deref());
                }
                ResponseField::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        builder.build().map_err(de::Error::custom)
    }
}

/// `Records`: a list, or `null` for none. Stops one past [`MAX_RECORDS`].
struct RecordsSeed<'b>(&'b mut super::GetMailDomainResponseBuilder);

impl<'de> DeserializeSeed<'de> for RecordsSeed<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_option(self)
    }
}

impl<'de> Visitor<'de> for RecordsSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of records (Records)")
    }

    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut index = 0;
        loop {
            if index == MAX_RECORDS {
                if seq.next_element::<IgnoredAny>()?.is_some() {
                    return Err(de::Error::custom(too_many_records(MAX_RECORDS + 1)));
                }
                return Ok(());
            }
            match seq.next_element_seed(RecordSeed { index: Some(index) })? {
                Some(raw) => self.0.push_raw(raw),
                None => return Ok(()),
            }
            index += 1;
        }
    }
}

/// One record object; its fields are checked later, by [`DnsRecord::from_raw`].
struct RecordSeed {
    index: Option<usize>,
}

impl<'de> DeserializeSeed<'de> for RecordSeed {
    type Value = RawRecord;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<RawRecord, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for RecordSeed {
    type Value = RawRecord;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.index {
            Some(index) => write!(f, "a record object (Records[{index}])"),
            None => f.write_str("a record object"),
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawRecord, A::Error> {
        let mut raw = RawRecord::default();
        while let Some(key) = map.next_key::<RecordField>()? {
            let (slot, name) = match key {
                RecordField::Type => (&mut raw.kind, "Type"),
                RecordField::Hostname => (&mut raw.hostname, "Hostname"),
                RecordField::Value => (&mut raw.value, "Value"),
                RecordField::Other => {
                    map.next_value::<IgnoredAny>()?;
                    continue;
                }
            };
            let path = FieldPath::record(self.index, name);
            if slot.is_some() {
                return Err(de::Error::custom(format_args!("duplicate field `{path}`")));
            }
            *slot = map.next_value_seed(TextSeed(path))?;
        }
        Ok(raw)
    }
}

enum RecordField {
    Type,
    Hostname,
    Value,
    Other,
}

impl<'de> Deserialize<'de> for RecordField {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct FieldVisitor;
        impl Visitor<'_> for FieldVisitor {
            type Value = RecordField;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a field name")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RecordField, E> {
                Ok(match v {
                    "Type" => RecordField::Type,
                    "Hostname" => RecordField::Hostname,
                    "Value" => RecordField::Value,
                    _ => RecordField::Other,
                })
            }
        }
        deserializer.deserialize_identifier(FieldVisitor)
    }
}

/// A string field, or `null` for absent; a wrong JSON type names the field.
struct TextSeed(FieldPath);

impl<'de> DeserializeSeed<'de> for TextSeed {
    type Value = Option<String>;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_option(self)
    }
}

impl<'de> Visitor<'de> for TextSeed {
    type Value = Option<String>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a string ({})", self.0)
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_string(self)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Some(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Some(v))
    }
}

/// A boolean field, or `null` for absent; a wrong JSON type names the field.
struct BoolSeed(&'static str);

impl<'de> DeserializeSeed<'de> for BoolSeed {
    type Value = Option<bool>;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_option(self)
    }
}

impl<'de> Visitor<'de> for BoolSeed {
    type Value = Option<bool>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a boolean ({})", self.0)
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_bool(self)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Some(v))
    }
}
