//! `eduaid funds`: the public funds (生均公用经费) of a list of schools for one term. A
//! [`eduaid::FundsRequest`] in (standard input or `--input FILE`), a
//! [`eduaid::FundsReport`] out.

use crate::args::Args;
use crate::common::CmdResult;

/// Run the subcommand.
pub fn run(args: Args) -> CmdResult {
    crate::loan::run_json(args, |text, policy| {
        let request = eduaid::FundsRequest::from_json(text)?;
        eduaid::public_funds(&request, policy)
    })
}
