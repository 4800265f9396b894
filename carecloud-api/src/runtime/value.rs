//! What the operation builders take as plain values: [`Integer`], any of
//! Rust's integer types (so `count(10)` compiles without a suffix), checked
//! against the range the spec allows before anything is sent.

use std::num::{NonZeroU32, NonZeroU64, NonZeroUsize};

/// A whole number an operation parameter takes: any of Rust's integer
/// types, so that an unsuffixed literal works (`.count(10)`; it is an `i32`),
/// and so do `usize` lengths and `NonZeroU64` values.
///
/// Whether the value fits the parameter (a page size of at least 1, an
/// offset that is not negative) is checked before the request is sent: an
/// unfit value makes `send()` fail with [`Error::InvalidRequest`] naming the
/// parameter and what it takes, and nothing goes out.
///
/// Sealed: implemented for the integer types only.
///
/// [`Error::InvalidRequest`]: crate::Error::InvalidRequest
pub trait Integer: sealed::Sealed + Copy {}

/// The value of an [`Integer`], widened (every implementing type fits).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Whole(i128);

impl Whole {
    pub(crate) fn get(self) -> i128 {
        self.0
    }
}

/// `value` widened to a [`Whole`].
#[cfg_attr(any(test, not(feature = "full")), allow(dead_code))]
pub(crate) fn whole(value: impl Integer) -> Whole {
    Whole(sealed::Sealed::widen(value))
}

mod sealed {
    /// Keeps [`Integer`](super::Integer) to the types below.
    pub trait Sealed {
        fn widen(self) -> i128;
    }
}

macro_rules! integers {
    ($($ty:ty => |$value:ident| $widen:expr),* $(,)?) => {$(
        impl sealed::Sealed for $ty {
            fn widen(self) -> i128 {
                let $value = self;
                $widen
            }
        }
        impl Integer for $ty {}
    )*};
}

// Lossless for every type: none is wider than `i128`, and `usize`/`isize`
// are at most 64 bits on every platform Rust supports.
integers! {
    i8 => |v| i128::from(v),
    i16 => |v| i128::from(v),
    i32 => |v| i128::from(v),
    i64 => |v| i128::from(v),
    i128 => |v| v,
    isize => |v| v as i128,
    u8 => |v| i128::from(v),
    u16 => |v| i128::from(v),
    u32 => |v| i128::from(v),
    u64 => |v| i128::from(v),
    usize => |v| v as i128,
    NonZeroU32 => |v| i128::from(v.get()),
    NonZeroU64 => |v| i128::from(v.get()),
    NonZeroUsize => |v| v.get() as i128,
}

/// The whole numbers a parameter takes, from its type in the spec (both
/// ends included).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Range {
    min: i128,
    max: i128,
}

// Which ranges are used depends on the groups compiled.
#[cfg_attr(any(test, not(feature = "full")), allow(dead_code))]
impl Range {
    /// `min..=max`.
    pub(crate) const fn new(min: i128, max: i128) -> Self {
        Self { min, max }
    }

    pub(crate) fn contains(self, value: i128) -> bool {
        (self.min..=self.max).contains(&value)
    }

    /// The range in words, for an error message: "a whole number of at
    /// least 1".
    pub(crate) fn describe(self) -> String {
        // The top of a 64-bit type is no limit anyone means.
        let unbounded = self.max >= i128::from(i64::MAX);
        match (self.min, unbounded) {
            (0, true) => "a whole number of at least 0 (not negative)".to_owned(),
            (min, true) if min > i128::from(i64::MIN) => {
                format!("a whole number of at least {min}")
            }
            (min, _) => format!("a whole number from {min} to {}", self.max),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn takes(value: impl Integer) -> i128 {
        whole(value).get()
    }

    #[test]
    fn integer_literals_and_types_are_accepted() {
        assert_eq!(takes(10), 10);
        assert_eq!(takes(-3), -3);
        assert_eq!(takes(7usize), 7);
        assert_eq!(takes(u64::MAX), i128::from(u64::MAX));
        assert_eq!(takes(NonZeroU64::new(5).unwrap()), 5);
    }

    #[test]
    fn ranges_say_what_they_take() {
        let page = Range::new(1, i128::from(u64::MAX));
        assert!(page.contains(1) && !page.contains(0));
        assert_eq!(page.describe(), "a whole number of at least 1");
        let offset = Range::new(0, i128::from(u64::MAX));
        assert!(offset.contains(0) && !offset.contains(-1));
        assert_eq!(
            offset.describe(),
            "a whole number of at least 0 (not negative)"
        );
        let small = Range::new(1, 500);
        assert!(!small.contains(501));
        assert_eq!(small.describe(), "a whole number from 1 to 500");
        let any = Range::new(i128::from(i64::MIN), i128::from(i64::MAX));
        assert!(!any.contains(i128::from(i64::MAX) + 1));
        assert_eq!(
            any.describe(),
            format!("a whole number from {} to {}", i64::MIN, i64::MAX)
        );
    }
}
