//! The `jeugdstroom` binary: parse the command line, run, map errors to exit
//! codes (0 ok, 2 bad input, 1 internal error).

fn main() {
    std::process::exit(jeugdstroom::cli::main());
}
