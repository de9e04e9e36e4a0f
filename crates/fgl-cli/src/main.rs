//! `fgl`: the command-line tool. Parses arguments (clap), runs a command, exits with its status:
//! 0 success, 1 errors found, 2 usage or I/O error.

mod cli;
mod commands;
mod files;
mod render;

use std::process::ExitCode;

use cli::Command;
use commands::{Ctx, Status};
use render::Style;

// Parsing and checking allocate many small tree nodes: mimalloc makes `fgl` ~15% faster on them
// than the system allocator (docs/benchmarks.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = cli::parse();
    let ctx = Ctx {
        format: cli.format,
        style: Style::new(cli.color),
    };
    let result = match &cli.command {
        Command::Check(args) => commands::check::run(args, &ctx),
        Command::Fmt(args) => commands::fmt::run(args, &ctx),
        Command::Explain(args) => commands::explain::run(args, &ctx),
    };
    let status = match result {
        Ok(status) => status,
        // stdout closed early (`fgl fmt --check . | head -1`): stop quietly.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Status::Error,
        Err(e) => {
            ctx.style.error(format!("cannot write output: {e}"));
            Status::Error
        }
    };
    ExitCode::from(status as u8)
}
