//! Typed indices into the compiled model's tables. Each is as narrow as the
//! hot loop wants (a client carries a segment and two forms), and `compile`
//! refuses a scenario whose tables do not fit, so no index wraps silently.

macro_rules! id {
    ($(#[$doc:meta])* $name:ident($raw:ty), $what:literal) => {
        $(#[$doc])*
        #[repr(transparent)]
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name($raw);

        impl $name {
            /// What the id counts, for the error when a scenario has too many.
            pub const WHAT: &'static str = $what;
            /// How many distinct ids there can be.
            pub const CAPACITY: usize = <$raw>::MAX as usize;

            /// The id of table index `index`, if it fits.
            pub fn new(index: usize) -> Option<Self> {
                (index < Self::CAPACITY).then(|| Self(index as $raw))
            }

            /// The id of an index already known to fit (every index below
            /// the length of a table that `compile` accepted).
            #[inline]
            pub fn of(index: usize) -> Self {
                debug_assert!(index < Self::CAPACITY, "{} index {index} out of range", $what);
                Self(index as $raw)
            }

            /// The table index.
            #[inline]
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }
    };
}

id!(
    /// A care form (`Model::forms`).
    FormId(u8),
    "care forms"
);
id!(
    /// A (municipality, area) segment (`Model::segments`).
    SegmentId(u16),
    "segments (municipality × area pairs)"
);
id!(
    /// A capacity pool (`Model::pools`); `NO_POOL` means unlimited places.
    PoolId(u32),
    "capacity pools"
);

/// The pool of a form without places (unlimited capacity).
pub const NO_POOL: PoolId = PoolId(u32::MAX);
