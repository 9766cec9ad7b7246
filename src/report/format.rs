//! Languages and number formats of the report: English, or Dutch with Dutch
//! number formats (€ 262,6 mln; 12.345 cliënten; 74 %).

use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    En,
    Nl,
}

impl Lang {
    pub const SUPPORTED: [&'static str; 2] = ["en", "nl"];

    pub fn parse(code: &str) -> Option<Lang> {
        match code {
            "en" => Some(Lang::En),
            "nl" => Some(Lang::Nl),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Nl => "nl",
        }
    }

    /// The English or the Dutch text.
    pub fn t<'a>(self, en: &'a str, nl: &'a str) -> &'a str {
        match self {
            Lang::En => en,
            Lang::Nl => nl,
        }
    }

    fn separators(self) -> (char, char) {
        match self {
            Lang::En => (',', '.'),
            Lang::Nl => ('.', ','),
        }
    }

    /// A number with `decimals` decimals and thousands separators.
    pub fn number(self, value: f64, decimals: usize) -> String {
        if !value.is_finite() {
            return "–".into();
        }
        let (thousands, point) = self.separators();
        let text = format!("{:.*}", decimals, value.abs());
        let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
        let mut grouped = String::new();
        for (i, c) in int.chars().enumerate() {
            if i > 0 && (int.len() - i) % 3 == 0 {
                grouped.push(thousands);
            }
            grouped.push(c);
        }
        let sign = if value < 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0') {
            "−"
        } else {
            ""
        };
        if frac.is_empty() {
            format!("{sign}{grouped}")
        } else {
            format!("{sign}{grouped}{point}{frac}")
        }
    }

    /// Euros in millions: `€262.6M` / `€ 262,6 mln`.
    pub fn millions(self, euros: f64) -> String {
        let n = self.number(euros / 1e6, 1);
        match self {
            Lang::En => format!("€{n}M"),
            Lang::Nl => format!("€ {n} mln"),
        }
    }

    /// A share as a whole percentage: `74%` / `74 %`.
    pub fn percent(self, share: f64) -> String {
        let n = self.number(share * 100.0, 0);
        match self {
            Lang::En => format!("{n}%"),
            Lang::Nl => format!("{n} %"),
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dutch_and_english_number_formats() {
        assert_eq!(Lang::Nl.millions(262_600_000.0), "€ 262,6 mln");
        assert_eq!(Lang::En.millions(262_600_000.0), "€262.6M");
        assert_eq!(Lang::Nl.number(12_345.0, 0), "12.345");
        assert_eq!(Lang::En.number(1_234_567.891, 2), "1,234,567.89");
        assert_eq!(Lang::Nl.percent(0.74), "74 %");
        assert_eq!(Lang::En.percent(0.746), "75%");
        assert_eq!(Lang::Nl.number(-8_200_000.0 / 1e6, 1), "−8,2");
        assert_eq!(Lang::En.number(-0.01, 1), "0.0");
        assert_eq!(Lang::Nl.number(999.0, 0), "999");
    }
}
