//! Bad input is rejected by the real binary with exit code 2 and an error
//! that says where (file:line:col), what (the dotted field) and how to fix
//! it — never with a panic. One module per part of the scenario file.

mod care;
mod finance;
mod gaps;
mod scenario;
