//! Timestamps as the WorkMail JSON protocol sends them.

use std::fmt;

/// The latest second a timestamp may name: 9999-12-31T23:59:59Z. Anything later is not a
/// date AWS sends, and bounding it keeps every conversion exact.
const MAX_SECONDS: i64 = 253_402_300_799;

/// A point in time as AWS's JSON protocol sends it: epoch seconds with a millisecond
/// fraction, such as `CompletedDate: 1522693605.468`.
///
/// The seconds and the milliseconds are kept as integers, so nothing drifts through
/// floating point: serde reads the JSON number and writes the same number back. A fraction
/// finer than a millisecond is rounded to the nearest millisecond (the protocol sends
/// milliseconds). Times before 1970 or after the year 9999 are refused.
///
/// ```
/// use workmail_org::aws::Timestamp;
///
/// let completed: Timestamp = serde_json::from_str("1522693605.468")?;
/// assert_eq!(completed.seconds(), 1_522_693_605);
/// assert_eq!(completed.millis(), 468);
/// assert_eq!(serde_json::to_string(&completed)?, "1522693605.468");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Timestamp {
    seconds: i64,
    millis: u16,
}

impl Timestamp {
    /// A timestamp from whole epoch seconds and milliseconds.
    ///
    /// # Errors
    /// [`TimestampError`] when `seconds` is before 1970 or after 9999, or `millis` is over
    /// 999.
    pub fn new(seconds: i64, millis: u16) -> Result<Self, TimestampError> {
        if !(0..=MAX_SECONDS).contains(&seconds) || millis > 999 {
            return Err(TimestampError {
                shown: format!("{seconds}s + {millis}ms"),
            });
        }
        Ok(Timestamp { seconds, millis })
    }

    /// A timestamp from epoch seconds with a fraction, as the JSON protocol sends it.
    ///
    /// # Errors
    /// [`TimestampError`] for a value that is not finite, before 1970 or after 9999.
    pub fn from_epoch_seconds(value: f64) -> Result<Self, TimestampError> {
        // A huge number is shown in exponent form (`1e300`), never with all its digits.
        let error = || TimestampError {
            shown: if value.abs() < 1e16 {
                crate::text::shown(&value.to_string()).into()
            } else {
                format!("{value:e}")
            },
        };
        if !value.is_finite() || !(0.0..(MAX_SECONDS + 1) as f64).contains(&value) {
            return Err(error());
        }
        let mut seconds = value.trunc() as i64;
        let mut millis = ((value - value.trunc()) * 1000.0).round() as u16;
        if millis == 1000 {
            seconds += 1;
            millis = 0;
        }
        Timestamp::new(seconds, millis).map_err(|_| error())
    }

    /// Whole seconds since 1970-01-01T00:00:00Z.
    pub fn seconds(self) -> i64 {
        self.seconds
    }

    /// Milliseconds past [`seconds`](Self::seconds), 0 to 999.
    pub fn millis(self) -> u16 {
        self.millis
    }

    /// Epoch seconds with the fraction, the number the JSON protocol sends.
    pub fn as_epoch_seconds(self) -> f64 {
        // Through the decimal text, so the f64 is the one nearest to `SECONDS.MMM` and prints
        // back as that text.
        format!("{}.{:03}", self.seconds, self.millis)
            .parse()
            .unwrap_or(self.seconds as f64)
    }
}

impl fmt::Display for Timestamp {
    /// `SECONDS.MMM`, e.g. `1522693605.468`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:03}", self.seconds, self.millis)
    }
}

/// A timestamp outside what AWS sends: not a finite number, before 1970 or after 9999.
#[derive(Clone, PartialEq, Eq, thiserror::Error)]
#[error("timestamp {shown} is not an epoch time between 1970 and 9999")]
pub struct TimestampError {
    shown: String,
}

crate::text::debug_as_display!(TimestampError);

impl serde::Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.millis == 0 {
            serializer.serialize_i64(self.seconds)
        } else {
            serializer.serialize_f64(self.as_epoch_seconds())
        }
    }
}

impl<'de> serde::Deserialize<'de> for Timestamp {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct EpochSeconds;
        impl serde::de::Visitor<'_> for EpochSeconds {
            type Value = Timestamp;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("epoch seconds, such as 1522693605.468")
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Timestamp, E> {
                Timestamp::from_epoch_seconds(v).map_err(E::custom)
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Timestamp, E> {
                Timestamp::new(v, 0).map_err(E::custom)
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Timestamp, E> {
                let seconds = i64::try_from(v).unwrap_or(i64::MAX);
                Timestamp::new(seconds, 0).map_err(E::custom)
            }
        }
        deserializer.deserialize_any(EpochSeconds)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_back_the_number_it_read() {
        for text in [
            "1522693605.468",
            "1522693605.5",
            "1522693605.001",
            "1522693605",
            "0.999",
            "253402300799.999",
        ] {
            let stamp: Timestamp = serde_json::from_str(text).unwrap();
            let back = serde_json::to_string(&stamp).unwrap();
            let again: Timestamp = serde_json::from_str(&back).unwrap();
            assert_eq!(again, stamp, "{text}");
            assert_eq!(
                back.parse::<f64>().unwrap(),
                text.parse::<f64>().unwrap(),
                "{text}"
            );
        }
    }

    #[test]
    fn rounds_to_the_millisecond_and_carries() {
        let stamp = Timestamp::from_epoch_seconds(10.9996).unwrap();
        assert_eq!((stamp.seconds(), stamp.millis()), (11, 0));
        let stamp = Timestamp::from_epoch_seconds(10.0004).unwrap();
        assert_eq!((stamp.seconds(), stamp.millis()), (10, 0));
    }

    #[test]
    fn refuses_what_aws_never_sends() {
        for bad in ["-1", "-0.5", "1e300", "253402300800"] {
            let err = serde_json::from_str::<Timestamp>(bad).unwrap_err();
            assert!(
                err.to_string().contains("is not an epoch time"),
                "{bad}: {err}"
            );
        }
        assert!(Timestamp::from_epoch_seconds(f64::NAN).is_err());
        assert!(Timestamp::new(0, 1000).is_err());
        let err = serde_json::from_str::<Timestamp>("1e300").unwrap_err();
        assert_eq!(
            err.to_string(),
            "timestamp 1e300 is not an epoch time between 1970 and 9999 at line 1 column 5"
        );
        let err = Timestamp::from_epoch_seconds(-1.5e20).unwrap_err();
        assert_eq!(
            err.to_string(),
            "timestamp -1.5e20 is not an epoch time between 1970 and 9999"
        );
    }
}
