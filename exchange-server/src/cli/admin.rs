//! `exchange admin`: administration of a data directory while no server runs on it.
//!
//! `exchange admin create-user --email E --password P --kind admin` creates the first admin
//! (or any user): the account through the event log, the login in the auth store.

use super::CliError;
use crate::auth::{check_password_policy, hash_password, AuthStore, Email, User};
use crate::server::app::now_ms;
use crate::server::{auth_dir, log_dir};
use clap::{Args, Subcommand, ValueEnum};
use exchange_core::{AccountKind, Action, Command, Journal, JournalConfig, Submission};
use std::io::Write;
use std::path::PathBuf;

/// The admin subcommands.
#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Create a user with a new exchange account.
    CreateUser(CreateUserArgs),
}

/// Account kinds on the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum KindArg {
    /// A trader.
    Standard,
    /// May fund and liquidate orchestrated accounts.
    Orchestrator,
    /// May list tickers, deposit credits and issue shares.
    Admin,
}

/// Arguments of `exchange admin create-user`.
#[derive(Debug, Args)]
pub struct CreateUserArgs {
    /// The server's data directory (created if missing).
    #[arg(
        long,
        value_name = "DIR",
        env = "EXCHANGE_DATA_DIR",
        default_value = "data"
    )]
    pub data: PathBuf,
    /// The login email.
    #[arg(long)]
    pub email: String,
    /// The password (8 to 128 characters); prefer the environment variable.
    #[arg(long, env = "EXCHANGE_PASSWORD", hide_env_values = true)]
    pub password: String,
    /// The account kind.
    #[arg(long, value_enum, default_value = "admin")]
    pub kind: KindArg,
}

/// Runs an admin subcommand.
pub fn run(command: &AdminCommand, out: &mut dyn Write) -> Result<(), CliError> {
    match command {
        AdminCommand::CreateUser(args) => create_user(args, out),
    }
}

fn create_user(args: &CreateUserArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let email = Email::parse(&args.email)?;
    check_password_policy(&args.password)?;
    crate::server::create_data_dir(&args.data)?;
    let auth = AuthStore::open(&auth_dir(&args.data))?;
    if auth.user_by_email(&email)?.is_some() {
        return Err(crate::auth::AuthError::EmailTaken.into());
    }
    let password_hash = hash_password(&args.password)?;
    let (mut journal, _) = Journal::open_dir(log_dir(&args.data), JournalConfig::default())?;
    let kind = match args.kind {
        KindArg::Standard => AccountKind::Standard,
        KindArg::Orchestrator => AccountKind::Orchestrator,
        KindArg::Admin => AccountKind::Admin,
    };
    let submission = Submission {
        timestamp_ns: now_ms().saturating_mul(1_000_000),
        command: Command::operator(Action::CreateAccount { kind }),
    };
    let outcome = journal.submit(&[submission])?.pop();
    let record = outcome.expect("invariant: one outcome per submission")?;
    let account = crate::involvement::created_account(&record)
        .expect("invariant: an accepted CreateAccount creates an account");
    auth.insert_user(&User {
        email: email.clone(),
        account,
        kind,
        password_hash,
        created_ms: now_ms(),
    })?;
    writeln!(
        out,
        "created {email}: account {} ({:?})",
        account.0, args.kind
    )?;
    Ok(())
}
