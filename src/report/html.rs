//! The HTML document: inline CSS, inline SVG, no scripts, nothing fetched;
//! printable to PDF. Section builders live in `sections`.

use super::Lang;

/// Escapes text for HTML element content and attribute values.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const CSS: &str = r#"
:root { --ink: #1d2433; --muted: #5b6475; --rule: #d9dde5; --accent: #0072b2; --warn: #d55e00; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
       color: var(--ink); margin: 0 auto; max-width: 1080px; padding: 24px 32px 64px; line-height: 1.45; }
header { border-bottom: 3px solid var(--accent); margin-bottom: 12px; }
h1 { font-size: 1.7rem; margin: 0 0 4px; }
h2 { font-size: 1.3rem; margin: 32px 0 8px; border-bottom: 1px solid var(--rule); padding-bottom: 4px; }
h3 { font-size: 1.05rem; margin: 20px 0 6px; }
p.sub, .note { color: var(--muted); }
figure { margin: 12px 0; }
figure svg { max-width: 100%; height: auto; }
figcaption { color: var(--muted); font-size: 0.9rem; }
ul.sentences { padding-left: 1.1rem; }
ul.sentences li { margin: 2px 0; }
ul.sentences li.over { color: var(--warn); }
table { border-collapse: collapse; width: 100%; font-size: 0.86rem; margin: 8px 0 16px; }
th, td { border-bottom: 1px solid var(--rule); padding: 4px 6px; text-align: right; vertical-align: top;
         white-space: nowrap; }
td.text { white-space: normal; }
th { background: #f3f5f8; }
td.text, th.text { text-align: left; }
p.legend { font-size: 0.9rem; margin: 0 0 8px; }
.swatch { display: inline-block; width: 12px; height: 12px; margin: 0 4px 0 12px; vertical-align: -1px; }
td.code { min-width: 280px; font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 0.78rem;
          text-align: left; word-break: break-word; max-width: 340px; }
.grid { display: grid; grid-template-columns: 1fr; gap: 8px; }
dl.provenance { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; }
dl.provenance dt { color: var(--muted); }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  section { break-before: page; }
  section#headline, section#comparison { break-before: avoid; }
  figure, ul.sentences, tr { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
}
"#;

/// The whole page around the sections.
pub fn page(lang: Lang, title: &str, subtitle: &str, sections: &[String]) -> String {
    let mut out = String::new();
    out.push_str("<!DOCTYPE html>\n");
    out.push_str(&format!(
        "<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n",
        lang.code()
    ));
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str(&format!(
        "<title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n",
        esc(title)
    ));
    out.push_str(&format!(
        "<header>\n<h1>{}</h1>\n<p class=\"sub\">{}</p>\n</header>\n",
        esc(title),
        esc(subtitle)
    ));
    for s in sections {
        out.push_str(s);
        out.push('\n');
    }
    out.push_str("</body>\n</html>\n");
    out
}

/// A section with an id (what tests and readers navigate by).
pub fn section(id: &str, heading: &str, body: &str) -> String {
    format!(
        "<section id=\"{id}\">\n<h2>{}</h2>\n{body}</section>",
        esc(heading)
    )
}

/// A figure holding one SVG chart with a caption.
pub fn figure(id: &str, svg: &str, caption: &str) -> String {
    format!(
        "<figure id=\"{id}\" class=\"chart\">\n{svg}\n<figcaption>{}</figcaption>\n</figure>\n",
        esc(caption)
    )
}

/// A colour legend under a chart: (label, (r, g, b)).
pub fn legend(items: &[(String, (u8, u8, u8))]) -> String {
    let mut out = String::from("<p class=\"legend\">");
    for (label, (r, g, b)) in items {
        out.push_str(&format!(
            "<span class=\"swatch\" style=\"background:#{r:02x}{g:02x}{b:02x}\"></span>{} ",
            esc(label)
        ));
    }
    out.push_str("</p>\n");
    out
}

/// A table: header cells, then rows of (text, is_text_column) cells.
pub fn table(id: &str, headers: &[String], rows: &[Vec<(String, bool)>]) -> String {
    let mut out = format!("<table id=\"{id}\">\n<thead><tr>");
    for (i, h) in headers.iter().enumerate() {
        let class = if i == 0 { " class=\"text\"" } else { "" };
        out.push_str(&format!("<th{class}>{}</th>", esc(h)));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in rows {
        out.push_str("<tr>");
        for (cell, text) in row {
            let class = if *text { " class=\"text\"" } else { "" };
            out.push_str(&format!("<td{class}>{}</td>", esc(cell)));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            esc("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }
}
