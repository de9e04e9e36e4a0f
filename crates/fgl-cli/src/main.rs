//! `fgl`: the command-line tool. Parses arguments (clap), runs a command, exits with its status:
//! 0 success, 1 errors found, 2 usage or I/O error.

mod cli;
mod commands;
mod files;
mod pipeline;
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
    let format = match &cli.command {
        Command::Check(args) => args.format.format,
        Command::Fmt(args) => args.format.format,
        Command::Explain(args) => args.format.format,
        // Its --format is the document's; diagnostics are for people, on stderr.
        Command::Plan(args) => args.format.format,
        Command::Status(args) => args.format.format,
        Command::Eval(_)
        | Command::Graph(_)
        | Command::Lsp(_)
        | Command::Apply(_)
        | Command::Destroy(_)
        | Command::Secret(_)
        | Command::Logs(_) => cli::Format::Human,
    };
    let ctx = Ctx {
        format,
        style: Style::new(cli.color),
        color: cli.color,
    };
    let result = match &cli.command {
        Command::Check(args) => commands::check::run(args, &ctx),
        Command::Fmt(args) => commands::fmt::run(args, &ctx),
        Command::Explain(args) => commands::explain::run(args, &ctx),
        Command::Eval(args) => commands::eval::run(args, &ctx),
        Command::Graph(args) => commands::graph::run(args, &ctx),
        Command::Lsp(args) => commands::lsp::run(args, &ctx),
        Command::Plan(args) => commands::plan::run(args, &ctx),
        Command::Apply(args) => commands::apply::run(args, &ctx),
        Command::Destroy(args) => commands::destroy::run(args, &ctx),
        Command::Secret(cli::SecretCommand::Set(args)) => commands::secret::set(args, &ctx),
        Command::Status(args) => commands::status::run(args, &ctx),
        Command::Logs(args) => commands::logs::run(args, &ctx),
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
    ExitCode::from(status.code())
}
