//! `--shard K/N`: the K-th of N disjoint, contiguous slices of the
//! replications. Slices are balanced to within one replication.

use crate::error::InputError;
use crate::limits::MAX_SHARDS;
use std::fmt;
use std::ops::Range;
use std::str::FromStr;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    /// 1-based index.
    pub index: u64,
    pub count: u64,
}

impl Shard {
    pub fn range(&self, replications: u64) -> Range<u64> {
        let start = (self.index - 1) * replications / self.count;
        let end = self.index * replications / self.count;
        start..end
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl FromStr for Shard {
    type Err = InputError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = |why: &str| {
            InputError::new(format!("invalid shard `{s}`: {why}"))
                .field("--shard")
                .fix("write --shard K/N with 1 ≤ K ≤ N, e.g. --shard 2/4")
        };
        let (k, n) = s.split_once('/').ok_or_else(|| bad("expected K/N"))?;
        let index: u64 = k
            .trim()
            .parse()
            .map_err(|_| bad("K is not a whole number"))?;
        let count: u64 = n
            .trim()
            .parse()
            .map_err(|_| bad("N is not a whole number"))?;
        if count == 0 || index == 0 || index > count {
            return Err(bad("K must lie between 1 and N"));
        }
        if count > MAX_SHARDS {
            return Err(bad(&format!("N is above the limit of {MAX_SHARDS} shards")));
        }
        Ok(Shard { index, count })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_partition_the_replications() {
        for (r, n) in [(10, 3), (7, 7), (100, 8), (2, 5)] {
            let mut covered = Vec::new();
            for k in 1..=n {
                covered.extend(Shard { index: k, count: n }.range(r));
            }
            assert_eq!(covered, (0..r).collect::<Vec<_>>());
        }
    }

    #[test]
    fn rejects_bad_shards() {
        for s in ["3/2", "0/2", "1/0", "a/2", "2"] {
            assert!(s.parse::<Shard>().is_err(), "{s}");
        }
        assert_eq!(
            "2/4".parse::<Shard>().unwrap(),
            Shard { index: 2, count: 4 }
        );
    }
}
