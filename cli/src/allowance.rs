//! `eduaid allowance`: teacher allowances over a span of months. An
//! [`eduaid::AllowanceRequest`] in (standard input or `--input FILE`), an
//! [`eduaid::AllowanceReport`] out. Regional allowances come from `--overlay FILE`.

use crate::args::Args;
use crate::common::CmdResult;

/// Run the subcommand.
pub fn run(args: Args) -> CmdResult {
    crate::loan::run_json(args, |text, policy| {
        let request = eduaid::AllowanceRequest::from_json(text)?;
        eduaid::teacher_allowances(&request, policy)
    })
}
