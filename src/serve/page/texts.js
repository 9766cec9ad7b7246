"use strict";

// ---- texts: every UI string in both languages; the scenario JSON's `lang` chooses ----
const TEXTS = {
  nl: {
    title: "jeugdstroom — wat-als", replications: "Replicaties", reset: "Terug naar basis",
    party: "Partij", year: "Jaar", levers: "Hefbomen", changed: n => `${n} gewijzigd`, base: "basis",
    toBase: "terug", idle: "wacht", running: (k, n) => `${k} / ${n} replicaties…`,
    done: (k, s) => `${k} replicaties · ${s}`, cancelled: "afgebroken", error: "fout",
    headline: (y, p) => `Kans dat de kosten het lumpsumbudget overschrijden in ${y} (${p}): `,
    vsBase: (b, d, ci) => ` (basis ${b}, verschil ${d}${ci ? `, 95 %-interval ${ci}` : ""})`,
    sameAsBase: b => ` (gelijk aan de basis ${b}: geen hefboom gewijzigd)`,
    pp: "procentpunt", planLine: (w, wo, d) => `Plan of geen plan (basis): met het plan ${w}, zonder plan ${wo} (verschil ${d} procentpunt).`,
    noPlan: "Dit scenario heeft geen plan-interventies.", waiting: "Bezig met rekenen…",
    fanTitle: p => `Kosten per jaar — ${p} (€ mln)`, barsTitle: p => `Kans op overschrijding van de lumpsum per jaar — ${p}`,
    band90: "90 % van de uitkomsten (P5–P95)", band50: "P25–P75", median: "Mediaan (variant)", baseMedian: "Mediaan basis",
    noPlanMedian: "Mediaan zonder plan (basis)", lumpsum: "Lumpsum (variant)", baseLumpsum: "Lumpsum basis", yearAxis: "Jaar", eurAxis: "€ mln",
    pVariant: "Variant", pVariantCi: "Variant (streepje: 95 %-interval)", pBase: "Basis", tableTitle: y => `Alle partijen in ${y}`,
    cols: ["Partij", "Lumpsum (€\u00a0mln)", "Gem. kosten (€\u00a0mln)", "P variant", "P basis", "ΔP (procentpunt)", "Δ gem. kosten (€\u00a0mln)"],
    tableNote: "P: kans dat de kosten de lumpsum overschrijden. ΔP en Δ kosten: variant min basis op dezelfde replicaties (common random numbers), met het 95 %-interval eronder. Klik op een rij om de partij te kiezen.",
    kinds: { region: "regio", municipality: "gemeente", provider: "aanbieder" },
    kindGroups: { region: "Regio", municipality: "Gemeenten", provider: "Aanbieders" },
    save: "Opslaan als scenario", saveBtn: "Opslaan", showToml: "Toon TOML",
    saveHint: "Schrijft een klein scenario dat het basisscenario uitbreidt (extends) met de gewijzigde hefbomen, naast het basisbestand. Naam: a–z, 0–9, - en _.",
    saved: "Geschreven:", validate: "Controleer met:", download: "Download TOML", badName: "Ongeldige naam: gebruik a–z, 0–9, - en _ (max. 64 tekens).",
    export: "Exporteren", exportBtn: "Volledige run met rapport", exportHint: "Draait de volledige `run` met deze hefbomen en het gekozen aantal replicaties en schrijft de resultaten met het HTML-rapport in out/serve/ (dit breekt de lopende berekening af).",
    exporting: "Bezig met exporteren…", folder: "Map:", report: "Rapport:", errWhere: "Plaats:", errFix: "Oplossing:",
    invalidNumber: l => `${l}: geen geldig getal.`, streamEnded: "De server stopte met antwoorden voordat de berekening klaar was.",
    units: { fraction: "%", per_1000: "per 1.000", days: "dagen", eur_per_day: "€/dag", eur: "€ mln", year: "jaartal", years: "jaar", places: "plekken" },
    // "Wat moet er veranderen?": `change` is a fraction; inflow, duration and tariff multiply
    // by 1 + change, exit and access are shares (exit: stronger outflow, access: arrivals to basic care).
    required: "Wat moet er veranderen?", reqLever: "Hefboom", reqTarget: "naar P(overschrijding)", reqFrom: "vanaf", reqRun: "Bereken",
    reqLevers: { inflow: "Instroom (nieuwe cliënten)", duration: "Duur van de trajecten", tariff: "Tarieven",
      exit: "Sterkere uitstroom", access: "Toegang (deel instroom naar basiszorg)" },
    reqPhrase: { inflow: c => `Instroom ${c}`, duration: c => `Trajectduur ${c}`, tariff: c => `Tarieven ${c}`,
      exit: c => `Uitstroom ${c} sterker`, access: c => `${c} van de instroom naar basiszorg` },
    reqHint: (party, year) => `Zoekt de verandering van één hefboom (op alle zorgvormen, vanaf het gekozen jaar) die de kans op overschrijding van ${party} in ${year} op het doel brengt, op dezelfde toekomsten als hierboven. Dat zijn tientallen berekeningen: tot een minuut.`,
    reqRunning: (k, c, p) => k ? `Zoeken… stap ${k}: verandering ${c} geeft P(overschrijding) ${p}.` : "Zoeken… stap 0",
    reqFound: (what, ci, from, year, party, target, confirmed) =>
      [[what, true], [`${ci ? ` (95 %-interval ${ci})` : ""} vanaf ${from} brengt P(overschrijding) ${year} ${party} naar ${target}; bevestigd op nieuwe replicaties: ${confirmed}.`]],
    reqMet: (year, party, p, target) =>
      [["Al bereikt: ", true], [`zonder verandering is P(overschrijding) ${year} ${party} al ${p} (op nieuwe replicaties), niet boven het doel van ${target}. Met deze hefboom hoeft niets te veranderen.`]],
    reqUnreachable: (edge, year, party, p, target, from) =>
      [[`Niet bereikbaar met deze hefboom: `, true], [`ook bij ${edge} (het uiterste dat gezocht is, vanaf ${from}) blijft P(overschrijding) ${year} ${party} ${p} (op nieuwe replicaties), niet ${target}. ` +
       `Dat is een echte uitkomst, geen fout: het contract kan de lumpsum laten volgen (bijvoorbeeld de neerwaartse bijstelling laat de lumpsum meedalen met lagere kosten), ` +
       `zodat minder kosten de kans niet omlaag brengen. Laat de verandering pas in het gevraagde jaar ingaan (‘vanaf’) of kies een andere hefboom.`]],
    reqCancelledLevers: "Afgebroken: de hefbomen zijn gewijzigd. Klik opnieuw op Bereken voor de nieuwe waarden.",
    reqCancelled: "Afgebroken door een nieuwere berekening. Klik opnieuw op Bereken.",
    reqBadTarget: "Doel: een percentage tussen 1 en 99.",
    reqStale: "Berekend op eerdere hefboomwaarden; klik opnieuw op Bereken voor de huidige.",
  },
  en: {
    title: "jeugdstroom — what-if", replications: "Replications", reset: "Back to base",
    party: "Party", year: "Year", levers: "Levers", changed: n => `${n} changed`, base: "base",
    toBase: "reset", idle: "waiting", running: (k, n) => `${k} / ${n} replications…`,
    done: (k, s) => `${k} replications · ${s}`, cancelled: "cancelled", error: "error",
    headline: (y, p) => `Chance that cost exceeds the lumpsum in ${y} (${p}): `,
    vsBase: (b, d, ci) => ` (base ${b}, difference ${d}${ci ? `, 95% interval ${ci}` : ""})`,
    sameAsBase: b => ` (equal to the base ${b}: no lever changed)`,
    pp: "percentage points", planLine: (w, wo, d) => `Plan or no plan (base): with the plan ${w}, without the plan ${wo} (difference ${d} percentage points).`,
    noPlan: "This scenario has no plan interventions.", waiting: "Computing…",
    fanTitle: p => `Cost per year — ${p} (€ M)`, barsTitle: p => `Chance of exceeding the lumpsum per year — ${p}`,
    band90: "90% of outcomes (P5–P95)", band50: "P25–P75", median: "Median (variant)", baseMedian: "Median base",
    noPlanMedian: "Median without plan (base)", lumpsum: "Lumpsum (variant)", baseLumpsum: "Lumpsum base", yearAxis: "Year", eurAxis: "€ M",
    pVariant: "Variant", pVariantCi: "Variant (whisker: 95% interval)", pBase: "Base", tableTitle: y => `All parties in ${y}`,
    cols: ["Party", "Lumpsum (€\u00a0M)", "Mean cost (€\u00a0M)", "P variant", "P base", "ΔP (percentage points)", "Δ mean cost (€\u00a0M)"],
    tableNote: "P: chance that cost exceeds the lumpsum. ΔP and Δ cost: variant minus base on the same replications (common random numbers), with the 95% interval below. Click a row to choose the party.",
    kinds: { region: "region", municipality: "municipality", provider: "provider" },
    kindGroups: { region: "Region", municipality: "Municipalities", provider: "Providers" },
    save: "Save as scenario", saveBtn: "Save", showToml: "Show TOML",
    saveHint: "Writes a small scenario that extends the base scenario with the changed levers, beside the base file. Name: a–z, 0–9, - and _.",
    saved: "Written:", validate: "Check with:", download: "Download TOML", badName: "Invalid name: use a–z, 0–9, - and _ (at most 64 characters).",
    export: "Export", exportBtn: "Full run with report", exportHint: "Runs the full `run` with these levers and the chosen number of replications and writes the results with the HTML report into out/serve/ (this cancels the running computation).",
    exporting: "Exporting…", folder: "Folder:", report: "Report:", errWhere: "Location:", errFix: "Fix:",
    invalidNumber: l => `${l}: not a valid number.`, streamEnded: "The server stopped answering before the computation finished.",
    units: { fraction: "%", per_1000: "per 1,000", days: "days", eur_per_day: "€/day", eur: "€ M", year: "year", years: "years", places: "places" },
    required: "What would have to change?", reqLever: "Lever", reqTarget: "to P(overrun)", reqFrom: "from", reqRun: "Compute",
    reqLevers: { inflow: "Inflow (new clients)", duration: "Length of care episodes", tariff: "Tariffs",
      exit: "Stronger outflow", access: "Access (share of arrivals to basic care)" },
    reqPhrase: { inflow: c => `Inflow ${c}`, duration: c => `Episode length ${c}`, tariff: c => `Tariffs ${c}`,
      exit: c => `Outflow stronger by ${c}`, access: c => `${c} of arrivals diverted to basic care` },
    reqHint: (party, year) => `Searches the change of one lever (on all care forms, from the chosen year) that brings the chance of overrun of ${party} in ${year} to the target, on the same futures as above. That takes dozens of runs: up to a minute.`,
    reqRunning: (k, c, p) => k ? `Searching… step ${k}: a change of ${c} gives P(overrun) ${p}.` : "Searching… step 0",
    reqFound: (what, ci, from, year, party, target, confirmed) =>
      [[what, true], [`${ci ? ` (95% interval ${ci})` : ""} from ${from} brings P(overrun) in ${year} for ${party} to ${target}; confirmed on fresh replications: ${confirmed}.`]],
    reqMet: (year, party, p, target) =>
      [["Already met: ", true], [`without any change P(overrun) in ${year} for ${party} is ${p} (on fresh replications), not above the target of ${target}. Nothing needs to change with this lever.`]],
    reqUnreachable: (edge, year, party, p, target, from) =>
      [["Not reachable with this lever: ", true], [`even at ${edge} (the furthest searched, from ${from}) P(overrun) in ${year} for ${party} stays ${p} (on fresh replications), not ${target}. ` +
       `That is a real answer, not a bug: the contract can make the lumpsum follow (e.g. its downward adjustment lowers the lumpsum along with lower cost), ` +
       `so less cost does not lower the chance. Start the change in the year asked about ('from') or choose another lever.`]],
    reqCancelledLevers: "Cancelled: the levers changed. Click Compute again for the new values.",
    reqCancelled: "Cancelled by a newer computation. Click Compute again.",
    reqBadTarget: "Target: a percentage between 1 and 99.",
    reqStale: "Computed on earlier lever values; click Compute again for the current ones.",
  },
};

