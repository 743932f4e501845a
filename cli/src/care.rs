//! `eduaid care`: the schedule of a care plan (the "eight ones" or home-delivered teaching
//! visits) for a term, and what is overdue in the log. A [`eduaid::CareRequest`] in
//! (standard input or `--input FILE`), a [`eduaid::CareSchedule`] out.

use crate::args::Args;
use crate::common::CmdResult;

/// Run the subcommand.
pub fn run(args: Args) -> CmdResult {
    crate::loan::run_json(args, |text, policy| {
        let request = eduaid::CareRequest::from_json(text)?;
        eduaid::care_schedule(&request, policy)
    })
}
