//! The one integration-test binary (as ripgrep's): every topic is a module
//! here, so the tests link once against the library and share `util`.

mod util;

// Bad input: located errors naming the field and a fix, never a panic.
mod bad_input;
mod fuzz;
mod hangs;
mod history_input;
mod import_cbs;
mod injection;
mod regression;
mod result_files;
mod sweep_input;

// The library against queueing theory, exact money and the care landscape.
mod budget_cap;
mod budget_cycle;
mod finance;
mod flows;
mod high_cost;
mod landscape;
mod lef;
mod national;
mod theory;
mod uncertainty;

// The real binary: result files, commands and reports.
mod alkmaar;
mod calibration;
mod calibration_truth;
mod capacity;
mod compare;
mod decomposition;
mod dirichlet;
mod landscape_cli;
mod plan_twin;
mod report;
mod report_xlsx;
mod required;
mod results;
mod schedule;
mod serve;
mod slurm;
mod sweep;

// The house: layering of src/ and the reference kept in sync with the schema.
mod layers;
mod reference_docs;
