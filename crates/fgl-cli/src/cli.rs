//! The command line, as clap types. Parsing lives here; what each command does lives in
//! `commands/`.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

const APP_EXAMPLES: &str = "\
Examples:
  fgl check app.fgl                 Check one file; prints nothing but a summary when it is fine
  fgl check infra/                  Check every .fgl file under a directory
  fgl check --format json app.fgl   Print the diagnostics as one JSON document on stdout
  fgl eval app.fgl --set tag=1.4.2  Print the evaluated stack: values and resources, as JSON
  fgl eval app.fgl --lowered        Print the AWS resources the stack becomes, as JSON
  fgl graph app.fgl | dot -Tsvg     Draw the AWS resources and their dependencies
  fgl fmt .                         Format every .fgl file under the current directory in place
  fgl fmt --check .                 List the files that are not formatted (exit 1 if any)
  fgl fmt - < app.fgl               Format standard input to standard output
  fgl explain E0101                 Explain a diagnostic code, with a wrong and a right example

Exit status: 0 success, 1 errors found (or `fmt --check` found files to format),
2 usage error or a file that could not be read or written.";

const EVAL_EXAMPLES: &str = "\
Examples:
  fgl eval app.fgl                      The stack, public values and resources as JSON
  fgl eval app.fgl --set tag=1.4.2      Set a `param` (parsed by its declared type)
  fgl eval app.fgl --format yaml        The same document as YAML
  fgl eval app.fgl --stack shop-dev     Override the file's `stack`
  fgl eval app.fgl --lowered            The AWS resource graph the stack lowers to (needs a stack)

References between resources print as {\"$ref\": \"id\"}, secrets as {\"$secret\": \"id\"}:
fgl never reads a secret's value.

Exit status: 0 success, 1 errors found, 2 the file could not be read.";

const CHECK_EXAMPLES: &str = "\
Examples:
  fgl check app.fgl
  fgl check app.fgl net.fgl
  fgl check .                       Every .fgl file under the current directory
  fgl check --format json app.fgl   {\"diagnostics\":[…],\"files_checked\":1} on stdout
  fgl check app.fgl --set tag=1.4.2 Check with a value for a param that has no default
  fgl check - < app.fgl             Check standard input (shown as <stdin>)

Exit status: 0 no errors (warnings allowed), 1 errors found, 2 a file could not be read.";

const EXPLAIN_EXAMPLES: &str = "\
Examples:
  fgl explain E0101                 What an unclosed delimiter is, and how to fix it
  fgl explain                       List every code with its title

All codes with their explanations are also in docs/errors.md.";

const FMT_EXAMPLES: &str = "\
Examples:
  fgl fmt app.fgl                   Format a file in place; changed files are listed on stderr
  fgl fmt .                         Format every .fgl file under the current directory
  fgl fmt --check .                 List unformatted files on stdout, change nothing
  fgl fmt - < app.fgl > out.fgl     Format standard input to standard output

A file with syntax errors is reported and left untouched. `-` (standard input) must be the only
path. Directories are searched recursively for *.fgl files, skipping hidden directories and
`target/`.

Exit status: 0 success, 1 syntax errors or (with --check) files to format, 2 a file could not be
read or written.";

#[derive(Debug, Parser)]
#[command(
    name = "fgl",
    version,
    about = "Check, format and deploy fgl configurations to AWS Fargate",
    after_help = APP_EXAMPLES,
    arg_required_else_help = true,
    propagate_version = true
)]
pub struct Cli {
    /// When to use colors: `auto` colors only on a terminal and when NO_COLOR is unset.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check files for errors without touching AWS.
    #[command(after_help = CHECK_EXAMPLES)]
    Check(CheckArgs),
    /// Format files in the canonical style.
    #[command(after_help = FMT_EXAMPLES)]
    Fmt(FmtArgs),
    /// Explain a diagnostic code, with an example of the mistake and its fix.
    #[command(after_help = EXPLAIN_EXAMPLES)]
    Explain(ExplainArgs),
    /// Evaluate a file offline and print its stack, values and resources.
    #[command(after_help = EVAL_EXAMPLES)]
    Eval(EvalArgs),
    /// Draw the AWS resources a file lowers to, grouped by fgl resource, with dependencies.
    #[command(after_help = GRAPH_EXAMPLES)]
    Graph(GraphArgs),
    /// Show what `apply` would change in AWS: live state is read, nothing is changed.
    #[command(after_help = PLAN_EXAMPLES)]
    Plan(PlanArgs),
    /// Make AWS match the file: plan, confirm, then create, update and delete.
    #[command(after_help = APPLY_EXAMPLES)]
    Apply(ApplyArgs),
    /// Delete every AWS resource tagged with the file's stack.
    #[command(after_help = DESTROY_EXAMPLES)]
    Destroy(DestroyArgs),
    /// Manage the values of secrets (`aws.Secret`), kept in SSM Parameter Store.
    #[command(subcommand)]
    Secret(SecretCommand),
    /// What runs now: containers, rollouts, target health, certificates, URLs.
    #[command(after_help = STATUS_EXAMPLES)]
    Status(StatusArgs),
    /// A container's logs (CloudWatch), every task's stream in time order.
    #[command(after_help = LOGS_EXAMPLES)]
    Logs(LogsArgs),
    /// Run the language server on stdin/stdout (for editors: see editors/README.md).
    Lsp(LspArgs),
}

const PLAN_EXAMPLES: &str = "\
Examples:
  fgl plan app.fgl                        What apply would change, grouped by resource
  fgl plan app.fgl --set tag=1.4.3        With a param's value
  fgl plan app.fgl --format json          The plan as one JSON document on stdout
  fgl plan app.fgl --detailed-exitcode    Exit 2 when there are changes (for CI)

AWS credentials, region and endpoint come from the standard AWS configuration: profiles, SSO,
AWS_PROFILE, AWS_REGION, AWS_ENDPOINT_URL, or --profile and --region. Secrets show as (secret).

Exit status: 0 success, 1 errors (in the file, or from AWS), 2 with --detailed-exitcode: the
plan has changes.";

const APPLY_EXAMPLES: &str = "\
Examples:
  fgl apply app.fgl                       Show the plan, ask, then apply it
  fgl apply app.fgl --yes                 Without asking (needed when stdin is not a terminal)
  fgl apply app.fgl --force-unlock        Break the lock of an apply that died, then apply

Only one apply or destroy of a stack runs at a time: they hold the SSM parameter
/fgl/<stack>/lock. Before any change, apply checks that every secret has a value, that hosted
zones exist and that the region has the availability zones the network needs.

Exit status: 0 applied (or nothing to do), 1 errors (in the file, the plan, or from AWS), 2 usage.";

const DESTROY_EXAMPLES: &str = "\
Examples:
  fgl destroy app.fgl                     List what would be deleted, ask, then delete it
  fgl destroy app.fgl --yes               Without asking

Only resources tagged fgl:stack=<stack> are deleted (secrets' parameters included); anything
else, even with the same names, is never touched.

Exit status: 0 deleted (or nothing to delete), 1 errors, 2 usage.";

const SECRET_EXAMPLES: &str = "\
Examples:
  fgl secret set app.fgl password                       Prompt for the value (not echoed)
  printf %s \"$PW\" | fgl secret set app.fgl password     Read the value from standard input
  fgl secret set app.fgl password --redeploy            Then restart the containers using it

NAME is the binding of an `aws.Secret` in the file. The value is written to its SecureString
parameter, tagged with the stack; fgl never prints, logs or stores it.";

const STATUS_EXAMPLES: &str = "\
Examples:
  fgl status app.fgl                      Each container's tasks, rollout and target health
  fgl status app.fgl --watch              Again every 5 seconds
  fgl status app.fgl --format json        One JSON document (`healthy`: true or false)

Exit status: 0 everything healthy, 1 something is not (a failed or unfinished rollout, an
unhealthy target, a certificate not issued, resources that differ from the file).";

const LOGS_EXAMPLES: &str = "\
Examples:
  fgl logs app.fgl web                    The last 10 minutes of web's logs
  fgl logs app.fgl web --since 2h         The last two hours
  fgl logs app.fgl web --follow           Then keep printing new lines

Each line: the time (UTC), the task (first 8 characters of its id), the message.";

#[derive(Debug, Args)]
pub struct StatusArgs {
    /// The file whose stack to show.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    #[command(flatten)]
    pub inputs: EvalInputs,

    #[command(flatten)]
    pub aws: AwsArgs,

    #[command(flatten)]
    pub format: FormatArg,

    /// Refresh every 5 seconds until interrupted.
    #[arg(long)]
    pub watch: bool,
}

#[derive(Debug, Args)]
pub struct LogsArgs {
    /// The file that declares the container.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// The container's binding in the file (`web` for `web = aws.Container { … }`).
    #[arg(value_name = "CONTAINER")]
    pub container: String,

    #[command(flatten)]
    pub inputs: EvalInputs,

    #[command(flatten)]
    pub aws: AwsArgs,

    /// Keep printing new lines.
    #[arg(long, short = 'f')]
    pub follow: bool,

    /// From how long ago (`30s`, `10m`, `2h`, `1d`).
    #[arg(long, value_name = "DURATION", default_value = "10m", value_parser = parse_duration)]
    pub since: std::time::Duration,
}

/// Where AWS is: the standard configuration chain, with these overrides.
#[derive(Debug, Args)]
pub struct AwsArgs {
    /// The AWS profile (default: AWS_PROFILE, else `default`).
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,

    /// The AWS region (default: AWS_REGION, else the profile's).
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,
}

#[derive(Debug, Args)]
pub struct PlanArgs {
    /// The file to plan.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    #[command(flatten)]
    pub inputs: EvalInputs,

    #[command(flatten)]
    pub aws: AwsArgs,

    #[command(flatten)]
    pub format: FormatArg,

    /// Exit 2 when the plan has changes, 0 when it has none.
    #[arg(long)]
    pub detailed_exitcode: bool,
}

#[derive(Debug, Args)]
pub struct ApplyArgs {
    /// The file to apply.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    #[command(flatten)]
    pub inputs: EvalInputs,

    #[command(flatten)]
    pub aws: AwsArgs,

    /// Apply without asking for confirmation.
    #[arg(long, short = 'y')]
    pub yes: bool,

    /// Remove the stack's lock first (when an earlier apply died holding it).
    #[arg(long)]
    pub force_unlock: bool,

    /// AWS changes in flight at most.
    #[arg(long, default_value_t = 8, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=64))]
    pub concurrency: u16,

    #[command(flatten)]
    pub wait: WaitArgs,
}

/// Watching the new deployments of the services apply changed.
#[derive(Debug, Args)]
pub struct WaitArgs {
    /// Do not wait for the new deployments to finish.
    #[arg(long)]
    pub no_wait: bool,

    /// How long to wait for the new deployments (`90s`, `15m`, `1h`).
    #[arg(long, value_name = "DURATION", default_value = "15m", value_parser = parse_duration)]
    pub timeout: std::time::Duration,
}

/// `90s`, `15m`, `2h`, `1d` (a number alone is seconds).
pub fn parse_duration(arg: &str) -> Result<std::time::Duration, String> {
    let arg = arg.trim();
    let split = arg.find(|c: char| !c.is_ascii_digit()).unwrap_or(arg.len());
    let (digits, unit) = arg.split_at(split);
    let n: u64 = digits
        .parse()
        .map_err(|_| format!("expected a duration such as 90s, 15m or 1h, found `{arg}`"))?;
    let scale: u64 = match unit {
        "" | "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        _ => return Err(format!("unknown unit `{unit}`: use s, m, h or d")),
    };
    n.checked_mul(scale)
        .map(std::time::Duration::from_secs)
        .ok_or_else(|| format!("`{arg}` is too long a duration"))
}

#[derive(Debug, Args)]
pub struct DestroyArgs {
    /// The file whose stack to destroy.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    #[command(flatten)]
    pub inputs: EvalInputs,

    #[command(flatten)]
    pub aws: AwsArgs,

    /// Delete without asking for confirmation.
    #[arg(long, short = 'y')]
    pub yes: bool,

    /// Remove the stack's lock first (when an earlier apply died holding it).
    #[arg(long)]
    pub force_unlock: bool,
}

#[derive(Debug, Subcommand)]
pub enum SecretCommand {
    /// Set a secret's value, read from standard input or a prompt that does not echo.
    #[command(after_help = SECRET_EXAMPLES)]
    Set(SecretSetArgs),
}

#[derive(Debug, Args)]
pub struct SecretSetArgs {
    /// The file that declares the secret.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// The secret's binding in the file (`password` for `password = aws.Secret { … }`).
    #[arg(value_name = "NAME")]
    pub name: String,

    /// Then redeploy, at once, the containers that read this secret (their tasks read it
    /// only when they start); otherwise the next `fgl apply` does.
    #[arg(long)]
    pub redeploy: bool,

    #[command(flatten)]
    pub wait: WaitArgs,

    #[command(flatten)]
    pub inputs: EvalInputs,

    #[command(flatten)]
    pub aws: AwsArgs,
}

/// `fgl lsp` takes no arguments: editors start it and speak LSP on its stdin and stdout.
#[derive(Debug, Args)]
pub struct LspArgs {}

/// How `check`, `fmt` and `explain` print: `human` (diagnostics on stderr) or `json` (one
/// document on stdout).
#[derive(Debug, Args)]
pub struct FormatArg {
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

/// Inputs of an evaluation.
#[derive(Debug, Args)]
pub struct EvalInputs {
    /// Set a `param` of the file: the value is parsed by the param's declared type. Repeatable.
    #[arg(long = "set", value_name = "NAME=VALUE", value_parser = parse_set)]
    pub set: Vec<(String, String)>,

    /// Use this stack name instead of the file's `stack` (e.g. `shop-staging`).
    #[arg(long, value_name = "NAME")]
    pub stack: Option<String>,
}

fn parse_set(arg: &str) -> Result<(String, String), String> {
    match arg.split_once('=') {
        Some((name, value)) if !name.trim().is_empty() => {
            Ok((name.trim().to_string(), value.to_string()))
        }
        _ => Err(format!("expected NAME=VALUE, found `{arg}`")),
    }
}

#[derive(Debug, Args)]
pub struct EvalArgs {
    /// The file to evaluate (`-` reads standard input).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    #[command(flatten)]
    pub inputs: EvalInputs,

    /// The output document's format. Diagnostics always go to stderr.
    #[arg(long, value_enum, default_value_t = OutputFormat::Json)]
    pub format: OutputFormat,

    /// Print the AWS resource graph the stack lowers to (every AWS resource, its properties
    /// and dependencies) instead of the evaluated values. Needs a stack name.
    #[arg(long)]
    pub lowered: bool,
}

const GRAPH_EXAMPLES: &str = "\
Examples:
  fgl graph app.fgl | dot -Tsvg > graph.svg   Graphviz (the default format)
  fgl graph app.fgl --format mermaid          Mermaid, for Markdown
  fgl graph app.fgl --stack shop-dev          Override the file's `stack`

Each fgl resource is a cluster holding the AWS resources it becomes; an arrow goes from a
resource to each one it needs first. Looked-up resources (hosted zones) are dashed.

Exit status: 0 success, 1 errors found, 2 the file could not be read.";

#[derive(Debug, Args)]
pub struct GraphArgs {
    /// The file to draw (`-` reads standard input).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    #[command(flatten)]
    pub inputs: EvalInputs,

    /// The drawing's language. Diagnostics always go to stderr.
    #[arg(long, value_enum, default_value_t = GraphFormat::Dot)]
    pub format: GraphFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    Dot,
    Mermaid,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Json,
    Yaml,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    #[command(flatten)]
    pub format: FormatArg,

    /// The code, as printed in brackets: `E0101` (or `e0101`, `0101`). Without one, every code
    /// is listed with its title.
    #[arg(value_name = "CODE")]
    pub code: Option<String>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files or directories to check (`-` reads standard input). Each file is checked as the
    /// root of a program, with what it imports.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    #[command(flatten)]
    pub inputs: EvalInputs,

    #[command(flatten)]
    pub format: FormatArg,
}

#[derive(Debug, Args)]
pub struct FmtArgs {
    #[command(flatten)]
    pub format: FormatArg,

    /// Do not write anything: list the files that would change and exit 1 if there are any.
    #[arg(long)]
    pub check: bool,

    /// Files or directories to format in place, or `-` alone for standard input to standard
    /// output.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// Parses the process arguments; on a usage error, `--help` or `--version` prints and exits
/// (usage errors with status 2).
pub fn parse() -> Cli {
    let args: Vec<OsString> = std::env::args_os().collect();
    // clap renders its own help and errors before our `--color` is known, so look for it first:
    // `--color never` must mean no escapes anywhere.
    let color = match color_flag(&args) {
        Some(ColorChoice::Always) => clap::ColorChoice::Always,
        Some(ColorChoice::Never) => clap::ColorChoice::Never,
        Some(ColorChoice::Auto) | None => clap::ColorChoice::Auto,
    };
    let mut command = Cli::command().color(color);
    let matches = command
        .try_get_matches_from_mut(args)
        .unwrap_or_else(|e| e.exit());
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    if let Command::Fmt(fmt) = &cli.command {
        // Standard input is formatted to stdout, which has room for one text only.
        if fmt.paths.len() > 1 && fmt.paths.iter().any(|p| p.as_os_str() == "-") {
            let mut fmt_command = command
                .find_subcommand_mut("fmt")
                .cloned()
                .unwrap_or(command);
            fmt_command
                .error(
                    clap::error::ErrorKind::ArgumentConflict,
                    "`-` (standard input) must be the only path given to `fgl fmt`",
                )
                .exit();
        }
    }
    cli
}

/// The last `--color` value before a `--`, if it is a valid one (clap reports invalid ones).
fn color_flag(args: &[OsString]) -> Option<ColorChoice> {
    let mut found = None;
    let mut iter = args.iter().skip(1).map(|a| a.to_str());
    while let Some(arg) = iter.next() {
        let value = match arg {
            Some("--") => break,
            Some("--color") => iter.next().flatten(),
            Some(a) => a.strip_prefix("--color="),
            None => None,
        };
        if let Some(choice) = value.and_then(|v| ColorChoice::from_str(v, false).ok()) {
            found = Some(choice);
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flag(args: &[&str]) -> Option<ColorChoice> {
        let args: Vec<OsString> = std::iter::once("fgl")
            .chain(args.iter().copied())
            .map(OsString::from)
            .collect();
        color_flag(&args)
    }

    #[test]
    fn finds_the_color_flag_in_both_spellings() {
        assert_eq!(
            flag(&["--color", "never", "check"]),
            Some(ColorChoice::Never)
        );
        assert_eq!(
            flag(&["check", "--color=always"]),
            Some(ColorChoice::Always)
        );
        assert_eq!(flag(&["check", "x.fgl"]), None);
        assert_eq!(flag(&["check", "--", "--color=never"]), None);
        assert_eq!(flag(&["--color", "purple"]), None);
    }

    #[test]
    fn durations_take_a_unit() {
        use std::time::Duration;
        assert_eq!(parse_duration("90"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("90s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("15m"), Ok(Duration::from_secs(900)));
        assert_eq!(parse_duration("2h"), Ok(Duration::from_secs(7200)));
        assert!(parse_duration("5w").is_err());
        assert!(parse_duration("m").is_err());
        assert!(parse_duration("999999999999999999d").is_err());
    }

    #[test]
    fn clap_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
