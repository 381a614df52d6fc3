//! Plugins: services a runner knows by name, each with options of its own.
//!
//! Writing a program to build each deployment of a service (serve this
//! poem on that port) is more than most deployments need: the poem, the
//! port and the interface are all there is to choose. A plugin is a
//! [`ServiceMaker`]: a name, a line of description, a command line of its
//! own, and a function from that command line to a service tree. The
//! runner lists the plugins in its `--help`, picks one by the name given
//! after its own options, and hands the rest of the command line to it:
//!
//! ```text
//! twistd --nodaemon fastpoetry --port 10000 --poem poetry/science.txt
//! ```
//!
//! Twisted finds plugins by scanning folders for Python files at run time.
//! A Rust program is linked ahead of time, so our registry is a list in
//! the program ([`plugins`]); a program with other services would pass its
//! own list to the runner.

use std::path::PathBuf;
use std::rc::Rc;
use std::time::Duration;

use clap::{ArgMatches, Args, Command, FromArgMatches};
use part_02::cli::PacingArgs;
use part_03::Reactor;

use crate::poetry::{fastpoetry_service, slowpoetry_service};
use crate::service::{Service, StartError};

/// What a plugin is given besides its options.
#[derive(Debug)]
pub struct PluginContext {
    /// The reactor the services will run on.
    pub reactor: Reactor,
    /// How long a stopping service may wait for its work in flight.
    pub shutdown_timeout: Duration,
}

// ANCHOR: maker
/// A named way to make a service tree from a command line.
pub trait ServiceMaker {
    /// The name the runner knows it by.
    fn name(&self) -> &'static str;

    /// One line for the runner's `--help`.
    fn description(&self) -> &'static str;

    /// The plugin's options (its `--help` comes from these).
    fn options(&self) -> Command;

    /// Builds the service tree, given the options as parsed.
    fn make_service(
        &self,
        context: &PluginContext,
        options: &ArgMatches,
    ) -> Result<Rc<dyn Service>, StartError>;
}
// ANCHOR_END: maker

// ANCHOR: fastpoetry_plugin
/// The fast poetry server's options.
#[derive(Debug, Args)]
pub struct FastPoetryOptions {
    /// The port number to listen on (0: any free port).
    #[arg(long, default_value_t = 10000)]
    pub port: u16,
    /// The file containing the poem.
    #[arg(long)]
    pub poem: PathBuf,
    /// The interface to listen on.
    #[arg(long, default_value = "localhost")]
    pub iface: String,
}

/// The `fastpoetry` plugin: part 11's fast server as a service tree.
#[derive(Debug)]
pub struct FastPoetryPlugin;

impl ServiceMaker for FastPoetryPlugin {
    fn name(&self) -> &'static str {
        "fastpoetry"
    }

    fn description(&self) -> &'static str {
        "A fast poetry service."
    }

    fn options(&self) -> Command {
        FastPoetryOptions::augment_args(Command::new(self.name()))
    }

    fn make_service(
        &self,
        context: &PluginContext,
        options: &ArgMatches,
    ) -> Result<Rc<dyn Service>, StartError> {
        let options = FastPoetryOptions::from_arg_matches(options)?;
        fastpoetry_service(
            &context.reactor,
            options.poem,
            (&options.iface, options.port),
            context.shutdown_timeout,
        )
    }
}
// ANCHOR_END: fastpoetry_plugin

/// The slow poetry server's options: the fast one's, and its pacing.
#[derive(Debug, Args)]
pub struct SlowPoetryOptions {
    #[command(flatten)]
    server: FastPoetryOptions,
    #[command(flatten)]
    pacing: PacingArgs,
}

/// The `slowpoetry` plugin: part 11's asynchronous slow server as a
/// service tree, whose downloads take a while (so a stop has some to wait
/// for).
#[derive(Debug)]
pub struct SlowPoetryPlugin;

impl ServiceMaker for SlowPoetryPlugin {
    fn name(&self) -> &'static str {
        "slowpoetry"
    }

    fn description(&self) -> &'static str {
        "A slow poetry service (a few bytes at a time)."
    }

    fn options(&self) -> Command {
        SlowPoetryOptions::augment_args(Command::new(self.name()))
    }

    fn make_service(
        &self,
        context: &PluginContext,
        options: &ArgMatches,
    ) -> Result<Rc<dyn Service>, StartError> {
        let SlowPoetryOptions { server, pacing } = SlowPoetryOptions::from_arg_matches(options)?;
        let tree = slowpoetry_service(
            &context.reactor,
            server.poem,
            (&server.iface, server.port),
            pacing.options(),
            context.shutdown_timeout,
        )?;
        Ok(tree.top)
    }
}

/// Every plugin this workspace's `twistd` knows.
pub fn plugins() -> Vec<Box<dyn ServiceMaker>> {
    vec![Box::new(FastPoetryPlugin), Box::new(SlowPoetryPlugin)]
}
