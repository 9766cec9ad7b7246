//! Interval cells of the history CSV: `LOW..HIGH` (inclusive) says the true
//! value lies somewhere in that range. CBS rounds its counts and suppresses
//! small cells; writing what is known as a range lets `calibrate` use such a
//! history instead of refusing it, and carry the range into its uncertainty.

/// A closed range of possible values; a plain number is a range of width 0.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Span {
    pub low: f64,
    pub high: f64,
}

impl Span {
    pub fn exact(value: f64) -> Self {
        Span {
            low: value,
            high: value,
        }
    }

    /// The value the point estimates use.
    pub fn mid(&self) -> f64 {
        0.5 * (self.low + self.high)
    }

    pub fn width(&self) -> f64 {
        self.high - self.low
    }

    /// The variance of a value spread uniformly over the range (width²/12):
    /// what not knowing where inside it adds to an estimate's error.
    pub fn variance(&self) -> f64 {
        self.width().powi(2) / 12.0
    }

    pub fn is_exact(&self) -> bool {
        self.low == self.high
    }

    /// The value at `u` ∈ [0, 1] of the way from low to high.
    pub fn at(&self, u: f64) -> f64 {
        self.low + u * self.width()
    }
}

impl std::ops::Add for Span {
    type Output = Span;
    fn add(self, other: Span) -> Span {
        Span {
            low: self.low + other.low,
            high: self.high + other.high,
        }
    }
}

impl std::iter::Sum for Span {
    fn sum<I: Iterator<Item = Span>>(iter: I) -> Span {
        iter.fold(Span::exact(0.0), |a, b| a + b)
    }
}

/// Why a cell is not a number or a range, and nothing when it is one.
pub enum Problem {
    Empty,
    NotANumber,
    NotFinite,
    Negative,
    TooLarge(f64),
    /// `LOW..HIGH` with LOW above HIGH.
    Reversed,
}

/// Parses `X` or `LOW..HIGH` (both 0 ≤ · ≤ `max`, finite, LOW ≤ HIGH).
pub fn parse(cell: &str, max: f64) -> Result<Span, Problem> {
    if cell.is_empty() {
        return Err(Problem::Empty);
    }
    let span = match cell.split_once("..") {
        Some((low, high)) => Span {
            low: number(low.trim(), max)?,
            high: number(high.trim(), max)?,
        },
        None => Span::exact(number(cell, max)?),
    };
    if span.low > span.high {
        return Err(Problem::Reversed);
    }
    Ok(span)
}

fn number(text: &str, max: f64) -> Result<f64, Problem> {
    match text.parse::<f64>() {
        _ if text.is_empty() => Err(Problem::Empty),
        Ok(v) if !v.is_finite() => Err(Problem::NotFinite),
        Ok(v) if v < 0.0 => Err(Problem::Negative),
        Ok(v) if v > max => Err(Problem::TooLarge(max)),
        Ok(v) => Ok(v),
        Err(_) => Err(Problem::NotANumber),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_ranges() {
        assert_eq!(parse("12", 1e8).ok(), Some(Span::exact(12.0)));
        let s = parse("33..37", 1e8).ok().unwrap();
        assert_eq!((s.low, s.high, s.mid(), s.width()), (33.0, 37.0, 35.0, 4.0));
        assert!((s.variance() - 16.0 / 12.0).abs() < 1e-12);
        assert!(matches!(parse("5..3", 1e8), Err(Problem::Reversed)));
        assert!(matches!(parse("..3", 1e8), Err(Problem::Empty)));
        assert!(matches!(parse("3..", 1e8), Err(Problem::Empty)));
        assert!(matches!(parse("-1..3", 1e8), Err(Problem::Negative)));
        assert!(matches!(parse("1..1e9", 1e8), Err(Problem::TooLarge(_))));
        assert!(matches!(parse("1..2..3", 1e8), Err(Problem::NotANumber)));
        assert!(matches!(parse("inf", 1e8), Err(Problem::NotFinite)));
        let total: Span = [Span::exact(1.0), parse("0..4", 9.0).ok().unwrap()]
            .into_iter()
            .sum();
        assert_eq!((total.low, total.high), (1.0, 5.0));
    }
}
