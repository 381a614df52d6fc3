//! Exercise 3: the fastpoetry plugin with an optional second poem, served
//! on a second port; a runner that knows this plugin.
//!
//! ```text
//! cargo run -p part-16 --example part16-ex2-second-poem-plugin -- --nodaemon fastpoetry --poem poetry/science.txt --poem2 poetry/ecstasy.txt
//! ```

use std::path::PathBuf;
use std::process::ExitCode;
use std::rc::Rc;

use clap::{ArgMatches, Args, Command, FromArgMatches};
use part_11::FastPoetryFactory;
use part_16::plugin::FastPoetryOptions;
use part_16::poetry::{log_event, poetry_tree};
use part_16::{MultiService, PluginContext, Service, ServiceMaker, StartError};

// ANCHOR: solution
/// The plugin's options: the first poem's, and the second poem's.
#[derive(Debug, Args)]
pub struct TwoPoemOptions {
    #[command(flatten)]
    first: FastPoetryOptions,
    /// A second poem to serve, on --port2.
    #[arg(long)]
    poem2: Option<PathBuf>,
    /// The second poem's port.
    #[arg(long, default_value_t = 10001, requires = "poem2")]
    port2: u16,
}

/// `fastpoetry`, with an optional second poem.
pub struct TwoPoemPlugin;

impl ServiceMaker for TwoPoemPlugin {
    fn name(&self) -> &'static str {
        "fastpoetry"
    }

    fn description(&self) -> &'static str {
        "A fast poetry service, for one poem or two."
    }

    fn options(&self) -> Command {
        TwoPoemOptions::augment_args(Command::new(self.name()))
    }

    fn make_service(
        &self,
        context: &PluginContext,
        options: &ArgMatches,
    ) -> Result<Rc<dyn Service>, StartError> {
        let options = TwoPoemOptions::from_arg_matches(options)?;
        let iface = options.first.iface.as_str();
        let mut poems = vec![("first", options.first.poem.clone(), options.first.port)];
        if let Some(poem2) = options.poem2 {
            poems.push(("second", poem2, options.port2));
        }
        let top = MultiService::new("fastpoetry");
        for (name, poem, port) in poems {
            let tree = poetry_tree(
                &context.reactor,
                name,
                poem,
                (iface, port),
                context.shutdown_timeout,
                |poem| FastPoetryFactory::new(poem, log_event),
            )?;
            top.add(tree.top)?;
        }
        Ok(top)
    }
}
// ANCHOR_END: solution

fn main() -> ExitCode {
    part_16::runner::main_with(&[Box::new(TwoPoemPlugin)])
}
