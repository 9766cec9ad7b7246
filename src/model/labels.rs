//! The display labels of a compiled model, written beside its results.

use super::Model;
use crate::scenario::assumptions::Labels;

impl Labels {
    /// The labels of every care form, area, municipality and provider.
    pub fn of(model: &Model) -> Labels {
        let map = |items: &mut dyn Iterator<Item = (&String, &String)>| {
            items.map(|(n, l)| (n.clone(), l.clone())).collect()
        };
        Labels {
            care_forms: map(&mut model.forms.iter().map(|f| (&f.name, &f.label))),
            areas: map(&mut model.areas.iter().map(|a| (&a.name, &a.label))),
            municipalities: map(&mut model.municipalities.iter().map(|m| (&m.name, &m.label))),
            providers: map(&mut model.money.providers.iter().map(|p| (&p.name, &p.label))),
        }
    }
}
