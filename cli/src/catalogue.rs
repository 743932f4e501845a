//! `eduaid programs`, `eduaid reasons`, `eduaid policy`, `eduaid inputs`: the public
//! catalogues and the loaded policy, as JSON.

use crate::args::Args;
use crate::common::{self, CliError, CmdResult};

fn print(value: &impl serde::Serialize) -> CmdResult {
    let text = serde_json::to_string_pretty(value).map_err(|e| CliError::Io(e.to_string()))?;
    println!("{text}");
    Ok(())
}

/// The program catalogue.
pub fn programs(args: Args) -> CmdResult {
    args.finish()?;
    print(&eduaid::CATALOGUE)
}

/// The reason-code catalogue with both templates.
pub fn reasons(args: Args) -> CmdResult {
    args.finish()?;
    print(&eduaid::reasons::CATALOGUE)
}

/// The loaded policy: id, fingerprint, regions and every layer's parameters.
pub fn policy(mut args: Args) -> CmdResult {
    let policy = common::policy(&mut args)?;
    args.finish()?;
    print(&serde_json::json!({
        "id": policy.id(),
        "coverage_start": policy.coverage_start(),
        "fingerprint": policy.fingerprint(),
        "regions": policy.regions(),
        "layers": policy.layers(),
    }))
}

/// `eduaid inputs PROGRAM`: the profile fields a program reads.
pub fn inputs(mut args: Args) -> CmdResult {
    let policy = common::policy(&mut args)?;
    let Some(program) = args.positional() else {
        return Err(crate::args::UsageError("eduaid inputs PROGRAM".into()).into());
    };
    args.finish()?;
    print(&eduaid::required_inputs(&program, &policy)?)
}
