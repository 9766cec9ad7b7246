//! One CBS cell read as what it says about the true count: CBS publishes the
//! Beleidsinformatie Jeugd counts rounded to a multiple of 5 and replaces
//! small ones by `.` (see docs/reference.md, "CBS StatLine CSV"), so a
//! published count is a range of possible true counts, not a number.

use std::fmt;

/// What the cell text says, before any rounding rule is applied.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Cell {
    /// A published number.
    Value(f64),
    /// `.` (unknown, unreliable or secret), an empty cell (a null of the
    /// OData TypedDataSet written to CSV) or `NA`/`null` (R and JSON
    /// writers of that null).
    Suppressed,
}

/// Parses a cell: plain decimal numbers (a decimal comma is accepted as
/// StatLine's Dutch CSV writes it); anything else is `Err` with the reason.
pub fn parse(text: &str) -> Result<Cell, String> {
    let t = text.trim();
    match t {
        "" | "." | "NA" | "null" | "x" => return Ok(Cell::Suppressed),
        _ => {}
    }
    let plain = t.replacen(',', ".", 1);
    match plain.parse::<f64>() {
        Ok(v) if v.is_finite() && v >= 0.0 => Ok(Cell::Value(v)),
        Ok(v) if v.is_finite() => Err(format!("`{t}` is negative")),
        Ok(_) => Err(format!("`{t}` is not a finite number")),
        Err(_) => Err(format!("`{t}` is not a number nor a CBS symbol (`.`)")),
    }
}

/// How published counts relate to true counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rounding {
    /// Counts are published as multiples of `base` (1 = exact).
    pub base: u64,
    /// The largest true count a suppressed cell can hide.
    pub suppressed_max: u64,
}

/// An inclusive range of whole counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bounds {
    pub lo: u64,
    pub hi: u64,
}

impl Bounds {
    pub const ZERO: Bounds = Bounds { lo: 0, hi: 0 };

    pub fn exact(v: u64) -> Bounds {
        Bounds { lo: v, hi: v }
    }

    /// The range of a sum of counts with these ranges.
    pub fn plus(self, other: Bounds) -> Bounds {
        Bounds {
            lo: self.lo.saturating_add(other.lo),
            hi: self.hi.saturating_add(other.hi),
        }
    }

    /// The range of `self − other` for counts that cannot be negative;
    /// None if even the widest reading gives a negative count.
    pub fn minus(self, other: Bounds) -> Option<Bounds> {
        let hi = self.hi.checked_sub(other.lo)?;
        Some(Bounds {
            lo: self.lo.saturating_sub(other.hi),
            hi,
        })
    }

    pub fn mid(self) -> f64 {
        (self.lo as f64 + self.hi as f64) / 2.0
    }
}

/// `lo..hi`, or the plain number when the count is exact (the history CSV's
/// interval-cell syntax).
impl fmt::Display for Bounds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.lo == self.hi {
            write!(f, "{}", self.lo)
        } else {
            write!(f, "{}..{}", self.lo, self.hi)
        }
    }
}

impl Rounding {
    /// The true counts a published count cell can stand for. A value
    /// rounded to the nearest multiple of `base` lies within half a base of
    /// it: 35 with base 5 is 33..37 (32.5 and 37.5 are not whole). Err if
    /// the value is not a whole multiple of the base, which means the file
    /// was not rounded the way the rule says.
    pub fn count(&self, cell: Cell) -> Result<Bounds, String> {
        let v = match cell {
            Cell::Suppressed => {
                return Ok(Bounds {
                    lo: 0,
                    hi: self.suppressed_max,
                });
            }
            Cell::Value(v) => v,
        };
        if v.fract() != 0.0 || v > 1e15 {
            return Err(format!("{v} is not a whole count"));
        }
        let v = v as u64;
        if !v.is_multiple_of(self.base) {
            return Err(format!("{v} is not a multiple of {}", self.base));
        }
        // Within half a base either way; for an even base both ties are
        // kept, whichever way CBS breaks them.
        let half = self.base / 2;
        Ok(Bounds {
            lo: v.saturating_sub(half),
            hi: v + half,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CBS: Rounding = Rounding {
        base: 5,
        suppressed_max: 9,
    };

    #[test]
    fn symbols_and_numbers() {
        assert_eq!(parse(" . "), Ok(Cell::Suppressed));
        assert_eq!(parse(""), Ok(Cell::Suppressed));
        assert_eq!(parse("NA"), Ok(Cell::Suppressed));
        assert_eq!(parse("35"), Ok(Cell::Value(35.0)));
        assert_eq!(parse("245,5"), Ok(Cell::Value(245.5)));
        assert!(parse("-5").is_err());
        assert!(parse("1.234.5").is_err());
        assert!(parse("inf").is_err());
    }

    #[test]
    fn rounded_counts_become_ranges() {
        assert_eq!(CBS.count(Cell::Value(35.0)), Ok(Bounds { lo: 33, hi: 37 }));
        assert_eq!(CBS.count(Cell::Value(0.0)), Ok(Bounds { lo: 0, hi: 2 }));
        assert_eq!(CBS.count(Cell::Suppressed), Ok(Bounds { lo: 0, hi: 9 }));
        assert!(CBS.count(Cell::Value(37.0)).is_err());
        assert!(CBS.count(Cell::Value(2.5)).is_err());
        let exact = Rounding {
            base: 1,
            suppressed_max: 9,
        };
        assert_eq!(exact.count(Cell::Value(37.0)), Ok(Bounds::exact(37)));
        // An even base keeps both ties: 40 rounded to tens is 35..45.
        let tens = Rounding {
            base: 10,
            suppressed_max: 9,
        };
        assert_eq!(tens.count(Cell::Value(40.0)), Ok(Bounds { lo: 35, hi: 45 }));
    }

    #[test]
    fn arithmetic_and_display() {
        let a = Bounds { lo: 33, hi: 37 };
        let b = Bounds { lo: 8, hi: 12 };
        assert_eq!(a.plus(b), Bounds { lo: 41, hi: 49 });
        assert_eq!(a.minus(b), Some(Bounds { lo: 21, hi: 29 }));
        assert_eq!(b.minus(a), None);
        assert_eq!(
            Bounds { lo: 0, hi: 9 }.minus(b),
            Some(Bounds { lo: 0, hi: 1 })
        );
        assert_eq!(a.to_string(), "33..37");
        assert_eq!(Bounds::exact(12).to_string(), "12");
    }
}
