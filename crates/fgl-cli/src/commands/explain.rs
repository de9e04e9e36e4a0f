//! `fgl explain CODE`: the long explanation of a diagnostic code (the same text as
//! `docs/errors.md`), or the list of all codes.

use std::io::{self, Write};

use fgl_syntax::codes::{self, CodeInfo};
use serde::Serialize;

use super::{Ctx, Status};
use crate::cli::{ExplainArgs, Format};
use crate::render::json;

#[derive(Serialize)]
struct JsonCode<'a> {
    code: &'a str,
    title: &'a str,
    explanation: &'a str,
}

fn to_json(info: &CodeInfo) -> JsonCode<'_> {
    JsonCode {
        code: info.code.as_str(),
        title: info.title,
        explanation: info.explanation,
    }
}

pub fn run(args: &ExplainArgs, ctx: &Ctx) -> io::Result<Status> {
    let Some(code) = &args.code else {
        if ctx.format == Format::Json {
            json::print(&codes::all().map(to_json).collect::<Vec<_>>())?;
            return Ok(Status::Ok);
        }
        let mut out = io::stdout().lock();
        for info in codes::all() {
            writeln!(out, "{}  {}", info.code, info.title)?;
        }
        return Ok(Status::Ok);
    };
    let Some(info) = codes::lookup(code) else {
        ctx.style.error(format!(
            "no diagnostic code `{code}`; `fgl explain` lists them all"
        ));
        return Ok(Status::Error);
    };
    if ctx.format == Format::Json {
        json::print(&to_json(info))?;
    } else {
        let mut out = io::stdout().lock();
        writeln!(out, "{}: {}\n", ctx.style.bold(info.code), info.title)?;
        write!(out, "{}", info.explanation)?;
    }
    Ok(Status::Ok)
}
