//! The drafts' serde format: the JSON format of the spec module docs, read and written once.
//!
//! Writing: the tagged draft enums derive `Serialize` (`type` first, then their fields);
//! [`OrganizationDraft`] writes its own fields (see its `Serialize`).
//!
//! Reading is written here by hand, one engine for every object of the format, so that a
//! shape error names the JSON path of what is wrong and what is allowed there, and never a
//! type of this crate: `invalid type: string "acme.org", expected domains[0] to be an object
//! whose "type" is one of existing_route53, new_route53, external, free_test`. Each object
//! (the organization, a domain, a directory, an encryption choice, a directory report) says
//! once which fields it has, which `type`s and which fields each type allows and requires.
//!
//! Sequences: a human-readable format (JSON, YAML, TOML) must write every object as an
//! object, so a list where an object belongs, `["acme", "us-east-1"]` at the top included,
//! is refused. A compact format (MessagePack, CBOR, ...) may write an object as the sequence
//! of its fields in order (`type` first), and that is read. `Deserializer::is_human_readable`
//! tells the two apart, asked once for the whole document.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Unexpected, Visitor};
use serde::ser::{SerializeStruct, Serializer};
use serde::{Deserialize, Serialize};

use crate::text::{shown, Listed};

use super::directory::ACTIVE_STAGE;
use super::draft::{
    DirectoryDraft, DirectoryRef, DomainDraft, DomainRef, DraftRef, EncryptionDraft, EncryptionRef,
    ExistingDirectoryDraft, ExistingDirectoryRef, OrganizationDraft,
};
use super::OrganizationSpec;

/// The field that tags an object's type.
const TYPE: &str = "type";

// ---------------------------------------------------------------------------------------
// Where a value is

/// Where a value is in the document being read, for messages: `domains[0].name`.
#[derive(Clone, Copy)]
enum Path<'a> {
    Root,
    Field(&'a Path<'a>, &'static str),
    Index(&'a Path<'a>, usize),
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Path::Root => Ok(()),
            Path::Field(Path::Root, key) => f.write_str(key),
            Path::Field(parent, key) => write!(f, "{parent}.{key}"),
            Path::Index(parent, index) => write!(f, "{parent}[{index}]"),
        }
    }
}

/// Where a value is, and whether the format is human-readable.
#[derive(Clone, Copy)]
struct Place<'a> {
    path: Path<'a>,
    human_readable: bool,
}

impl Place<'_> {
    fn root(human_readable: bool) -> Place<'static> {
        Place {
            path: Path::Root,
            human_readable,
        }
    }

    /// The place of field `key` of the object here.
    fn field(&self, key: &'static str) -> Place<'_> {
        Place {
            path: Path::Field(&self.path, key),
            ..*self
        }
    }

    /// The place of entry `index` of the list here.
    fn index(&self, index: usize) -> Place<'_> {
        Place {
            path: Path::Index(&self.path, index),
            ..*self
        }
    }

    /// An error about the value here: `PATH: MESSAGE`, or `MESSAGE` at the root.
    fn error<E: de::Error>(&self, message: impl fmt::Display) -> E {
        match self.path {
            Path::Root => E::custom(message),
            path => E::custom(format_args!("{path}: {message}")),
        }
    }

    /// What a visitor expects here: `PATH to be WHAT`, or `WHAT` at the root.
    fn expecting(&self, f: &mut fmt::Formatter<'_>, what: impl fmt::Display) -> fmt::Result {
        match self.path {
            Path::Root => write!(f, "{what}"),
            path => write!(f, "{path} to be {what}"),
        }
    }
}

// ---------------------------------------------------------------------------------------
// Values

/// A value of the format, read at its place in the document. Text borrows from the input
/// (`'de`) when the format lends it.
trait Read<'de>: Sized {
    fn read<D: Deserializer<'de>>(deserializer: D, at: Place<'_>) -> Result<Self, D::Error>;
}

/// Reads a `T` at a place.
struct Seed<'a, T>(Place<'a>, PhantomData<T>);

fn seed<T>(place: Place<'_>) -> Seed<'_, T> {
    Seed(place, PhantomData)
}

impl<'de, T: Read<'de>> DeserializeSeed<'de> for Seed<'_, T> {
    type Value = T;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        T::read(deserializer, self.0)
    }
}

/// Reads a string, borrowed from the input when the format lends it.
struct Text<'a>(Place<'a>);

impl<'de> Visitor<'de> for Text<'_> {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.expecting(f, "a string")
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v))
    }
}

impl<'de> Read<'de> for Cow<'de, str> {
    fn read<D: Deserializer<'de>>(deserializer: D, at: Place<'_>) -> Result<Self, D::Error> {
        deserializer.deserialize_str(Text(at))
    }
}

/// Reads `true` or `false`.
struct Flag<'a>(Place<'a>);

impl Visitor<'_> for Flag<'_> {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.expecting(f, "true or false")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<bool, E> {
        Ok(v)
    }
}

impl<'de> Read<'de> for bool {
    fn read<D: Deserializer<'de>>(deserializer: D, at: Place<'_>) -> Result<Self, D::Error> {
        deserializer.deserialize_bool(Flag(at))
    }
}

/// Reads a string or null.
struct OptionalText<'a>(Place<'a>);

impl<'de> Visitor<'de> for OptionalText<'_> {
    type Value = Option<Cow<'de, str>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.expecting(f, "a string or null")
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        Cow::read(deserializer, self.0).map(Some)
    }
}

impl<'de> Read<'de> for Option<Cow<'de, str>> {
    fn read<D: Deserializer<'de>>(deserializer: D, at: Place<'_>) -> Result<Self, D::Error> {
        deserializer.deserialize_option(OptionalText(at))
    }
}

/// Reads a list, each entry at its index.
struct List<'a, T>(Place<'a>, PhantomData<T>);

impl<'de, T: Read<'de>> Visitor<'de> for List<'_, T> {
    type Value = Vec<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.expecting(f, "a list")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
        // A hint from the input is not trusted for more than a small allocation.
        let mut entries = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(16));
        while let Some(entry) = seq.next_element_seed(seed(self.0.index(entries.len())))? {
            entries.push(entry);
        }
        Ok(entries)
    }
}

impl<'de, T: Read<'de>> Read<'de> for Vec<T> {
    fn read<D: Deserializer<'de>>(deserializer: D, at: Place<'_>) -> Result<Self, D::Error> {
        deserializer.deserialize_seq(List(at, PhantomData))
    }
}

// ---------------------------------------------------------------------------------------
// Objects

/// An object of the format: its fields, its `type`s if it is tagged, and how its borrowed
/// draft is made from what was read. Implemented by the public draft types, which are
/// made from the borrowed ones.
trait Object: Sized + 'static {
    /// The name `deserialize_struct` is told.
    const NAME: &'static str;
    /// Whether the object has a `type` field that says which of [`TYPES`](Self::TYPES) it is.
    const TAGGED: bool;
    /// Every field, `type` first when tagged: what `deserialize_struct` is told.
    const FIELDS: &'static [&'static str];
    /// The types of a tagged object; the one (nameless) type of an untagged one.
    const TYPES: &'static [Type<Self>];
    /// What each type allows and requires, as bits.
    const BITS: [Bits; MAX_TYPES] = type_bits::<Self>();

    /// What was read so far: an `Option` per field.
    type Fields<'de>: Fields<'de>;
    /// The borrowed draft made of what was read.
    type Borrowed<'de>;
    /// How a type makes the borrowed draft: a `for<'de> fn` from the fields to it.
    type Build: Build<Self> + 'static;

    /// What the object is, in "expected ..." messages.
    fn describe(f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let types = Self::TYPES.iter().map(|ty| ty.name);
        write!(
            f,
            "an object whose \"type\" is one of {}",
            Listed::all(types)
        )
    }
}

/// One type of an object.
struct Type<T: Object> {
    /// The `type`'s value; empty for an untagged object.
    name: &'static str,
    /// The fields the type allows besides `type`, in the order a sequence lists them.
    fields: &'static [&'static str],
    /// The fields it requires.
    required: &'static [&'static str],
    /// Makes the draft of what was read, once every required field is there.
    build: T::Build,
}

/// The most types an object has.
const MAX_TYPES: usize = 4;

/// What a type allows and requires, as bits of [`Object::FIELDS`]: worked out once, at
/// compile time, from [`Object::TYPES`].
#[derive(Clone, Copy)]
struct Bits {
    /// The fields it allows, `type` included.
    allowed: u32,
    /// The fields it requires.
    required: u32,
}

/// The [`Bits`] of each of `T`'s types, in the order of [`Object::TYPES`].
const fn type_bits<T: Object>() -> [Bits; MAX_TYPES] {
    let tag = if T::TAGGED { 1 } else { 0 };
    let mut out = [Bits {
        allowed: 0,
        required: 0,
    }; MAX_TYPES];
    let mut index = 0;
    while index < T::TYPES.len() {
        let ty = &T::TYPES[index];
        out[index] = Bits {
            allowed: bits(T::FIELDS, ty.fields) | tag,
            required: bits(T::FIELDS, ty.required),
        };
        index += 1;
    }
    out
}

/// The bits, by index in `all`, of the names in `names`.
const fn bits(all: &[&str], names: &[&str]) -> u32 {
    let mut bits = 0;
    let mut index = 0;
    while index < all.len() {
        let mut name = 0;
        while name < names.len() {
            if all[index].len() == names[name].len()
                && same(all[index].as_bytes(), names[name].as_bytes())
            {
                bits |= 1 << index;
            }
            name += 1;
        }
        index += 1;
    }
    bits
}

const fn same(a: &[u8], b: &[u8]) -> bool {
    let mut index = 0;
    while index < a.len() {
        if a[index] != b[index] {
            return false;
        }
        index += 1;
    }
    true
}

/// Makes the borrowed draft of an object from what was read: its [`Type::build`].
trait Build<T: Object> {
    fn build<'de>(&self, fields: T::Fields<'de>) -> T::Borrowed<'de>;
}

/// The [`Object::Build`] of objects read as `FIELDS` and made into `BORROWED`.
macro_rules! builds {
    ($($ty:ident: $fields:ident => $borrowed:ident),*) => {$(
        impl Build<$ty> for for<'de> fn($fields<'de>) -> $borrowed<'de> {
            fn build<'de>(
                &self,
                fields: <$ty as Object>::Fields<'de>,
            ) -> <$ty as Object>::Borrowed<'de> {
                self(fields)
            }
        }
    )*};
}

builds!(
    OrganizationDraft: OrganizationFields => DraftRef,
    DomainDraft: DomainFields => DomainRef,
    DirectoryDraft: ReportFields => DirectoryRef,
    ExistingDirectoryDraft: ReportFields => ExistingDirectoryRef,
    EncryptionDraft: EncryptionFields => EncryptionRef
);

/// Where a field's value comes from: a map's next value or a sequence's next element.
trait Source<'de> {
    type Error: de::Error;

    /// The next value, read as a `T` at `place`; `None` when a sequence has ended.
    fn next<T: Read<'de>>(&mut self, place: Place<'_>) -> Result<Option<T>, Self::Error>;
}

struct MapValue<'m, A>(&'m mut A);

impl<'de, A: MapAccess<'de>> Source<'de> for MapValue<'_, A> {
    type Error = A::Error;

    fn next<T: Read<'de>>(&mut self, place: Place<'_>) -> Result<Option<T>, A::Error> {
        self.0.next_value_seed(seed(place)).map(Some)
    }
}

struct SeqElement<'m, A>(&'m mut A);

impl<'de, A: SeqAccess<'de>> Source<'de> for SeqElement<'_, A> {
    type Error = A::Error;

    fn next<T: Read<'de>>(&mut self, place: Place<'_>) -> Result<Option<T>, A::Error> {
        self.0.next_element_seed(seed(place))
    }
}

/// Reads the next value into `slot`; whether there was one.
fn fill<'de, S: Source<'de>, T: Read<'de>>(
    slot: &mut Option<T>,
    source: &mut S,
    place: Place<'_>,
) -> Result<bool, S::Error> {
    let value = source.next(place)?;
    let read = value.is_some();
    if read {
        *slot = value;
    }
    Ok(read)
}

/// What was read of an object so far: an `Option` per field, filled by the field's name.
trait Fields<'de>: Default {
    /// The fields' names, in order.
    const KEYS: &'static [&'static str];

    /// Reads the value of field `index` of [`KEYS`](Self::KEYS); `false` when a sequence
    /// ended before it, or when there is no such field (which the engine never asks).
    fn read<S: Source<'de>>(
        &mut self,
        index: usize,
        source: &mut S,
        place: Place<'_>,
    ) -> Result<bool, S::Error>;
}

/// Declares what is read of an object: a struct with an `Option` per field, named as the
/// format names the field, and its [`Fields`] reader.
macro_rules! fields {
    ($(#[$meta:meta])* struct $name:ident<'de> { $($field:ident: $ty:ty,)+ }) => {
        $(#[$meta])*
        #[derive(Default)]
        struct $name<'de> {
            $($field: Option<$ty>,)+
        }

        impl<'de> Fields<'de> for $name<'de> {
            const KEYS: &'static [&'static str] = &[$(stringify!($field)),+];

            fn read<S: Source<'de>>(
                &mut self,
                index: usize,
                source: &mut S,
                place: Place<'_>,
            ) -> Result<bool, S::Error> {
                let mut at = 0;
                $(
                    if index == at {
                        return fill(&mut self.$field, source, place);
                    }
                    at += 1;
                )+
                let _ = at;
                Ok(false)
            }
        }
    };
}

/// Which fields of an object were read: a bit per index in [`Object::FIELDS`].
#[derive(Default)]
struct Seen(u32);

impl Seen {
    /// Marks field `index`; `false` if it was already read.
    fn insert(&mut self, index: usize) -> bool {
        let bit = 1 << index;
        let new = self.0 & bit == 0;
        self.0 |= bit;
        new
    }

    fn contains(&self, index: usize) -> bool {
        self.0 & (1 << index) != 0
    }
}

/// Reads a field name: its index among the object's fields, or the unknown name as
/// messages show it.
struct Key(&'static [&'static str]);

impl<'de> DeserializeSeed<'de> for Key {
    type Value = Result<usize, Box<str>>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl Visitor<'_> for Key {
    type Value = Result<usize, Box<str>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(self
            .0
            .iter()
            .position(|key| *key == v)
            .ok_or_else(|| shown(v)))
    }
}

/// Reads an object of type `T`, from a map or (in a compact format) a sequence.
struct ObjectVisitor<'a, T>(Place<'a>, PhantomData<T>);

/// Reads the object `T` describes, as its borrowed draft.
fn read_object<'de, T: Object, D: Deserializer<'de>>(
    deserializer: D,
    at: Place<'_>,
) -> Result<T::Borrowed<'de>, D::Error> {
    deserializer.deserialize_struct(T::NAME, T::FIELDS, ObjectVisitor::<T>(at, PhantomData))
}

/// Each object reads as its borrowed draft, and as its public draft made from that.
macro_rules! read_objects {
    ($($ty:ident => $borrowed:ident),*) => {$(
        impl<'de> Read<'de> for $borrowed<'de> {
            fn read<D: Deserializer<'de>>(deserializer: D, at: Place<'_>) -> Result<Self, D::Error> {
                read_object::<$ty, D>(deserializer, at)
            }
        }

        impl<'de> Read<'de> for $ty {
            fn read<D: Deserializer<'de>>(deserializer: D, at: Place<'_>) -> Result<Self, D::Error> {
                read_object::<$ty, D>(deserializer, at).map($ty::from)
            }
        }
    )*};
}

read_objects!(
    OrganizationDraft => DraftRef,
    DomainDraft => DomainRef,
    DirectoryDraft => DirectoryRef,
    ExistingDirectoryDraft => ExistingDirectoryRef,
    EncryptionDraft => EncryptionRef
);

impl<'de, T: Object> Visitor<'de> for ObjectVisitor<'_, T> {
    type Value = T::Borrowed<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        struct Describe<T>(PhantomData<T>);
        impl<T: Object> fmt::Display for Describe<T> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                T::describe(f)
            }
        }
        self.0.expecting(f, Describe::<T>(PhantomData))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let place = self.0;
        let mut seen = Seen::default();
        let mut fields = T::Fields::default();
        // The index of the type, once known.
        let mut found = if T::TAGGED { None } else { Some(0) };
        while let Some(key) = map.next_key_seed(Key(T::FIELDS))? {
            let index =
                key.map_err(|name| unknown_field::<T, _>(place, &name, found.map(type_at::<T>)))?;
            let key = T::FIELDS[index];
            if !seen.insert(index) {
                return Err(place.error(format_args!("duplicate field \"{key}\"")));
            }
            if T::TAGGED && index == 0 {
                let ty = read_type::<T, _>(&mut MapValue(&mut map), place)?;
                // The fields read before `type` must be the type's too: the first of them
                // (in the order of `FIELDS`) that is not is named.
                let unknown = seen.0 & !T::BITS[ty].allowed;
                if unknown != 0 {
                    let key = T::FIELDS[unknown.trailing_zeros() as usize];
                    return Err(unknown_field(place, key, Some(type_at::<T>(ty))));
                }
                found = Some(ty);
                continue;
            }
            if let Some(ty) = found.filter(|&ty| T::BITS[ty].allowed & (1 << index) == 0) {
                return Err(unknown_field(place, key, Some(type_at::<T>(ty))));
            }
            let field = index - usize::from(T::TAGGED);
            fields.read(field, &mut MapValue(&mut map), place.field(key))?;
        }
        let ty = found.ok_or_else(|| missing_type::<T, _>(place))?;
        finish::<T, _>(place, ty, &seen, fields)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let place = self.0;
        if place.human_readable {
            return Err(de::Error::invalid_type(Unexpected::Seq, &self));
        }
        let mut seen = Seen::default();
        let mut fields = T::Fields::default();
        let ty = if T::TAGGED {
            seen.insert(0);
            read_type::<T, _>(&mut SeqElement(&mut seq), place)?
        } else {
            0
        };
        for key in type_at::<T>(ty).fields {
            let Some(field) = <T::Fields<'de>>::KEYS.iter().position(|known| known == key) else {
                continue;
            };
            if !fields.read(field, &mut SeqElement(&mut seq), place.field(key))? {
                break;
            }
            seen.insert(field + usize::from(T::TAGGED));
        }
        finish::<T, _>(place, ty, &seen, fields)
    }
}

/// Type `index` of `T`.
fn type_at<T: Object>(index: usize) -> &'static Type<T> {
    &T::TYPES[index]
}

/// Reads the `type` and finds it among the object's types: its index.
fn read_type<'de, T: Object, S: Source<'de>>(
    source: &mut S,
    place: Place<'_>,
) -> Result<usize, S::Error> {
    let Some(name) = source.next::<Cow<'de, str>>(place.field(TYPE))? else {
        return Err(missing_type::<T, _>(place));
    };
    T::TYPES
        .iter()
        .position(|ty| ty.name == name)
        .ok_or_else(|| {
            let names = T::TYPES.iter().map(|ty| ty.name);
            place.field(TYPE).error(format_args!(
                "unknown type \"{}\" (allowed: {})",
                shown(&name),
                Listed::all(names)
            ))
        })
}

/// Checks that every required field was read, and makes the draft.
fn finish<'de, T: Object, E: de::Error>(
    place: Place<'_>,
    index: usize,
    seen: &Seen,
    fields: T::Fields<'de>,
) -> Result<T::Borrowed<'de>, E> {
    let ty = type_at::<T>(index);
    if T::BITS[index].required & !seen.0 == 0 {
        return Ok(ty.build.build(fields));
    }
    let missing = ty.required.iter().find(|key| {
        !T::FIELDS
            .iter()
            .position(|known| known == *key)
            .is_some_and(|index| seen.contains(index))
    });
    match missing {
        Some(key) if T::TAGGED => {
            Err(place.error(format_args!("missing field \"{key}\" for type {}", ty.name)))
        }
        Some(key) => Err(place.error(format_args!("missing field \"{key}\""))),
        None => Ok(ty.build.build(fields)),
    }
}

fn missing_type<T: Object, E: de::Error>(place: Place<'_>) -> E {
    let names = T::TYPES.iter().map(|ty| ty.name);
    place.error(format_args!(
        "missing field \"type\" (allowed: {})",
        Listed::all(names)
    ))
}

/// A field `name` the object (or, once known, its type) does not have.
fn unknown_field<T: Object, E: de::Error>(place: Place<'_>, name: &str, ty: Option<&Type<T>>) -> E {
    match ty {
        Some(ty) if T::TAGGED => {
            let allowed = std::iter::once(&TYPE).chain(ty.fields);
            place.error(format_args!(
                "unknown field \"{name}\" for type {} (allowed: {})",
                ty.name,
                Listed::all(allowed)
            ))
        }
        Some(ty) => place.error(format_args!(
            "unknown field \"{name}\" (allowed: {})",
            Listed::all(ty.fields)
        )),
        None => place.error(format_args!(
            "unknown field \"{name}\" (allowed: {})",
            Listed::all(T::FIELDS)
        )),
    }
}

// ---------------------------------------------------------------------------------------
// The objects of the format

fields! {
    /// What was read of an organization.
    struct OrganizationFields<'de> {
        alias: Cow<'de, str>,
        region: Cow<'de, str>,
        domains: Vec<DomainRef<'de>>,
        default_domain: Option<Cow<'de, str>>,
        directory: DirectoryRef<'de>,
        encryption: EncryptionRef<'de>,
        interoperability: bool,
        client_token: Option<Cow<'de, str>>,
    }
}

impl Object for OrganizationDraft {
    const NAME: &'static str = "OrganizationDraft";
    const TAGGED: bool = false;
    const FIELDS: &'static [&'static str] = OrganizationFields::KEYS;
    const TYPES: &'static [Type<Self>] = &[Type {
        name: "",
        fields: Self::FIELDS,
        required: &["alias", "region"],
        build: |read| DraftRef {
            alias: read.alias.unwrap_or_default(),
            region: read.region.unwrap_or_default(),
            domains: read.domains.unwrap_or_default(),
            default_domain: read.default_domain.flatten(),
            directory: read.directory.unwrap_or_default(),
            encryption: read.encryption.unwrap_or_default(),
            interoperability: read.interoperability.unwrap_or_default(),
            client_token: read.client_token.flatten(),
        },
    }];

    type Fields<'de> = OrganizationFields<'de>;
    type Borrowed<'de> = DraftRef<'de>;
    type Build = for<'de> fn(OrganizationFields<'de>) -> DraftRef<'de>;

    fn describe(f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an organization spec: an object with \"alias\" and \"region\"")
    }
}

fields! {
    /// What was read of a domain entry.
    struct DomainFields<'de> {
        name: Cow<'de, str>,
        hosted_zone_id: Cow<'de, str>,
    }
}

impl Object for DomainDraft {
    const NAME: &'static str = "DomainDraft";
    const TAGGED: bool = true;
    const FIELDS: &'static [&'static str] = &[TYPE, "name", "hosted_zone_id"];
    const TYPES: &'static [Type<Self>] = &[
        Type {
            name: "existing_route53",
            fields: &["name", "hosted_zone_id"],
            required: &["name", "hosted_zone_id"],
            build: |read| DomainRef::ExistingRoute53 {
                name: read.name.unwrap_or_default(),
                hosted_zone_id: read.hosted_zone_id.unwrap_or_default(),
            },
        },
        Type {
            name: "new_route53",
            fields: &["name"],
            required: &["name"],
            build: |read| DomainRef::NewRoute53 {
                name: read.name.unwrap_or_default(),
            },
        },
        Type {
            name: "external",
            fields: &["name"],
            required: &["name"],
            build: |read| DomainRef::External {
                name: read.name.unwrap_or_default(),
            },
        },
        Type {
            name: "free_test",
            fields: &[],
            required: &[],
            build: |_| DomainRef::FreeTest,
        },
    ];

    type Fields<'de> = DomainFields<'de>;
    type Borrowed<'de> = DomainRef<'de>;
    type Build = for<'de> fn(DomainFields<'de>) -> DomainRef<'de>;
}

fields! {
    /// What was read of a directory report.
    struct ReportFields<'de> {
        directory_id: Cow<'de, str>,
        directory_type: Cow<'de, str>,
        alias: Cow<'de, str>,
        region: Cow<'de, str>,
        additional_regions: Vec<Cow<'de, str>>,
        stage: Cow<'de, str>,
    }
}

impl<'de> ReportFields<'de> {
    fn build(self) -> ExistingDirectoryRef<'de> {
        ExistingDirectoryRef {
            directory_id: self.directory_id.unwrap_or_default(),
            directory_type: self.directory_type.unwrap_or_default(),
            alias: self.alias.unwrap_or_default(),
            region: self.region.unwrap_or_default(),
            additional_regions: self.additional_regions.unwrap_or_default(),
            stage: self.stage.unwrap_or(Cow::Borrowed(ACTIVE_STAGE)),
        }
    }
}

/// The fields of a directory report, in order, and those required.
const REPORT_FIELDS: &[&str] = ReportFields::KEYS;
const REPORT_REQUIRED: &[&str] = &["directory_id", "directory_type", "alias", "region"];

impl Object for ExistingDirectoryDraft {
    const NAME: &'static str = "ExistingDirectoryDraft";
    const TAGGED: bool = false;
    const FIELDS: &'static [&'static str] = REPORT_FIELDS;
    const TYPES: &'static [Type<Self>] = &[Type {
        name: "",
        fields: REPORT_FIELDS,
        required: REPORT_REQUIRED,
        build: |read| read.build(),
    }];

    type Fields<'de> = ReportFields<'de>;
    type Borrowed<'de> = ExistingDirectoryRef<'de>;
    type Build = for<'de> fn(ReportFields<'de>) -> ExistingDirectoryRef<'de>;

    fn describe(f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "a directory report: an object with {}",
            Listed::all(REPORT_REQUIRED)
        )
    }
}

impl Object for DirectoryDraft {
    const NAME: &'static str = "DirectoryDraft";
    const TAGGED: bool = true;
    const FIELDS: &'static [&'static str] = &[
        TYPE,
        "directory_id",
        "directory_type",
        "alias",
        "region",
        "additional_regions",
        "stage",
    ];
    const TYPES: &'static [Type<Self>] = &[
        Type {
            name: "new_workmail_directory",
            fields: &[],
            required: &[],
            build: |_| DirectoryRef::NewWorkMailDirectory,
        },
        Type {
            name: "existing",
            fields: REPORT_FIELDS,
            required: REPORT_REQUIRED,
            build: |read| DirectoryRef::Existing(read.build()),
        },
    ];

    type Fields<'de> = ReportFields<'de>;
    type Borrowed<'de> = DirectoryRef<'de>;
    type Build = for<'de> fn(ReportFields<'de>) -> DirectoryRef<'de>;
}

fields! {
    /// What was read of an encryption choice.
    struct EncryptionFields<'de> {
        kms_key_arn: Cow<'de, str>,
    }
}

impl Object for EncryptionDraft {
    const NAME: &'static str = "EncryptionDraft";
    const TAGGED: bool = true;
    const FIELDS: &'static [&'static str] = &[TYPE, "kms_key_arn"];
    const TYPES: &'static [Type<Self>] = &[
        Type {
            name: "workmail_managed_key",
            fields: &[],
            required: &[],
            build: |_| EncryptionRef::WorkMailManagedKey,
        },
        Type {
            name: "customer_managed_key",
            fields: &["kms_key_arn"],
            required: &["kms_key_arn"],
            build: |read| EncryptionRef::CustomerManagedKey {
                kms_key_arn: read.kms_key_arn.unwrap_or_default(),
            },
        },
    ];

    type Fields<'de> = EncryptionFields<'de>;
    type Borrowed<'de> = EncryptionRef<'de>;
    type Build = for<'de> fn(EncryptionFields<'de>) -> EncryptionRef<'de>;
}

macro_rules! deserialize_from_the_root {
    ($($ty:ty),*) => {$(
        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let place = Place::root(deserializer.is_human_readable());
                <$ty as Read>::read(deserializer, place)
            }
        }
    )*};
}

deserialize_from_the_root!(
    OrganizationDraft,
    DomainDraft,
    DirectoryDraft,
    ExistingDirectoryDraft,
    EncryptionDraft
);

impl<'de> Deserialize<'de> for OrganizationSpec {
    /// Reads a draft and validates it: the errors of reading an [`OrganizationDraft`], then
    /// its [`Violations`](crate::Violations) as one error. The draft is read borrowed, so
    /// only the validated values are allocated.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let place = Place::root(deserializer.is_human_readable());
        let draft = read_object::<OrganizationDraft, D>(deserializer, place)?;
        draft
            .validate()
            .map_err(|violations| de::Error::custom(violations.to_message()))
    }
}

impl Serialize for OrganizationDraft {
    /// Every field in order, except that a human-readable format leaves out an unset
    /// `default_domain` or `client_token`. A compact format gets all eight, so one that
    /// writes objects as sequences keeps every field in its place.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let every = !serializer.is_human_readable();
        let written = |field: &Option<String>| every || field.is_some();
        let len = 6
            + usize::from(written(&self.default_domain))
            + usize::from(written(&self.client_token));
        let mut out = serializer.serialize_struct(<Self as Object>::NAME, len)?;
        out.serialize_field("alias", &self.alias)?;
        out.serialize_field("region", &self.region)?;
        out.serialize_field("domains", &self.domains)?;
        if written(&self.default_domain) {
            out.serialize_field("default_domain", &self.default_domain)?;
        } else {
            out.skip_field("default_domain")?;
        }
        out.serialize_field("directory", &self.directory)?;
        out.serialize_field("encryption", &self.encryption)?;
        out.serialize_field("interoperability", &self.interoperability)?;
        if written(&self.client_token) {
            out.serialize_field("client_token", &self.client_token)?;
        } else {
            out.skip_field("client_token")?;
        }
        out.end()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use super::*;

    /// Reads `value` as a `T` the way a compact (`false`) or human-readable format would.
    fn read<T: for<'de> Read<'de>>(value: Value, human_readable: bool) -> Result<T, String> {
        T::read(value, Place::root(human_readable)).map_err(|err| err.to_string())
    }

    /// Every type of a tagged object, written with serde's derive and read back here.
    fn round_trips<T>()
    where
        T: Object + Serialize + PartialEq + fmt::Debug + for<'de> Read<'de>,
        for<'de> T: From<T::Borrowed<'de>>,
    {
        for ty in T::TYPES {
            let draft = T::from(ty.build.build(T::Fields::default()));
            let written = serde_json::to_value(&draft).unwrap();
            let keys: Vec<&str> = written
                .as_object()
                .unwrap()
                .keys()
                .map(String::as_str)
                .collect();
            let mut expected: Vec<&str> = std::iter::once(TYPE)
                .chain(ty.fields.iter().copied())
                .collect();
            expected.sort_unstable();
            assert_eq!(keys, expected, "{}", ty.name);
            assert_eq!(written[TYPE], ty.name);
            assert_eq!(read::<T>(written, true), Ok(draft), "{}", ty.name);
        }
    }

    /// The fields an object declares are those it reads, and those its types allow.
    fn agree<T: Object>() {
        let declared: Vec<&str> = T::FIELDS.iter().copied().filter(|k| *k != TYPE).collect();
        assert_eq!(declared, <T::Fields<'_> as Fields>::KEYS, "{}", T::NAME);
        assert_eq!(T::TAGGED, T::FIELDS.first() == Some(&TYPE), "{}", T::NAME);
        for key in &declared {
            assert!(T::TYPES.iter().any(|ty| ty.fields.contains(key)), "{key}");
        }
        for ty in T::TYPES {
            assert!(
                ty.fields.iter().all(|key| declared.contains(key)),
                "{}",
                ty.name
            );
            assert!(
                ty.required.iter().all(|key| ty.fields.contains(key)),
                "{}",
                ty.name
            );
        }
        assert!(T::FIELDS.len() <= 32, "`Seen` holds 32 fields");
        assert!(T::TYPES.len() <= MAX_TYPES);
        for (ty, bits) in T::TYPES.iter().zip(T::BITS) {
            for (index, key) in T::FIELDS.iter().enumerate() {
                let allowed = *key == TYPE || ty.fields.contains(key);
                assert_eq!(bits.allowed & (1 << index) != 0, allowed, "{key}");
                assert_eq!(bits.required & (1 << index) != 0, ty.required.contains(key));
            }
        }
    }

    #[test]
    fn every_object_reads_the_fields_it_declares() {
        agree::<OrganizationDraft>();
        agree::<DomainDraft>();
        agree::<DirectoryDraft>();
        agree::<ExistingDirectoryDraft>();
        agree::<EncryptionDraft>();
    }

    #[test]
    fn what_is_written_is_what_is_read() {
        round_trips::<DomainDraft>();
        round_trips::<DirectoryDraft>();
        round_trips::<EncryptionDraft>();
    }

    #[test]
    fn a_compact_format_may_write_objects_as_sequences() {
        let compact = json!([
            "acme",
            "us-east-1",
            [
                ["external", "acme.org"],
                ["free_test"],
                ["existing_route53", "acme.com", "Z1"]
            ],
            null,
            [
                "existing",
                "d-1234567890",
                "ADConnector",
                "acme",
                "us-east-1"
            ],
            ["customer_managed_key", "arn"],
            true,
            "token"
        ]);
        let draft: OrganizationDraft = read(compact.clone(), false).unwrap();
        assert_eq!(draft.alias, "acme");
        assert_eq!(
            draft.domains,
            [
                DomainDraft::External {
                    name: "acme.org".into()
                },
                DomainDraft::FreeTest,
                DomainDraft::ExistingRoute53 {
                    name: "acme.com".into(),
                    hosted_zone_id: "Z1".into()
                },
            ]
        );
        assert_eq!(draft.default_domain, None);
        let DirectoryDraft::Existing(report) = &draft.directory else {
            panic!("an existing directory: {draft:?}");
        };
        assert_eq!(
            report.stage, ACTIVE_STAGE,
            "a short sequence leaves defaults"
        );
        assert!(draft.interoperability);
        assert_eq!(draft.client_token.as_deref(), Some("token"));

        // The same sequences in a human-readable format are refused, at the top first.
        assert_eq!(
            read::<OrganizationDraft>(compact, true).unwrap_err(),
            "invalid type: sequence, expected an organization spec: an object with \"alias\" \
             and \"region\""
        );
        let nested = json!({"alias": "a", "region": "r", "domains": [["free_test"]]});
        assert_eq!(
            read::<OrganizationDraft>(nested, true).unwrap_err(),
            "invalid type: sequence, expected domains[0] to be an object whose \"type\" is one \
             of existing_route53, new_route53, external, free_test"
        );
    }

    #[test]
    fn a_short_sequence_still_needs_the_required_fields() {
        assert_eq!(
            read::<OrganizationDraft>(json!(["acme"]), false).unwrap_err(),
            "missing field \"region\""
        );
        assert_eq!(
            read::<DomainDraft>(json!(["existing_route53", "acme.com"]), false).unwrap_err(),
            "missing field \"hosted_zone_id\" for type existing_route53"
        );
        assert_eq!(
            read::<DomainDraft>(json!([]), false).unwrap_err(),
            "missing field \"type\" (allowed: existing_route53, new_route53, external, free_test)"
        );
    }

    #[test]
    fn paths_nest_through_lists_and_objects() {
        let place = Place::root(true);
        let directory = place.field("directory");
        let regions = directory.field("additional_regions");
        assert_eq!(
            regions.index(2).path.to_string(),
            "directory.additional_regions[2]"
        );
        assert_eq!(
            place.field("domains").index(0).field(TYPE).path.to_string(),
            "domains[0].type"
        );
        assert_eq!(place.path.to_string(), "");
    }
}
