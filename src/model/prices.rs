//! Prices of the compiled model: tariffs, fixed costs and lumpsums per
//! horizon year, indexed, as exact decimals.

use rust_decimal::Decimal;

/// Prices per horizon year, in euros, as exact decimals (indexed).
#[derive(Clone, Debug)]
pub struct Prices {
    /// [form][year] euros per client-day.
    pub tariff: Vec<Vec<Decimal>>,
    /// [form] multiplier on the tariff for out-of-region days.
    pub out_of_region_multiplier: Vec<Decimal>,
    /// [form][year] euros per place-day (occupied or vacant).
    pub place_day: Vec<Vec<Decimal>>,
    /// [area][year] euros per year.
    pub area_teams: Vec<Vec<Decimal>>,
    /// [year] euros per year.
    pub crisis_service: Vec<Decimal>,
    /// [year] region lumpsum after savings targets and indexation.
    pub lumpsum_region: Vec<Decimal>,
    /// [municipality][year] budget-table contribution after savings and indexation.
    pub lumpsum_municipality: Vec<Vec<Decimal>>,
    /// [form][year] one-off cost per closed place (afbouw friction).
    pub friction_per_closed_place: Vec<Vec<Decimal>>,
    /// [form][year] yearly cost of one FTE of a staff-based form.
    pub staff_cost_per_fte: Vec<Vec<Decimal>>,
    /// [form][year] euros per day waited at home with bridging care (0 without).
    pub bridging: Vec<Vec<Decimal>>,
    /// [year] cost of the running interventions.
    pub interventions: Vec<Decimal>,
}
