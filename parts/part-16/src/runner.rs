//! `twistd`, our runner: starts a plugin's service tree in the foreground
//! or as a daemon, with a pid file, a rotating log, an optional change of
//! user, and a clean stop on `SIGINT` or `SIGTERM`.
//!
//! ## Becoming a daemon without `fork`
//!
//! The classic recipe is fork, `setsid`, fork again: the first fork lets
//! the command return to the shell, `setsid` leaves the terminal's session,
//! and the second fork makes sure the daemon, not being a session leader,
//! can never get a controlling terminal back. In Rust, `fork` is `unsafe`
//! (the child of a threaded process may only do async-signal-safe things
//! until it calls `exec`), and this workspace denies unsafe code. So the
//! runner does the same three steps with `exec` instead of `fork`: it
//! starts *itself* again, with an environment variable saying which step
//! the new process is:
//!
//! 1. the command (`twistd fastpoetry …`) checks what can be checked where
//!    its user sees the answer (the options, the log file, the pid file),
//!    then starts a copy of itself with a pipe for standard output;
//! 2. the copy calls `setsid` (a safe call in `nix`): a new session, no
//!    terminal; it starts a second copy and exits;
//! 3. the second copy, the daemon, is in that session but does not lead
//!    it. It writes its pid file, starts the services (listening happens
//!    here), changes user if asked, moves to `/`, and then writes one
//!    line, `ready`, to the pipe, and points its standard output at the
//!    log. Any failure before that goes down the pipe as the error.
//!
//! The command reads the pipe until it closes. `ready` means the daemon is
//! serving: exit 0. An error is printed as the command's own, exit 1. So
//! `twistd` returns only once it knows, and says why if it failed.

use std::ffi::OsString;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::Duration;

use clap::{ArgMatches, CommandFactory, FromArgMatches, Parser};
use part_02::cli::{fail, parse_count, parse_seconds};
use part_03::{Phase, Reactor, SignalGuard};
use signal_hook::consts::{SIGINT, SIGTERM};

use crate::logging::{self, LogTarget, RotatingFile};
use crate::pidfile;
use crate::plugin::{PluginContext, ServiceMaker};
use crate::service::Application;

/// The environment variable that tells a copy of the runner which step of
/// detaching it is (see the module's documentation).
pub const STEP_VARIABLE: &str = "TWISTD_DETACH_STEP";

/// The runner's own options; the plugin and its options come after them.
#[derive(Debug, Parser)]
#[command(
    name = "twistd",
    version,
    about = "Runs a service: in the foreground (--nodaemon), or as a daemon with a pid file and a rotating log.",
    subcommand_required = true,
    disable_help_subcommand = true,
    arg_required_else_help = true,
    subcommand_value_name = "PLUGIN",
    subcommand_help_heading = "Plugins"
)]
pub struct RunnerOptions {
    /// Run in the foreground, logging to standard output (unless --logfile).
    #[arg(short = 'n', long)]
    pub nodaemon: bool,
    /// Where to write the process id.
    #[arg(long, default_value = "twistd.pid")]
    pub pidfile: PathBuf,
    /// The log file [default: twistd.log as a daemon, standard output with --nodaemon].
    #[arg(long)]
    pub logfile: Option<PathBuf>,
    /// Rotate the log file once it would grow past this many bytes.
    #[arg(long, default_value_t = 1_000_000, value_parser = parse_count)]
    pub log_max_bytes: usize,
    /// How many rotated log files to keep (LOG.1 is the newest).
    #[arg(long, default_value_t = 5)]
    pub log_keep: usize,
    /// Switch to this user (a name or a number) once the services have started.
    #[arg(long)]
    pub uid: Option<String>,
    /// Switch to this group (a name or a number) once the services have started.
    #[arg(long)]
    pub gid: Option<String>,
    /// Seconds a stopping service may wait for the work it has in flight.
    #[arg(long, default_value = "30", value_parser = parse_seconds)]
    pub shutdown_timeout: Duration,
}

/// Which step of starting this process is.
enum Step {
    /// The command a user typed.
    Command,
    /// The first copy: leaves the session.
    Session,
    /// The second copy: the daemon.
    Daemon,
}

// ANCHOR: main
/// Runs `twistd` with `plugins`: what the program's `main` calls.
pub fn main_with(plugins: &[Box<dyn ServiceMaker>]) -> ExitCode {
    let command = plugins
        .iter()
        .fold(RunnerOptions::command(), |command, plugin| {
            command.subcommand(plugin.options().about(plugin.description()))
        });
    let matches = match command.try_get_matches() {
        Ok(matches) => matches,
        Err(error) => return usage_error(error),
    };
    let options = match RunnerOptions::from_arg_matches(&matches) {
        Ok(options) => options.absolute(),
        Err(error) => return usage_error(error),
    };
    let Some((name, plugin_options)) = matches.subcommand() else {
        return fail("no plugin named (twistd --help lists them)");
    };
    let Some(plugin) = plugins.iter().find(|p| p.name() == name) else {
        return fail(format_args!("no plugin called {name}"));
    };
    let step = match std::env::var(STEP_VARIABLE).as_deref() {
        Ok("session") => Step::Session,
        Ok("daemon") => Step::Daemon,
        _ => Step::Command,
    };
    match step {
        Step::Command if options.nodaemon => match serve(&options, &**plugin, plugin_options, None)
        {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => fail(error),
        },
        Step::Command => detach(&options),
        Step::Session => new_session(),
        Step::Daemon => daemon(&options, &**plugin, plugin_options),
    }
}
// ANCHOR_END: main

/// The runner's command line: its own options, and each plugin as a
/// subcommand with the plugin's options.
pub fn command(plugins: &[Box<dyn ServiceMaker>]) -> clap::Command {
    plugins
        .iter()
        .fold(RunnerOptions::command(), |command, plugin| {
            command.subcommand(plugin.options().about(plugin.description()))
        })
}

impl RunnerOptions {
    /// The options with absolute paths: the daemon moves to `/`.
    fn absolute(mut self) -> RunnerOptions {
        self.pidfile = std::path::absolute(&self.pidfile).unwrap_or(self.pidfile);
        self.logfile = self
            .logfile
            .map(|path| std::path::absolute(&path).unwrap_or(path));
        self
    }

    /// The log file a daemon writes.
    fn daemon_log(&self) -> PathBuf {
        self.logfile.clone().unwrap_or_else(|| {
            std::path::absolute("twistd.log").unwrap_or_else(|_| "twistd.log".into())
        })
    }

    fn open_log(&self, path: &Path) -> Result<RotatingFile, String> {
        RotatingFile::open(path, self.log_max_bytes as u64, self.log_keep)
            .map_err(|error| format!("cannot open log file {}: {error}", path.display()))
    }
}

/// A bad command line: clap's first line (its message), not its usage
/// block, and exit code 2. `--help` and `--version` print in full.
fn usage_error(error: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    match error.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let _ = error.print();
            ExitCode::SUCCESS
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = error.print();
            ExitCode::from(2)
        }
        _ => {
            let text = error.render().to_string();
            let first = text.lines().next().unwrap_or("bad command line");
            eprintln!("{first} (try --help)");
            ExitCode::from(2)
        }
    }
}

// ANCHOR: detach
/// Step 1: checks what the user should hear about now, starts the first
/// copy with a pipe for its standard output, and waits for the daemon's
/// word on that pipe.
fn detach(options: &RunnerOptions) -> ExitCode {
    let log_path = options.daemon_log();
    let log = match options.open_log(&log_path).and_then(|log| {
        log.try_clone_file()
            .map_err(|e| format!("cannot use log file: {e}"))
    }) {
        Ok(file) => file,
        Err(error) => return fail(error),
    };
    if let Err(error) = pidfile::check(&options.pidfile) {
        return fail(error);
    }
    let copy = Command::new(current_exe())
        .args(std::env::args_os().skip(1))
        .env(STEP_VARIABLE, "session")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(log)
        .spawn();
    let mut copy = match copy {
        Ok(copy) => copy,
        Err(error) => return fail(format_args!("cannot start the daemon: {error}")),
    };
    let mut word = String::new();
    if let Some(mut pipe) = copy.stdout.take() {
        // Until every copy has closed its end: the daemon does once ready.
        let _ = pipe.read_to_string(&mut word);
    }
    let _ = copy.wait();
    match word.lines().next() {
        Some("ready") => ExitCode::SUCCESS,
        Some(error) => {
            eprintln!("{error}");
            ExitCode::FAILURE
        }
        None => fail(format_args!(
            "the daemon ended before it was ready (see {})",
            log_path.display()
        )),
    }
}

/// Step 2: a new session, then the daemon, which inherits the pipe.
fn new_session() -> ExitCode {
    if let Err(error) = nix::unistd::setsid() {
        tell_launcher(format_args!("error: cannot start a new session: {error}"));
        return ExitCode::FAILURE;
    }
    let daemon = Command::new(current_exe())
        .args(std::env::args_os().skip(1))
        .env(STEP_VARIABLE, "daemon")
        .stdin(Stdio::null())
        .spawn();
    if let Err(error) = daemon {
        tell_launcher(format_args!("error: cannot start the daemon: {error}"));
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS // the daemon is nobody's child now
}

/// Step 3: the daemon serves; whatever stops it from starting goes down
/// the pipe for step 1 to print.
fn daemon(
    options: &RunnerOptions,
    plugin: &dyn ServiceMaker,
    plugin_options: &ArgMatches,
) -> ExitCode {
    let log = match options.open_log(&options.daemon_log()) {
        Ok(log) => log,
        Err(error) => {
            tell_launcher(format_args!("error: {error}"));
            return ExitCode::FAILURE;
        }
    };
    match serve(options, plugin, plugin_options, Some(log)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!("{error}");
            // Still the pipe, if the failure came before `ready`.
            tell_launcher(format_args!("error: {error}"));
            ExitCode::FAILURE
        }
    }
}
// ANCHOR_END: detach

/// Writes one line down the pipe to step 1. If the command that started us
/// has gone (killed, or its terminal closed), there is nobody to tell: the
/// daemon goes on rather than dying of a broken pipe.
fn tell_launcher(line: impl std::fmt::Display) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
}

fn current_exe() -> OsString {
    std::env::current_exe()
        .map(PathBuf::into_os_string)
        .unwrap_or_else(|_| {
            std::env::args_os()
                .next()
                .unwrap_or_else(|| "twistd".into())
        })
}

// ANCHOR: serve
/// Runs the plugin's services until a signal stops them. `daemon_log` is
/// the daemon's log file; `None` runs in the foreground.
fn serve(
    options: &RunnerOptions,
    plugin: &dyn ServiceMaker,
    plugin_options: &ArgMatches,
    daemon_log: Option<RotatingFile>,
) -> Result<(), String> {
    let is_daemon = daemon_log.is_some();
    let log_copy = daemon_log.as_ref().map(RotatingFile::try_clone_file);
    let target = match (daemon_log, &options.logfile) {
        (Some(log), _) => LogTarget::File(log),
        (None, Some(path)) => LogTarget::File(options.open_log(path)?),
        (None, None) => LogTarget::Stdout,
    };
    let _log = logging::install(target);
    tracing::info!("twistd {} starting up", env!("CARGO_PKG_VERSION"));
    if let Some(stale) = pidfile::check(&options.pidfile).map_err(|e| e.to_string())? {
        tracing::warn!("replacing a stale pid file (process {stale} is gone)");
    }
    pidfile::write(&options.pidfile).map_err(|e| e.to_string())?;
    let started = start(options, plugin, plugin_options);
    let (reactor, application, _signals) = match started {
        Ok(running) => running,
        Err(error) => {
            let _ = pidfile::remove(&options.pidfile);
            return Err(error);
        }
    };
    if is_daemon {
        std::env::set_current_dir("/").map_err(|e| format!("cannot move to /: {e}"))?;
        // The word step 1 waits for; then standard output joins the log,
        // which closes the pipe.
        tell_launcher("ready");
        if let Some(Ok(log)) = log_copy {
            let _ = nix::unistd::dup2_stdout(&log);
        }
    }
    tracing::info!(
        "{} is running (pid {})",
        application.name(),
        std::process::id()
    );
    reactor
        .run()
        .map_err(|e| format!("the reactor failed: {e}"))?;
    tracing::info!("Server Shut Down.");
    if let Err(error) = pidfile::remove(&options.pidfile) {
        tracing::warn!(
            "cannot remove pid file {}: {error}",
            options.pidfile.display()
        );
    }
    Ok(())
}

/// Makes the reactor and the plugin's tree, starts it, changes user if
/// asked, and arranges for a shutdown to stop it.
fn start(
    options: &RunnerOptions,
    plugin: &dyn ServiceMaker,
    plugin_options: &ArgMatches,
) -> Result<(Reactor, Application, SignalGuard), String> {
    // Every client is a file descriptor: allow as many as the system lets us.
    part_11::program::allow_many_clients();
    let reactor = Reactor::new().map_err(|e| format!("cannot create a reactor: {e}"))?;
    // From the start: a signal that comes while the services start stops
    // the reactor as soon as it runs.
    let signals = reactor
        .handle()
        .stop_on_signals(&[SIGINT, SIGTERM])
        .map_err(|e| format!("cannot handle signals: {e}"))?;
    let context = PluginContext {
        reactor: reactor.clone(),
        shutdown_timeout: options.shutdown_timeout,
    };
    let application = Application::new(plugin.name());
    plugin
        .make_service(&context, plugin_options)
        .and_then(|service| application.add(service))
        .and_then(|()| application.start())
        .map_err(|e| e.to_string())?;
    // After binding: a port below 1024 needs root, serving it does not.
    switch_user(options.uid.as_deref(), options.gid.as_deref())?;
    reactor.add_shutdown_trigger(Phase::Before, || tracing::info!("shutting down"));
    application.stop_on_shutdown(&reactor);
    Ok((reactor, application, signals))
}
// ANCHOR_END: serve

/// Changes group, then user (after the user, the process may no longer
/// change its group).
fn switch_user(uid: Option<&str>, gid: Option<&str>) -> Result<(), String> {
    use nix::unistd::{Gid, Group, Uid, User, setgid, setuid};
    if let Some(gid) = gid {
        let id = match gid.parse::<u32>() {
            Ok(n) => Gid::from_raw(n),
            Err(_) => match Group::from_name(gid) {
                Ok(Some(group)) => group.gid,
                _ => return Err(format!("no group called {gid}")),
            },
        };
        setgid(id).map_err(|e| format!("cannot switch to group {gid}: {e}"))?;
    }
    if let Some(uid) = uid {
        let id = match uid.parse::<u32>() {
            Ok(n) => Uid::from_raw(n),
            Err(_) => match User::from_name(uid) {
                Ok(Some(user)) => user.uid,
                _ => return Err(format!("no user called {uid}")),
            },
        };
        setuid(id).map_err(|e| format!("cannot switch to user {uid}: {e}"))?;
    }
    if uid.is_some() || gid.is_some() {
        tracing::info!(
            "now running as user {} group {}",
            Uid::current(),
            Gid::current()
        );
    }
    Ok(())
}
