//! The text of a validated identifier, kept without an allocation where it is short.
//!
//! Making, cloning and dropping a [`InlineStr`] never touches the heap; a [`ShortStr`] does
//! only for text longer than its inline room. Both compare, order and hash as the text does
//! (`str`'s `Eq`, `Ord` and `Hash`), whatever the variant. Reading the text back as a
//! `&str` checks the bytes are UTF-8 (the crate forbids `unsafe`): each caller builds them
//! from a `&str` or from ASCII, so the check always passes, and the crate's own rules read
//! [`as_bytes`](InlineStr::as_bytes), which needs no check.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};

/// Text of at most `N` bytes (`N` at most 255), kept inline. The bytes past the text are
/// zero.
///
/// Aligned to 8 bytes: a value moved between frames is then copied in whole words at the
/// offsets it was written at, which the processor forwards from its store buffer (at odd
/// offsets, each copy of a freshly parsed value stalled the copy after it).
#[derive(Clone, Copy, PartialEq, Eq)]
#[repr(align(8))]
pub(crate) struct InlineStr<const N: usize> {
    bytes: [u8; N],
    len: u8,
}

impl<const N: usize> InlineStr<N> {
    /// `N` fits the length byte.
    const ROOM: () = assert!(N <= u8::MAX as usize, "inline text holds at most 255 bytes");

    /// A copy of `text`, or `None` when it has more than `N` bytes.
    #[inline]
    pub(crate) fn new(text: &str) -> Option<Self> {
        #[allow(clippy::let_unit_value)] // evaluates the assertion for this `N`
        let () = Self::ROOM;
        let mut bytes = [0; N];
        bytes
            .get_mut(..text.len())?
            .copy_from_slice(text.as_bytes());
        Some(InlineStr {
            bytes,
            len: u8::try_from(text.len()).ok()?,
        })
    }

    /// A copy of `text` in ASCII lower case, or `None` when it has more than `N` bytes.
    #[inline]
    pub(crate) fn new_ascii_lowercase(text: &str) -> Option<Self> {
        let mut inline = Self::new(text)?;
        inline.make_ascii_lowercase();
        Some(inline)
    }

    /// The concatenation of `parts`, all ASCII, or `None` when it has more than `N` bytes.
    #[inline]
    pub(crate) fn from_ascii_parts(parts: &[&[u8]]) -> Option<Self> {
        debug_assert!(parts.iter().all(|part| part.is_ascii()));
        #[allow(clippy::let_unit_value)] // evaluates the assertion for this `N`
        let () = Self::ROOM;
        let mut bytes = [0; N];
        let mut len = 0;
        for part in parts {
            bytes.get_mut(len..len + part.len())?.copy_from_slice(part);
            len += part.len();
        }
        Some(InlineStr {
            bytes,
            len: u8::try_from(len).ok()?,
        })
    }

    /// The first `len` bytes of `buffer`, ASCII, followed by zeros up to `N` bytes at
    /// least; `None` when `len` or the buffer is too small or too large.
    #[inline]
    pub(crate) fn from_zero_padded(buffer: &[u8], len: usize) -> Option<Self> {
        debug_assert!(buffer[..len].is_ascii() && buffer[len..].iter().all(|&b| b == 0));
        #[allow(clippy::let_unit_value)] // evaluates the assertion for this `N`
        let () = Self::ROOM;
        if len > N {
            return None;
        }
        Some(InlineStr {
            bytes: buffer.get(..N)?.try_into().ok()?,
            len: u8::try_from(len).ok()?,
        })
    }

    /// Lowers the text's ASCII letters in place.
    #[inline]
    pub(crate) fn make_ascii_lowercase(&mut self) {
        // The padding is zero, which lowering keeps.
        self.bytes.make_ascii_lowercase();
    }

    /// The text's bytes.
    #[inline]
    pub(crate) fn as_bytes(&self) -> &[u8] {
        &self.bytes[..usize::from(self.len)]
    }

    /// The text.
    #[inline]
    pub(crate) fn as_str(&self) -> &str {
        // Built from whole `&str`s (or their ASCII lower case), so always UTF-8.
        std::str::from_utf8(self.as_bytes()).unwrap_or_default()
    }

    /// The number of bytes.
    #[inline]
    pub(crate) fn len(&self) -> usize {
        usize::from(self.len)
    }
}

impl<const N: usize> PartialOrd for InlineStr<N> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl<const N: usize> Ord for InlineStr<N> {
    /// As the text orders: byte by byte, a prefix first.
    fn cmp(&self, other: &Self) -> Ordering {
        self.as_bytes().cmp(other.as_bytes())
    }
}

impl<const N: usize> Hash for InlineStr<N> {
    /// Hashes as the text does.
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl<const N: usize> fmt::Debug for InlineStr<N> {
    /// Debugs as the text does.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

/// Text kept inline when it has at most `N` bytes, else boxed: short text needs no
/// allocation. Always inline when it fits, so equal texts have the same variant.
#[derive(Clone)]
pub(crate) enum ShortStr<const N: usize> {
    Inline(InlineStr<N>),
    Boxed(Box<str>),
}

impl<const N: usize> ShortStr<N> {
    /// A copy of `text`.
    #[inline]
    pub(crate) fn new(text: &str) -> Self {
        match InlineStr::new(text) {
            Some(inline) => ShortStr::Inline(inline),
            None => ShortStr::Boxed(text.into()),
        }
    }

    /// A copy of `text` in ASCII lower case.
    #[inline]
    pub(crate) fn new_ascii_lowercase(text: &str) -> Self {
        match InlineStr::new_ascii_lowercase(text) {
            Some(inline) => ShortStr::Inline(inline),
            None => ShortStr::Boxed(text.to_ascii_lowercase().into_boxed_str()),
        }
    }

    /// The concatenation of `parts`, all ASCII.
    pub(crate) fn from_ascii_parts(parts: &[&[u8]]) -> Self {
        match InlineStr::from_ascii_parts(parts) {
            Some(inline) => ShortStr::Inline(inline),
            None => ShortStr::Boxed(String::from_utf8_lossy(&parts.concat()).into()),
        }
    }

    /// `text`, kept without a copy when it is too long to be inline.
    pub(crate) fn from_string(text: String) -> Self {
        match InlineStr::new(&text) {
            Some(inline) => ShortStr::Inline(inline),
            None => ShortStr::Boxed(text.into_boxed_str()),
        }
    }

    /// Lowers the text's ASCII letters in place.
    pub(crate) fn make_ascii_lowercase(&mut self) {
        match self {
            ShortStr::Inline(inline) => inline.make_ascii_lowercase(),
            ShortStr::Boxed(boxed) => boxed.make_ascii_lowercase(),
        }
    }

    /// The text's bytes.
    #[inline]
    pub(crate) fn as_bytes(&self) -> &[u8] {
        match self {
            ShortStr::Inline(inline) => inline.as_bytes(),
            ShortStr::Boxed(boxed) => boxed.as_bytes(),
        }
    }

    /// The text.
    #[inline]
    pub(crate) fn as_str(&self) -> &str {
        match self {
            ShortStr::Inline(inline) => inline.as_str(),
            ShortStr::Boxed(boxed) => boxed,
        }
    }
}

impl<const N: usize> PartialEq for ShortStr<N> {
    fn eq(&self, other: &Self) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

impl<const N: usize> Eq for ShortStr<N> {}

impl<const N: usize> PartialOrd for ShortStr<N> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl<const N: usize> Ord for ShortStr<N> {
    /// As the text orders.
    fn cmp(&self, other: &Self) -> Ordering {
        self.as_bytes().cmp(other.as_bytes())
    }
}

impl<const N: usize> Hash for ShortStr<N> {
    /// Hashes as the text does.
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl<const N: usize> fmt::Debug for ShortStr<N> {
    /// Debugs as the text does.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::hash_map::DefaultHasher;

    fn hash(value: &impl Hash) -> u64 {
        let mut state = DefaultHasher::new();
        value.hash(&mut state);
        state.finish()
    }

    #[test]
    fn inline_text_behaves_as_the_text() {
        let a = InlineStr::<8>::new("abc").unwrap();
        assert_eq!(a.as_str(), "abc");
        assert_eq!(a.len(), 3);
        assert_eq!(format!("{a:?}"), "\"abc\"");
        assert_eq!(hash(&a), hash(&"abc"));
        assert!(a < InlineStr::new("abcd").unwrap());
        assert!(InlineStr::<8>::new("b").unwrap() > InlineStr::new("abcd").unwrap());
        assert_eq!(
            InlineStr::<8>::new("12345678").unwrap().as_str(),
            "12345678"
        );
        assert!(InlineStr::<8>::new("123456789").is_none());
        assert_eq!(
            InlineStr::<8>::new_ascii_lowercase("AbÉ").unwrap().as_str(),
            "abÉ"
        );
        assert_eq!(
            InlineStr::<8>::from_ascii_parts(&[b"ab", b".", b"cd"])
                .unwrap()
                .as_str(),
            "ab.cd"
        );
        assert!(InlineStr::<4>::from_ascii_parts(&[b"ab", b".", b"cd"]).is_none());
    }

    #[test]
    fn short_text_is_inline_exactly_when_it_fits() {
        let short = ShortStr::<4>::new("abcd");
        let long = ShortStr::<4>::new("abcde");
        assert!(matches!(short, ShortStr::Inline(_)));
        assert!(matches!(long, ShortStr::Boxed(_)));
        assert!(matches!(
            ShortStr::<4>::from_string("abcd".to_owned()),
            ShortStr::Inline(_)
        ));
        assert_eq!(ShortStr::<4>::from_ascii_parts(&[b"ab", b"cde"]), long);
        assert_eq!(
            ShortStr::<4>::new_ascii_lowercase("ABCDE").as_str(),
            "abcde"
        );
        assert_eq!(ShortStr::<4>::new_ascii_lowercase("ABCD").as_str(), "abcd");
        assert!(short < long);
        assert_eq!(hash(&long), hash(&"abcde"));
        assert_eq!(format!("{long:?}"), "\"abcde\"");
    }
}
